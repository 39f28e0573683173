using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets the conflicts of pending merges.</summary>
/// <remarks>
/// <para>Lists the conflicts of a merge that stopped on them (Merge-PgGitBranch with Outcome Conflicts), or
/// of every pending merge without -MergeId, as pggit_v0.list_merge_conflicts() does in SQL. Each conflict has
/// the base's, the source's and the target's definition, the line-level merge with git's conflict markers,
/// and how it was resolved so far.</para>
/// <para>Conflicts piped into Resolve-PgGitConflict bind -MergeId and -ObjectPath; merge results from
/// Merge-PgGitBranch bind -MergeId here; a result without a MergeId (a merge that did not conflict) lists
/// nothing. A completed or abandoned merge has no conflicts to list. Needs the reader role.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitConflict</code>
/// <para>Lists the conflicts of every pending merge.</para>
/// </example>
/// <example>
/// <code>Get-PgGitConflict -MergeId $merge.MergeId | ForEach-Object MergedDefinition</code>
/// <para>Shows git's conflict markers in each conflicting object of one merge.</para>
/// </example>
/// <example>
/// <code>Get-PgGitConflict -Unresolved | Resolve-PgGitConflict -Strategy Target</code>
/// <para>Keeps the target's version of every object still in conflict.</para>
/// </example>
/// <seealso cref="ResolvePgGitConflictCommand"/>
/// <seealso cref="MergePgGitBranchCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitConflict")]
[OutputType(typeof(PgGitConflict))]
public sealed class GetPgGitConflictCommand : PgGitServerCmdlet
{
    /// <summary>The pending merge whose conflicts to list.</summary>
    /// <value>every pending merge</value>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string? MergeId { get; set; }

    /// <summary>Only the conflicts not resolved yet.</summary>
    [Parameter]
    public SwitchParameter Unresolved { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => MergeId;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (PendingMerge.BoundToNothing(this, MergeId)) return;

        var response = Call(options => Connection.Merging.ListConflictsAsync(new ListConflictsRequest { MergeId = MergeId ?? "" }, options));
        foreach (var conflict in response.Conflicts.Select(PgGitConflict.FromProto))
        {
            if (Unresolved && conflict.Resolved) continue;
            WriteObject(conflict);
        }
    }
}
