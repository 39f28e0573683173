using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Completes a pending merge whose conflicts are all resolved.</summary>
/// <remarks>
/// <para>Writes the merge commit of a pending merge, as pggit_v0.complete_merge() does in SQL.
/// Resolve-PgGitConflict already does this when it resolves the last conflict, so this is needed only when
/// that step was interrupted. While conflicts remain it is an InvalidOperation error.</para>
/// <para>Without -MergeId the only pending merge is meant; when there are several that is an InvalidArgument
/// error naming them, and so is an empty -MergeId, e.g. from a Test-PgGitMerge prediction. Merge results and
/// conflicts bind -MergeId from the pipeline. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Complete-PgGitMerge -MergeId $merge.MergeId</code>
/// <para>Writes the merge commit and outputs the merge's outcome.</para>
/// </example>
/// <seealso cref="ResolvePgGitConflictCommand"/>
/// <seealso cref="MergePgGitBranchCommand"/>
[Cmdlet(VerbsLifecycle.Complete, "PgGitMerge", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitMergeResult))]
public sealed class CompletePgGitMergeCommand : PgGitServerCmdlet
{
    /// <summary>The pending merge to complete.</summary>
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
        if (!ShouldProcess($"{merge} at {Connection.Endpoint}", "Write the merge commit")) return;

        // CompleteMergeResponse names only the commit; the pending merge's record names the branches.
        var pending = Call(options => Connection.Merging.ListMergesAsync(new ListMergesRequest(), options)).Merges;
        var record = string.IsNullOrEmpty(MergeId)
            ? (pending.Count == 1 ? pending[0] : null)
            : pending.FirstOrDefault(candidate => candidate.MergeId == MergeId);
        var response = Call(options => Connection.Merging.CompleteMergeAsync(new CompleteMergeRequest { MergeId = MergeId ?? "" }, options));
        WriteObject(new PgGitMergeResult
        {
            SourceBranch = record?.SourceBranch ?? "",
            TargetBranch = record?.TargetBranch ?? "",
            Outcome = PgGitMergeOutcome.Merged,
            MergeCommitSha = response.MergeCommitSha,
            ConflictObjects = [],
            MergeId = record?.MergeId ?? Optional.Text(MergeId ?? ""),
        });
    }
}
