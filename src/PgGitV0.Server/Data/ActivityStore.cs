using Dapper;

namespace PgGitV0.Server.Data;

/// <summary>
/// Reads pggit_v0.activity, the table every write appends to. Ids are assigned in commit order, so
/// "rows with id greater than the last one seen" never skips an event (DESIGN.md section 3). Reads
/// here are plain SELECTs rather than tracked functions: the stream polls, and a metrics row per
/// poll would be noise.
/// </summary>
public sealed class ActivityStore(PgGitDatabase database)
{
    private const string Columns = "a.id, a.kind, a.ref_name, a.sha, a.actor, a.at, a.details::text AS details";

    public async Task<long> MaxIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT coalesce(max(id), 0) FROM pggit_v0.activity", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="afterId"/>, in id order, matching the filter.</summary>
    public async Task<IReadOnlyList<ActivityRow>> ReadAfterAsync(long afterId, int limit, ActivityFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var sql = $"""
            SELECT {Columns} FROM pggit_v0.activity a
            WHERE a.id > @afterId
              AND (@kinds::text[] IS NULL OR a.kind = ANY (@kinds::text[]))
              AND (@branch::text IS NULL OR a.ref_name = @branch::text)
            ORDER BY a.id LIMIT @limit
            """;
        var rows = await connection.QueryAsync<ActivityRow>(new CommandDefinition(sql,
            new { afterId, limit, kinds = filter.Kinds, branch = filter.Branch }, cancellationToken: cancellationToken));
        return rows.AsList();
    }
}

/// <summary>Which events a subscriber wants: null kinds or branch = all.</summary>
public sealed record ActivityFilter(string[]? Kinds, string? Branch)
{
    public static readonly ActivityFilter All = new(null, null);

    public bool Matches(ActivityRow row)
        => (Kinds is null || Kinds.Contains(row.Kind, StringComparer.Ordinal))
           && (Branch is null || string.Equals(row.RefName, Branch, StringComparison.Ordinal));
}
