using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Merges one branch into another.</summary>
/// <remarks>
/// <para>Merges -Source into -Target the way git merges, as pggit_v0.merge_branch() does in SQL: a
/// fast-forward when -Target is an ancestor of -Source, nothing when -Source is already in -Target,
/// otherwise a merge commit whose first parent is -Target's tip. The result's Outcome says which.</para>
/// <para>With the Recursive strategy (the default) a merge that conflicts writes no commit: it is
/// recorded as pending, and the result has Outcome Conflicts, the conflicting paths and a MergeId.
/// Get-PgGitConflict lists the conflicts with all three versions; piped into Resolve-PgGitConflict they
/// are resolved, and the last resolution writes the merge commit. Stop-PgGitMerge abandons the merge.
/// Ours and Theirs resolve every conflict to the target's or the source's side and always commit.</para>
/// <para>The checked-out branch cannot be the target (InvalidOperation): the live database is its
/// working tree. An unknown branch is ObjectNotFound. -WhatIf says what would be merged and writes
/// nothing. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Merge-PgGitBranch -Source feature/orders -Target release</code>
/// <para>Merges feature/orders into release and outputs the outcome.</para>
/// </example>
/// <example>
/// <code>$merge = Merge-PgGitBranch feature/orders release; if ($merge.Conflicts) { Get-PgGitConflict -MergeId $merge.MergeId | Resolve-PgGitConflict -Strategy Source }</code>
/// <para>Merges, and on conflicts takes the source's version of every conflicting object, which completes the merge.</para>
/// </example>
/// <example>
/// <code>Merge-PgGitBranch feature/orders release -Strategy Theirs -Message 'Take feature/orders'</code>
/// <para>Merges with the source winning every conflict, with a message of its own.</para>
/// </example>
/// <seealso cref="TestPgGitMergeCommand"/>
/// <seealso cref="GetPgGitConflictCommand"/>
/// <seealso cref="ResolvePgGitConflictCommand"/>
/// <seealso cref="StopPgGitMergeCommand"/>
[Cmdlet(VerbsData.Merge, "PgGitBranch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitMergeResult))]
public sealed class MergePgGitBranchCommand : PgGitBranchPairCmdlet
{
    /// <summary>Recursive stops on conflicts for you to resolve; Ours keeps the target's side of every conflict; Theirs takes the source's.</summary>
    /// <value>Recursive</value>
    [Parameter]
    [ValidateSet("Recursive", "Ours", "Theirs")]
    public string Strategy { get; set; } = "Recursive";

    /// <summary>The merge commit's message.</summary>
    /// <value>Merge branch '&lt;source&gt;' into &lt;target&gt;</value>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Target;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (!ShouldProcess($"branch '{Target}' at {Connection.Endpoint}", $"Merge '{Source}' ({Strategy})")) return;

        var progress = new ProgressRecord(5, "Merge-PgGitBranch", $"Merging '{Source}' into '{Target}'");
        WriteProgress(progress);
        var response = Call(options => Connection.Merging.MergeBranchAsync(new MergeBranchRequest
        {
            SourceBranch = Source,
            TargetBranch = Target,
            Strategy = Strategy.ToLowerInvariant(),
            Message = Message ?? "",
        }, options));
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);

        var sha = Optional.Text(response.MergeCommitSha);
        var outcome = response.Outcome switch
        {
            "conflicts" => PgGitMergeOutcome.Conflicts,
            "up_to_date" => PgGitMergeOutcome.AlreadyMerged,
            "fast_forward" => PgGitMergeOutcome.FastForward,
            "merge" => PgGitMergeOutcome.Merged,
            _ => throw new InvalidOperationException($"the server reported an unknown merge outcome '{response.Outcome}'"),
        };
        if (response.Conflicts)
        {
            WriteWarning($"Merging '{Source}' into '{Target}' conflicts on {string.Join(", ", response.ConflictObjects)}; " +
                $"resolve with Get-PgGitConflict -MergeId {response.MergeId} | Resolve-PgGitConflict, or abandon with Stop-PgGitMerge -MergeId {response.MergeId}.");
        }
        WriteObject(new PgGitMergeResult
        {
            SourceBranch = Source,
            TargetBranch = Target,
            Outcome = outcome,
            MergeCommitSha = sha,
            ConflictObjects = [.. response.ConflictObjects],
            MergeId = Optional.Text(response.MergeId),
        });
    }

}
