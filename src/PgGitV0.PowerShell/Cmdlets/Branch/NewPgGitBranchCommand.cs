using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Creates a branch.</summary>
/// <remarks>
/// <para>Creates a branch at a commit, as pggit_v0.create_branch() does in SQL. -Commit names the commit
/// as any revision does (a branch, a tag, a sha or unique prefix, HEAD, HEAD~2); without it the branch
/// starts at the tip of the checked-out branch. Creating a branch does not check it out.</para>
/// <para>A name a branch or tag already has is a ResourceExists error; a -Commit that names no commit is
/// ObjectNotFound. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>New-PgGitBranch -Name feature/orders</code>
/// <para>Creates feature/orders at the tip of the checked-out branch and outputs it.</para>
/// </example>
/// <example>
/// <code>New-PgGitBranch -Name hotfix -Commit v1.0</code>
/// <para>Creates hotfix at the commit tagged v1.0.</para>
/// </example>
/// <seealso cref="GetPgGitBranchCommand"/>
/// <seealso cref="RemovePgGitBranchCommand"/>
[Cmdlet(VerbsCommon.New, "PgGitBranch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitBranch))]
public sealed class NewPgGitBranchCommand : PgGitServerCmdlet
{
    /// <summary>The new branch's name, e.g. feature/orders; git's ref name rules apply.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Where the branch starts: a branch, tag, sha or unique prefix, HEAD, or any of them followed by ~n or ^.</summary>
    /// <value>the tip of the checked-out branch</value>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Sha")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Commit { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Name;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (!ShouldProcess($"branch '{Name}' at {Connection.Endpoint}", $"Create branch at {Commit ?? "HEAD"}")) return;

        var branch = Call(options => Connection.Branches.CreateBranchAsync(new CreateBranchRequest { Name = Name, FromRef = Commit ?? "" }, options));
        WriteObject(PgGitBranch.FromProto(branch));
    }
}
