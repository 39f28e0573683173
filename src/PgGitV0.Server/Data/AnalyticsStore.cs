using PgGitV0.Server.Security;

namespace PgGitV0.Server.Data;

/// <summary>
/// The SQL behind AnalyticsService: each method reads one insight view of sql/pggit_v0_views.sql in a
/// fixed order; the long views are read a page at a time by keyset on that order.
/// </summary>
public sealed class AnalyticsStore(PgGitDatabase database)
{
    public Task<IReadOnlyList<AuthorCommitSummaryRow>> RecentCommitsByAuthorAsync(CallIdentity identity, CancellationToken cancellationToken)
        => database.QueryAsync<AuthorCommitSummaryRow>(identity,
            "SELECT * FROM pggit_v0.recent_commits_by_author ORDER BY last_commit_at DESC, author, author_email", null, cancellationToken);

    /// <summary>Most changes first, then by path; after (<paramref name="afterCount"/>, <paramref name="afterPath"/>) when given.</summary>
    public Task<IReadOnlyList<ChangedObjectRow>> MostChangedObjectsAsync(CallIdentity identity, long? afterCount, string? afterPath, int limit,
        CancellationToken cancellationToken)
        => database.QueryAsync<ChangedObjectRow>(identity, """
            SELECT * FROM pggit_v0.most_changed_objects
            WHERE @afterCount::bigint IS NULL OR change_count < @afterCount::bigint
               OR (change_count = @afterCount::bigint AND object_path > @afterPath::text COLLATE "C")
            ORDER BY change_count DESC, object_path COLLATE "C" LIMIT @limit
            """, new { afterCount, afterPath, limit }, cancellationToken);

    public Task<IReadOnlyList<BranchComparisonRow>> BranchComparisonAsync(CallIdentity identity, CancellationToken cancellationToken)
        => database.QueryAsync<BranchComparisonRow>(identity,
            "SELECT * FROM pggit_v0.branch_comparison ORDER BY branch_name COLLATE \"C\"", null, cancellationToken);

    public Task<IReadOnlyList<DailyChangeSummaryRow>> DailyChangeSummaryAsync(CallIdentity identity, CancellationToken cancellationToken)
        => database.QueryAsync<DailyChangeSummaryRow>(identity,
            "SELECT * FROM pggit_v0.daily_change_summary ORDER BY day DESC", null, cancellationToken);

    public Task<IReadOnlyList<SchemaGrowthRow>> SchemaGrowthHistoryAsync(CallIdentity identity, CancellationToken cancellationToken)
        => database.QueryAsync<SchemaGrowthRow>(identity, """
            SELECT commit_number::bigint, commit_sha, committed_at, message, objects_added::bigint, object_count::bigint
            FROM pggit_v0.schema_growth_history ORDER BY commit_number
            """, null, cancellationToken);

    /// <summary>
    /// Newest first: committed_at, then generation (commits of the same second), commit and path, all descending;
    /// after the given position when there is one.
    /// </summary>
    public Task<IReadOnlyList<AuthorActivityRow>> AuthorActivityAsync(CallIdentity identity, string? author, AuthorActivityPosition? after, int limit,
        CancellationToken cancellationToken)
        => database.QueryAsync<AuthorActivityRow>(identity, """
            SELECT a.*, g.generation FROM pggit_v0.author_activity a
            JOIN pggit_v0.commit_graph g ON g.commit_sha = a.commit_sha
            WHERE (@author::text IS NULL OR lower(a.author) = lower(@author::text) OR lower(a.author_email) = lower(@author::text))
              AND (@afterAt::timestamptz IS NULL
                   OR (a.committed_at, g.generation, a.commit_sha, a.object_path)
                      < (@afterAt::timestamptz, @afterGeneration::int, @afterSha::text COLLATE "C", @afterPath::text COLLATE "C"))
            ORDER BY a.committed_at DESC, g.generation DESC, a.commit_sha COLLATE "C" DESC, a.object_path COLLATE "C" DESC LIMIT @limit
            """, new { author, afterAt = after?.CommittedAt, afterGeneration = after?.Generation, afterSha = after?.CommitSha, afterPath = after?.ObjectPath, limit },
            cancellationToken);

    public Task<IReadOnlyList<CommitWithoutMessageRow>> CommitsWithoutMessageAsync(CallIdentity identity, CancellationToken cancellationToken)
        => database.QueryAsync<CommitWithoutMessageRow>(identity,
            "SELECT * FROM pggit_v0.commit_without_message ORDER BY committed_at DESC, commit_sha COLLATE \"C\"", null, cancellationToken);

    public Task<IReadOnlyList<OrphanedObjectRow>> OrphanedObjectsAsync(CallIdentity identity, string? afterSha, int limit, CancellationToken cancellationToken)
        => database.QueryAsync<OrphanedObjectRow>(identity, """
            SELECT sha, type, size::bigint FROM pggit_v0.orphaned_objects
            WHERE @afterSha::text IS NULL OR sha > @afterSha::text COLLATE "C"
            ORDER BY sha COLLATE "C" LIMIT @limit
            """, new { afterSha, limit }, cancellationToken);

    public Task<IReadOnlyList<LargeCommitRow>> LargeCommitsAsync(CallIdentity identity, CancellationToken cancellationToken)
        => database.QueryAsync<LargeCommitRow>(identity, """
            SELECT commit_sha, author, committed_at, message, objects_changed::bigint, creates::bigint, alters::bigint, drops::bigint
            FROM pggit_v0.large_commits ORDER BY committed_at DESC, commit_sha COLLATE "C"
            """, null, cancellationToken);
}

/// <summary>A position in the author_activity order: the last row of the previous page.</summary>
public sealed record AuthorActivityPosition(DateTime CommittedAt, int Generation, string CommitSha, string ObjectPath);
