using Npgsql;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Data;

/// <summary>The SQL behind HistoryService: each method is one call of a pggit_v0 function.</summary>
public sealed class HistoryStore(PgGitDatabase database)
{
    /// <summary>pggit_v0.commit; Created is false when the function reported 'nothing to commit'.</summary>
    public async Task<(CreatedCommitRow Commit, bool Created)> CreateCommitAsync(
        CallIdentity identity, string message, string? author, CancellationToken cancellationToken)
    {
        var (rows, notices) = await database.WriteAsync<CreatedCommitRow>(identity,
            "SELECT c.*, (SELECT h.branch FROM pggit_v0.head h) AS branch FROM pggit_v0.get_commit(pggit_v0.commit(@message, @author)) c",
            new { message, author }, cancellationToken);
        return (rows.Single(), !notices.Any(IsNothingToCommit));
    }

    private static bool IsNothingToCommit(PostgresNotice notice)
        => notice.MessageText.StartsWith("nothing to commit", StringComparison.Ordinal);

    public Task<IReadOnlyList<CommitRow>> ListCommitsAsync(CallIdentity identity, string? branch, string? afterSha, int limit,
        string? author, DateTimeOffset? since, CancellationToken cancellationToken)
        => database.QueryAsync<CommitRow>(identity,
            "SELECT * FROM pggit_v0.list_commits(@branch, @afterSha, @limit, @author, @since)",
            new { branch, afterSha, limit, author, since }, cancellationToken);

    public async Task<CommitRow?> GetCommitAsync(CallIdentity identity, string? reference, CancellationToken cancellationToken)
        => (await database.QueryAsync<CommitRow>(identity, "SELECT * FROM pggit_v0.get_commit(@reference)",
            new { reference }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<ObjectRow>> ListObjectsAsync(CallIdentity identity, string? reference, string? afterPath, int limit,
        CancellationToken cancellationToken)
        => database.QueryAsync<ObjectRow>(identity,
            "SELECT * FROM pggit_v0.list_objects_after(@reference, @afterPath, @limit)",
            new { reference, afterPath, limit }, cancellationToken);

    public async Task<ObjectDetailRow?> GetObjectAsync(CallIdentity identity, string? reference, string? schemaName, string? objectName,
        string? objectType, string? path, CancellationToken cancellationToken)
        => (await database.QueryAsync<ObjectDetailRow>(identity,
            "SELECT * FROM pggit_v0.get_object(@schemaName, @objectName, @reference, @objectType, @path)",
            new { schemaName, objectName, reference, objectType, path }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<ObjectHistoryRow>> GetObjectHistoryAsync(CallIdentity identity, string? schemaName, string objectName, int limit,
        CancellationToken cancellationToken)
        => database.QueryAsync<ObjectHistoryRow>(identity,
            "SELECT * FROM pggit_v0.get_object_history(@schemaName, @objectName, @limit)",
            new { schemaName, objectName, limit }, cancellationToken);

    public Task<IReadOnlyList<ObjectDiffRow>> DiffCommitsAsync(CallIdentity identity, string? oldRef, string? newRef, CancellationToken cancellationToken)
        => database.QueryAsync<ObjectDiffRow>(identity,
            "SELECT object_path, change_type, old_definition, new_definition FROM pggit_v0.diff_commits(@oldRef, @newRef)",
            new { oldRef, newRef }, cancellationToken);

    /// <summary>pggit_v0.diff_branches, or with <paramref name="fromMergeBase"/> diff_branches_from_base.</summary>
    public Task<IReadOnlyList<ObjectDiffRow>> DiffBranchesAsync(CallIdentity identity, string? branch1, string? branch2, bool fromMergeBase,
        CancellationToken cancellationToken)
        => database.QueryAsync<ObjectDiffRow>(identity, fromMergeBase
                ? "SELECT object_path, change_type, base_definition AS old_definition, branch2_definition AS new_definition FROM pggit_v0.diff_branches_from_base(@branch1, @branch2)"
                : "SELECT object_path, change_type, branch1_definition AS old_definition, branch2_definition AS new_definition FROM pggit_v0.diff_branches(@branch1, @branch2)",
            new { branch1, branch2 }, cancellationToken);

    /// <summary>pggit_v0.merge_base; null for unrelated histories.</summary>
    public async Task<string?> MergeBaseAsync(CallIdentity identity, string? ref1, string? ref2, CancellationToken cancellationToken)
        => (await database.QueryAsync<string?>(identity, "SELECT pggit_v0.merge_base(@ref1, @ref2)", new { ref1, ref2 }, cancellationToken)).Single();

    /// <summary>
    /// The refs an export of <paramref name="branches"/> carries in name order (pggit_v0.export_refs; every ref
    /// when empty) and the branch its HEAD names (pggit_v0.export_head).
    /// </summary>
    public async Task<(IReadOnlyList<GitRefRow> Refs, string HeadBranch)> ExportRefsAsync(CallIdentity identity, string[] branches,
        CancellationToken cancellationToken)
    {
        var refs = await database.QueryAsync<GitRefRow>(identity,
            "SELECT name, type, target_sha FROM pggit_v0.export_refs(@branches)", new { branches }, cancellationToken);
        var head = (await database.QueryAsync<string>(identity, "SELECT pggit_v0.export_head(@branches)", new { branches }, cancellationToken)).Single();
        return (refs, head);
    }

    /// <summary>Up to <paramref name="limit"/> objects after <paramref name="afterSha"/> in sha order, with git's payloads.</summary>
    public Task<IReadOnlyList<GitObjectRow>> ExportObjectsAsync(CallIdentity identity, string? afterSha, int limit, CancellationToken cancellationToken)
        => database.QueryAsync<GitObjectRow>(identity, """
            SELECT o.sha, o.type, pggit_v0.cat_object(o.sha) AS payload FROM pggit_v0.objects o
            WHERE @afterSha::text IS NULL OR o.sha > @afterSha::text COLLATE "C"
            ORDER BY o.sha COLLATE "C" LIMIT @limit
            """, new { afterSha, limit }, cancellationToken);

    /// <summary>The ids of every object reachable from <paramref name="tips"/> (pggit_v0.reachable_objects), in sha order.</summary>
    public Task<IReadOnlyList<string>> ReachableObjectsAsync(CallIdentity identity, string[] tips, CancellationToken cancellationToken)
        => database.QueryAsync<string>(identity,
            "SELECT r.sha FROM pggit_v0.reachable_objects(@tips) r ORDER BY r.sha COLLATE \"C\"", new { tips }, cancellationToken);

    /// <summary>The objects <paramref name="shas"/> names, in sha order, with git's payloads.</summary>
    public Task<IReadOnlyList<GitObjectRow>> ExportObjectsAsync(CallIdentity identity, string[] shas, CancellationToken cancellationToken)
        => database.QueryAsync<GitObjectRow>(identity, """
            SELECT o.sha, o.type, pggit_v0.cat_object(o.sha) AS payload
            FROM unnest(@shas::text[]) AS s(sha) JOIN pggit_v0.objects o ON o.sha = s.sha COLLATE "C"
            ORDER BY o.sha COLLATE "C"
            """, new { shas }, cancellationToken);
}
