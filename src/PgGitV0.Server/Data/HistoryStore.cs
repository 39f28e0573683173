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
}
