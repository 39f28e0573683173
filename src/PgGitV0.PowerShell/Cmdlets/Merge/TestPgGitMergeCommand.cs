using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Predicts the conflicts of a merge without merging.</summary>
/// <remarks>
/// <para>Lists the objects a three-way merge of -Source into -Target would stop on, as
/// pggit_v0.detect_merge_conflicts() does in SQL: the same merge base and the same per-object rules as
/// Merge-PgGitBranch with the Recursive strategy. Nothing is written. No output means the merge would be
/// clean (or a fast-forward, or already merged).</para>
/// <para>Each predicted conflict has its path, its type and both sides' definitions; the base's definition
/// and the line-level merge with git's conflict markers come with the conflicts of a merge that stopped
/// (Get-PgGitConflict). Predictions have no MergeId, so they cannot be resolved. An unknown branch is
/// ObjectNotFound. Needs the reader role.</para>
/// </remarks>
/// <example>
/// <code>Test-PgGitMerge -Source feature/orders -Target release</code>
/// <para>Lists what merging feature/orders into release would conflict on.</para>
/// </example>
/// <example>
/// <code>if (-not (Test-PgGitMerge feature/orders release)) { Merge-PgGitBranch feature/orders release }</code>
/// <para>Merges only when the merge would be clean.</para>
/// </example>
/// <seealso cref="MergePgGitBranchCommand"/>
/// <seealso cref="GetPgGitConflictCommand"/>
[Cmdlet(VerbsDiagnostic.Test, "PgGitMerge")]
[OutputType(typeof(PgGitConflict))]
public sealed class TestPgGitMergeCommand : PgGitBranchPairCmdlet
{
    /// <inheritdoc />
    protected override object? ErrorTarget => Source;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var response = Call(options => Connection.Merging.DetectConflictsAsync(
            new DetectConflictsRequest { SourceBranch = Source, TargetBranch = Target }, options));
        WriteVerbose(response.Conflicts.Count == 0
            ? $"Merging '{Source}' into '{Target}' would not conflict"
            : $"Merging '{Source}' into '{Target}' would conflict on {response.Conflicts.Count} objects");
        foreach (var conflict in response.Conflicts) WriteObject(PgGitConflict.FromProto(conflict));
    }
}
