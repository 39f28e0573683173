using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Deletes branches.</summary>
/// <remarks>
/// <para>Deletes branches, as pggit_v0.delete_branch() does in SQL. It asks for confirmation first
/// (ConfirmImpact High); -Confirm:$false skips the question and -WhatIf only says what would be deleted.
/// Branch names come from the pipeline by property name, so Get-PgGitBranch output can be piped in.</para>
/// <para>The checked-out branch and the default branch cannot be deleted, nor, without -Force, a branch
/// with commits no other branch or tag reaches (the error names them): these are InvalidOperation
/// errors, and an unknown branch is ObjectNotFound. The deleted commit stays in the ref log:
/// Restore-PgGitBranch brings the branch back. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Remove-PgGitBranch -Name feature/orders</code>
/// <para>Asks, then deletes feature/orders if every commit on it is reachable from another branch or tag.</para>
/// </example>
/// <example>
/// <code>Get-PgGitBranch 'feature/*' | Remove-PgGitBranch -Force -Confirm:$false</code>
/// <para>Deletes every feature/ branch without asking, unmerged commits or not.</para>
/// </example>
/// <example>
/// <code>Remove-PgGitBranch -Name dev -WhatIf</code>
/// <para>Says what would be deleted and deletes nothing.</para>
/// </example>
/// <seealso cref="RestorePgGitBranchCommand"/>
/// <seealso cref="GetPgGitBranchCommand"/>
[Cmdlet(VerbsCommon.Remove, "PgGitBranch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemovePgGitBranchCommand : PgGitServerCmdlet
{
    /// <summary>The names of the branches to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Deletes a branch even when it has commits no other branch or tag reaches. It does not skip the confirmation; -Confirm:$false does.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private string? _current;

    /// <inheritdoc />
    protected override object? ErrorTarget => _current;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        foreach (var name in Name)
        {
            _current = name;
            var action = Force ? "Delete branch, even with commits no other ref reaches" : "Delete branch";
            if (!ShouldProcess($"branch '{name}' at {Connection.Endpoint}", action)) continue;

            var response = Call(options => Connection.Branches.DeleteBranchAsync(new DeleteBranchRequest { Name = name, Force = Force }, options));
            WriteVerbose($"Deleted branch '{name}' (was {PgGitCommit.Abbreviate(response.DeletedSha)}); Restore-PgGitBranch -Name '{name}' brings it back.");
        }
    }
}
