using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Data;

/// <summary>
/// The SQL behind MergeService: each method calls one pggit_v0 merging function (sql/pggit_v0_branching.sql)
/// and, in the same transaction, reads back what the call changed.
/// </summary>
public sealed partial class MergeStore(PgGitDatabase database)
{
    /// <summary>pggit_v0.create_feature_branch, then the new branch as list_branches_after shows it.</summary>
    public async Task<BranchRow> CreateFeatureBranchAsync(CallIdentity identity, string name, string? description, CancellationToken cancellationToken)
    {
        var (created, _) = await database.WriteAsync<string>(identity, "SELECT pggit_v0.create_feature_branch(@name, @description)",
            new { name, description }, cancellationToken);
        var branch = created.Single();
        return (await database.QueryAsync<BranchRow>(identity,
            "SELECT * FROM pggit_v0.list_branches_after(NULL, NULL) WHERE branch_name = @branch", new { branch }, cancellationToken)).Single();
    }

    public Task<IReadOnlyList<PredictedConflictRow>> DetectConflictsAsync(CallIdentity identity, string source, string target,
        CancellationToken cancellationToken)
        => database.QueryAsync<PredictedConflictRow>(identity, "SELECT * FROM pggit_v0.detect_merge_conflicts(@source, @target)",
            new { source, target }, cancellationToken);

    /// <summary>pggit_v0.merge_branch_detailed: the merge_branch result, what happened, and on conflicts the pending merge.</summary>
    public async Task<MergeOutcomeRow> MergeBranchAsync(CallIdentity identity, string source, string target,
        string strategy, string? message, CancellationToken cancellationToken)
        => (await database.WriteAsync<MergeOutcomeRow>(identity, "SELECT * FROM pggit_v0.merge_branch_detailed(@source, @target, @strategy, @message)",
            new { source, target, strategy, message }, cancellationToken)).Rows.Single();

    /// <param name="status">a status, or null for every status</param>
    public Task<IReadOnlyList<MergeRow>> ListMergesAsync(CallIdentity identity, string? source, string? target, string? status,
        CancellationToken cancellationToken)
        => database.QueryAsync<MergeRow>(identity, "SELECT * FROM pggit_v0.list_merges(@source, @target, @status)",
            new { source, target, status }, cancellationToken);

    public Task<IReadOnlyList<ConflictRow>> ListConflictsAsync(CallIdentity identity, Guid? mergeId, CancellationToken cancellationToken)
        => database.QueryAsync<ConflictRow>(identity, "SELECT * FROM pggit_v0.list_merge_conflicts(@mergeId::uuid)",
            new { mergeId }, cancellationToken);

    /// <summary>pggit_v0.resolve_conflict, then the merge it resolved a conflict of (completed when it was the last).</summary>
    public Task<MergeRow> ResolveConflictAsync(CallIdentity identity, Guid? mergeId, string objectPath, string strategy,
        string? manualDdl, CancellationToken cancellationToken)
        // The merge is picked first, the way resolve_conflict picks it when none is named (the only
        // pending merge with a conflict on that path; an error naming the candidates otherwise), and
        // kept in a transaction-local setting for the read-back.
        => database.WriteBatchAsync(identity, """
            SELECT pggit_v0.resolve_conflict(@objectPath, @strategy, @manualDdl, m.id)
            FROM (SELECT set_config('pggit.resolving_merge', pggit_v0._pending_merge(@mergeId::uuid, @objectPath)::text, true)::uuid AS id) m;
            SELECT m.* FROM pggit_v0.list_merges(NULL, NULL, NULL) m WHERE m.merge_id = current_setting('pggit.resolving_merge')::uuid;
            """, new { mergeId, objectPath, strategy, manualDdl }, LastRowAsync<MergeRow>, null, cancellationToken);

    /// <summary>pggit_v0.complete_merge; returns the merge commit.</summary>
    public async Task<string> CompleteMergeAsync(CallIdentity identity, Guid? mergeId, CancellationToken cancellationToken)
        => (await database.WriteAsync<string>(identity, "SELECT pggit_v0.complete_merge(@mergeId::uuid)", new { mergeId }, cancellationToken))
            .Rows.Single();

    /// <summary>pggit_v0.abort_merge; returns the merge it abandoned.</summary>
    public async Task<Guid> AbortMergeAsync(CallIdentity identity, Guid? mergeId, CancellationToken cancellationToken)
    {
        // The subquery reads merges in the statement's snapshot, taken before abort_merge deleted the row,
        // and picks the merge abort_merge picks for NULL: the only pending one (it raises when there are several).
        var (rows, _) = await database.WriteAsync<Guid>(identity, """
            SELECT (SELECT m.id FROM pggit_v0.merges m WHERE m.status = 'conflicted' AND (@mergeId::uuid IS NULL OR m.id = @mergeId::uuid))
            FROM pggit_v0.abort_merge(@mergeId::uuid)
            """, new { mergeId }, cancellationToken);
        return rows.Single();
    }

    /// <summary>
    /// pggit_v0.rebase_branch_detailed with pggit.progress on; <paramref name="onProgress"/> gets
    /// (done, total) for each of its progress notices while it runs.
    /// </summary>
    public Task<RebaseRow> RebaseBranchAsync(CallIdentity identity, string branch, string? onto, Action<int, int> onProgress,
        CancellationToken cancellationToken)
        => database.WriteBatchAsync(identity, """
            SELECT set_config('pggit.progress', 'on', true);
            SELECT * FROM pggit_v0.rebase_branch_detailed(@branch, @onto);
            """, new { branch, onto }, LastRowAsync<RebaseRow>, notice =>
            {
                var match = ProgressNotice().Match(notice.MessageText);
                if (match.Success)
                    onProgress(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            }, cancellationToken);

    public async Task<CherryPickRow> CherryPickAsync(CallIdentity identity, string commit, string branch, CancellationToken cancellationToken)
        => (await database.WriteAsync<CherryPickRow>(identity, "SELECT * FROM pggit_v0.cherry_pick(@commit, @branch)",
            new { commit, branch }, cancellationToken)).Rows.Single();

    /// <summary>pggit_v0.create_merge_request, then the request as get_merge_request shows it.</summary>
    public async Task<MergeRequestRow> CreateMergeRequestAsync(CallIdentity identity, string source, string target, string title,
        string? description, string? reviewer, CancellationToken cancellationToken)
    {
        var (rows, _) = await database.WriteAsync<MergeRequestRow>(identity, """
            SELECT r.* FROM pggit_v0.create_merge_request(@source, @target, @title, @description, @reviewer) c
            CROSS JOIN LATERAL pggit_v0.get_merge_request(c.mr_id) r
            """, new { source, target, title, description, reviewer }, cancellationToken);
        return rows.Single();
    }

    public async Task<MergeRequestRow> GetMergeRequestAsync(CallIdentity identity, Guid id, CancellationToken cancellationToken)
        => (await database.QueryAsync<MergeRequestRow>(identity, "SELECT * FROM pggit_v0.get_merge_request(@id)", new { id }, cancellationToken))
            .Single();

    public Task<IReadOnlyList<MergeRequestRow>> ListMergeRequestsAsync(CallIdentity identity, string? status, string? target, string? source,
        Guid? afterId, int limit, CancellationToken cancellationToken)
        => database.QueryAsync<MergeRequestRow>(identity,
            "SELECT * FROM pggit_v0.list_merge_requests(@status, @target, @source, @afterId::uuid, @limit)",
            new { status, target, source, afterId, limit }, cancellationToken);

    /// <summary>pggit_v0.approve_merge_request as the calling identity (p_approved_by NULL = pggit.actor).</summary>
    public Task<MergeRequestRow> ApproveMergeRequestAsync(CallIdentity identity, Guid id, string? notes, CancellationToken cancellationToken)
        => ChangeMergeRequestAsync(identity, id, "SELECT pggit_v0.approve_merge_request(@id, NULL, @notes)", new { id, notes }, cancellationToken);

    /// <summary>pggit_v0.complete_merge_request with the calling identity as the merge's author (p_author NULL = pggit.actor).</summary>
    public Task<MergeRequestRow> CompleteMergeRequestAsync(CallIdentity identity, Guid id, CancellationToken cancellationToken)
        => ChangeMergeRequestAsync(identity, id, "SELECT pggit_v0.complete_merge_request(@id, NULL)", new { id }, cancellationToken);

    public Task<MergeRequestRow> CloseMergeRequestAsync(CallIdentity identity, Guid id, CancellationToken cancellationToken)
        => ChangeMergeRequestAsync(identity, id, "SELECT pggit_v0.close_merge_request(@id)", new { id }, cancellationToken);

    /// <summary>Runs <paramref name="change"/>, then reads the request back in the same transaction.</summary>
    private Task<MergeRequestRow> ChangeMergeRequestAsync(CallIdentity identity, Guid id, string change, object parameters,
        CancellationToken cancellationToken)
        => database.WriteBatchAsync(identity, change + ";\nSELECT * FROM pggit_v0.get_merge_request(@id);", parameters, LastRowAsync<MergeRequestRow>, null, cancellationToken);

    /// <summary>The one row of a two-statement batch's second statement (the first is the change).</summary>
    private static async Task<T> LastRowAsync<T>(SqlMapper.GridReader results)
    {
        await results.ReadAsync();
        return await results.ReadSingleAsync<T>();
    }

    // sql/pggit_v0_branching.sql, rebase_branch_detailed: 'pggit progress: rebase <branch> <done>/<total>'.
    [GeneratedRegex(@"^pggit progress: rebase .+ (\d+)/(\d+)$")]
    private static partial Regex ProgressNotice();
}
