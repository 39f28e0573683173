using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Recreates a deleted branch.</summary>
/// <remarks>
/// <para>Recreates a branch at the commit it pointed at when it was last deleted, from the ref log, as
/// pggit_v0.restore_branch() does in SQL. A name with no recorded deletion is ObjectNotFound; a name
/// that is taken again is ResourceExists. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Restore-PgGitBranch -Name feature/orders</code>
/// <para>Brings back feature/orders, deleted by mistake, and outputs it.</para>
/// </example>
/// <seealso cref="RemovePgGitBranchCommand"/>
[Cmdlet(VerbsData.Restore, "PgGitBranch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitBranch))]
public sealed class RestorePgGitBranchCommand : PgGitServerCmdlet
{
    /// <summary>The name of the deleted branch; its most recent deletion is undone.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <inheritdoc />
    protected override object? ErrorTarget => Name;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (!ShouldProcess($"branch '{Name}' at {Connection.Endpoint}", "Restore deleted branch")) return;

        var branch = Call(options => Connection.Branches.RestoreBranchAsync(new RestoreBranchRequest { Name = Name }, options));
        WriteObject(PgGitBranch.FromProto(branch));
    }
}
