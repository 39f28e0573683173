using System.Management.Automation;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>A cmdlet about merging one branch into another: -Source and -Target, bound by position or property name.</summary>
public abstract class PgGitBranchPairCmdlet : PgGitServerCmdlet
{
    /// <summary>The branch (or any commit-naming revision) to merge in.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("SourceBranch")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = "";

    /// <summary>The branch to merge into.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("TargetBranch")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Target { get; set; } = "";
}
