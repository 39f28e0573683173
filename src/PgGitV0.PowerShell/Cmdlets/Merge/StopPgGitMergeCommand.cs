using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Abandons a pending merge.</summary>
/// <remarks>
/// <para>Abandons a merge that stopped on conflicts, as pggit_v0.abort_merge() does in SQL: its record and
/// its resolutions so far are dropped and no branch moves. It asks for confirmation first (ConfirmImpact
/// High); -Confirm:$false skips the question and -WhatIf only says what would be abandoned.</para>
/// <para>Without -MergeId the only pending merge is meant; when there are several that is an InvalidArgument
/// error naming them, and so is an empty -MergeId, e.g. from a Test-PgGitMerge prediction. Merge results and
/// conflicts bind -MergeId from the pipeline. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Stop-PgGitMerge -MergeId $merge.MergeId -Confirm:$false</code>
/// <para>Abandons the merge without asking.</para>
/// </example>
/// <example>
/// <code>Merge-PgGitBranch feature/orders release | Where-Object Conflicts | Stop-PgGitMerge</code>
/// <para>Tries the merge and, when it conflicts, asks whether to abandon it.</para>
/// </example>
/// <seealso cref="MergePgGitBranchCommand"/>
/// <seealso cref="ResolvePgGitConflictCommand"/>
[Cmdlet(VerbsLifecycle.Stop, "PgGitMerge", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class StopPgGitMergeCommand : PgGitServerCmdlet
{
    /// <summary>The pending merge to abandon.</summary>
    /// <value>the only pending merge</value>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string? MergeId { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => MergeId;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (PendingMerge.BoundToNothing(this, MergeId))
        {
            WriteError(PendingMerge.NoMergeError(null));
            return;
        }
        var merge = PendingMerge.Describe(MergeId);
        if (!ShouldProcess($"{merge} at {Connection.Endpoint}", "Abandon merge and its resolutions")) return;

        var response = Call(options => Connection.Merging.AbortMergeAsync(new AbortMergeRequest { MergeId = MergeId ?? "" }, options));
        WriteVerbose($"Abandoned merge {response.MergeId}");
    }
}
