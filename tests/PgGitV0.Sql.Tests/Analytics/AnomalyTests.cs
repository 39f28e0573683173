using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Analytics;

/// <summary>detect_anomalies: a plain history has none; each unusual pattern, made on purpose, is reported.</summary>
public sealed class AnomalyTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private string _root = "", _tip = "";

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = await _db.OpenAsync();
        _root = await CommitAsync(db, null, """{"public/schema.sql": "CREATE SCHEMA IF NOT EXISTS public;"}""", DateTimeOffset.UtcNow.AddHours(-3));
        _tip = await CommitAsync(db, _root, """{"public/tables/a.sql": "CREATE TABLE public.a (id int);"}""", DateTimeOffset.UtcNow.AddHours(-2));
        await db.ExecuteAsync("SELECT pggit_v0.update_ref('main', @tip, NULL); SELECT pggit_v0.update_ref('old-feature', @root, NULL)", new { tip = _tip, root = _root });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static async Task<string> CommitAsync(NpgsqlConnection db, string? parent, string changes, DateTimeOffset at, NpgsqlTransaction? tx = null)
    {
        var baseTree = parent is null ? null : await db.ExecuteScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @parent", new { parent }, tx);
        var tree = await db.ExecuteScalarAsync<string>("SELECT pggit_v0.write_tree(@baseTree, @changes::jsonb)", new { baseTree, changes }, tx);
        return (await db.ExecuteScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, @parents, 'change', 'Tester <t@example.com>', NULL, @at, @at)",
            new { tree, parents = parent is null ? Array.Empty<string>() : new[] { parent }, at }, tx))!;
    }

    private static async Task<List<(string Type, string Severity, string Details)>> AnomaliesAsync(NpgsqlConnection db, NpgsqlTransaction? tx = null, string arguments = "") =>
        (await db.QueryAsync<(string, string, string)>($"SELECT * FROM pggit_v0.detect_anomalies({arguments})", transaction: tx)).AsList();

    [Fact]
    public async Task A_plain_recent_history_has_no_anomalies()
    {
        await using var db = await _db.OpenAsync();
        Assert.Empty(await AnomaliesAsync(db));
    }

    [Fact]
    public async Task Clock_problems_are_reported()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        var future = await CommitAsync(db, _tip, """{"public/tables/b.sql": "CREATE TABLE public.b (id int);"}""", DateTimeOffset.UtcNow.AddDays(2), tx);
        var skewed = await CommitAsync(db, _tip, """{"public/tables/c.sql": "CREATE TABLE public.c (id int);"}""", DateTimeOffset.UtcNow.AddDays(-5), tx);
        var rows = await AnomaliesAsync(db, tx);
        Assert.Equal(("commit_in_future", "warning"), (rows[0].Type, rows[0].Severity));
        Assert.StartsWith("1: " + future[..12], rows[0].Details);
        var before = rows.Single(r => r.Type == "commit_before_parent");
        Assert.Equal("info", before.Severity);
        Assert.Contains(skewed[..12], before.Details);
        Assert.Contains("parent " + _tip[..12], before.Details);
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Large_commits_are_measured_against_the_threshold_setting()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        var many = "{" + string.Join(", ", Enumerable.Range(0, 4).Select(i => $"\"public/tables/t{i}.sql\": \"CREATE TABLE public.t{i} (id int);\"")) + "}";
        var large = await CommitAsync(db, _tip, many, DateTimeOffset.UtcNow.AddHours(-1), tx);
        Assert.DoesNotContain(await AnomaliesAsync(db, tx), r => r.Type == "very_large_commit");
        await db.ExecuteAsync("SELECT pggit_v0.set_setting('large_commit_threshold', '4')", transaction: tx);
        Assert.Equal(("info", $"1: {large[..12]} changes 4 objects"),
            (await AnomaliesAsync(db, tx)).Where(r => r.Type == "very_large_commit").Select(r => (r.Severity, r.Details)).Single());
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Stale_branches_pending_merges_and_old_merge_requests_are_reported()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("UPDATE pggit_v0.refs SET updated_at = now() - interval '100 days' WHERE name IN ('old-feature', 'main')", transaction: tx);
        await db.ExecuteAsync("""
            INSERT INTO pggit_v0.merges (source_branch, target_branch, source_sha, target_sha, base_shas, strategy, status, created_by, created_at)
            VALUES ('old-feature', 'release', @root, @tip, ARRAY[@root], 'recursive', 'conflicted', 't', now() - interval '10 days');
            INSERT INTO pggit_v0.merge_requests (source_branch, target_branch, title, source_sha, target_sha, has_conflicts, created_by, created_at)
            VALUES ('old-feature', 'main', 'Ancient request', @root, @tip, false, 't', now() - interval '9 days');
            """, new { root = _root, tip = _tip }, tx);
        var rows = await AnomaliesAsync(db, tx);
        Assert.StartsWith("1: old-feature (last moved ", rows.Single(r => r.Type == "stale_branch").Details);  // main is the default branch
        Assert.Equal("warning", rows.Single(r => r.Type == "pending_merge").Severity);
        Assert.Contains("old-feature into release", rows.Single(r => r.Type == "pending_merge").Details);
        Assert.Contains("Ancient request", rows.Single(r => r.Type == "open_merge_request").Details);
        Assert.Equal("pending_merge", rows[0].Type);  // warnings before infos

        var relaxed = await AnomaliesAsync(db, tx, "200, 30");
        Assert.DoesNotContain(relaxed, r => r.Type is "stale_branch" or "pending_merge" or "open_merge_request");
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Bursts_of_ref_moves_and_slowing_operations_are_reported()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        var previous = _tip;
        for (var i = 0; i < 31; i++)
        {
            var next = await CommitAsync(db, previous, $$"""{"public/tables/a.sql": "CREATE TABLE public.a (id int, v{{i}} int);"}""", DateTimeOffset.UtcNow.AddMinutes(-90 + i), tx);
            await db.ExecuteAsync("SELECT pggit_v0.update_ref('main', @next, @previous)", new { next, previous }, tx);
            previous = next;
        }
        await db.ExecuteAsync("""
            INSERT INTO pggit_v0.operation_metrics (operation, started_at, duration_ms, actor)
            SELECT 'slow_op', now() - interval '3 days', 10, 't' FROM generate_series(1, 10)
            UNION ALL SELECT 'slow_op', now() - interval '1 hour', 25, 't' FROM generate_series(1, 10)
            UNION ALL SELECT 'steady_op', now() - interval '3 days', 10, 't' FROM generate_series(1, 10)
            UNION ALL SELECT 'steady_op', now() - interval '1 hour', 15, 't' FROM generate_series(1, 10);
            """, transaction: tx);
        var rows = await AnomaliesAsync(db, tx);
        Assert.Matches(@"^1: main moved 3[12] times in the minute from ", rows.Single(r => r.Type == "ref_move_burst").Details);
        Assert.Equal("1: slow_op: 25.0 ms in the last day, 10.0 ms before", rows.Single(r => r.Type == "operation_slowing_down").Details);
        await tx.RollbackAsync();
    }

    [Theory]
    [InlineData("0, 7", "p_stale_days 0")]
    [InlineData("90, -1", "p_pending_days -1")]
    public async Task Bad_windows_are_rejected_by_value(string arguments, string message)
    {
        await using var db = await _db.OpenAsync();
        var e = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync($"SELECT * FROM pggit_v0.detect_anomalies({arguments})"));
        Assert.Contains(message, e.MessageText);
    }
}
