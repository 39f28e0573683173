using Dapper;
using PgGitV0.Sql.Tests.History;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Analytics;

/// <summary>analyze_query_performance over operation_metrics, and benchmark_extraction_functions.</summary>
public sealed class PerformanceAnalyticsTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = await _db.OpenAsync();
        var tips = await new HistoryBuilder(db, seed: 3).BuildBranchyHistoryAsync(steps: 20, branches: 1);
        await db.ExecuteAsync("CREATE TABLE public.live (id int PRIMARY KEY)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Operations_are_aggregated_from_the_metrics_table()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("""
            DELETE FROM pggit_v0.operation_metrics;
            INSERT INTO pggit_v0.operation_metrics (operation, started_at, duration_ms, actor) VALUES
                ('zeta_op', now() - interval '2 days', 10, 't'), ('zeta_op', now() - interval '1 hour', 30, 't'), ('zeta_op', now(), 50, 't'),
                ('alpha_op', now() - interval '3 days', 1.5, 't');
            """, transaction: tx);
        var rows = (await db.QueryAsync<(string Op, TimeSpan Avg, TimeSpan Min, TimeSpan Max, long Count)>(
            "SELECT * FROM pggit_v0.analyze_query_performance()", transaction: tx)).AsList();
        Assert.Equal(new[]
        {
            ("alpha_op", TimeSpan.FromMicroseconds(1500), TimeSpan.FromMicroseconds(1500), TimeSpan.FromMicroseconds(1500), 1L),
            ("zeta_op", TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), 3L),
        }, rows);
        var recent = (await db.QueryAsync<(string Op, TimeSpan Avg, TimeSpan Min, TimeSpan Max, long Count)>(
            "SELECT * FROM pggit_v0.analyze_query_performance(now() - interval '1 day')", transaction: tx)).AsList();
        // The first call recorded itself; the window keeps zeta_op's last two calls.
        Assert.Equal(("zeta_op", TimeSpan.FromMilliseconds(40), 2L), recent.Where(r => r.Op == "zeta_op").Select(r => (r.Op, r.Avg, r.Count)).Single());
        Assert.DoesNotContain(recent, r => r.Op == "alpha_op");
        Assert.Contains(recent, r => r.Op == "analyze_query_performance" && r.Count == 1);
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task A_future_start_is_rejected_by_value()
    {
        await using var db = await _db.OpenAsync();
        var e = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT * FROM pggit_v0.analyze_query_performance('2999-01-01')"));
        Assert.Contains("2999-01-01", e.MessageText);
    }

    [Fact]
    public async Task The_benchmark_times_each_read_function_and_leaves_no_metrics_of_its_samples()
    {
        await using var db = await _db.OpenAsync();
        var before = await db.QueryAsync<(string, long)>("SELECT operation, count(*) FROM pggit_v0.operation_metrics GROUP BY 1 ORDER BY 1");
        var rows = (await db.QueryAsync<(string Name, TimeSpan? Avg, long Samples, string Status)>(
            "SELECT * FROM pggit_v0.benchmark_extraction_functions(3, '1 hour')")).AsList();
        Assert.Equal(new[] { "get_object_definition", "list_objects", "get_commit_history", "diff_commits", "ls_tree", "snapshot_schema" }, rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal((3L, "ok"), (r.Samples, r.Status)));
        Assert.All(rows, r => Assert.True(r.Avg > TimeSpan.Zero));
        var after = await db.QueryAsync<(string, long)>(
            "SELECT operation, count(*) FROM pggit_v0.operation_metrics WHERE operation <> 'benchmark_extraction_functions' GROUP BY 1 ORDER BY 1");
        Assert.Equal(before, after);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.operation_metrics WHERE operation = 'benchmark_extraction_functions'"));

        var strict = await db.QueryAsync<string>("SELECT status FROM pggit_v0.benchmark_extraction_functions(1, '1 microsecond')");
        Assert.All(strict, s => Assert.Equal("slow", s));
    }

    [Fact]
    public async Task A_benchmarked_function_that_errors_is_reported_and_the_others_still_run()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("ALTER FUNCTION pggit_v0.ls_tree(text) RENAME TO ls_tree_moved", transaction: tx);
        var rows = (await db.QueryAsync<(string Name, TimeSpan? Avg, long Samples, string Status)>(
            "SELECT * FROM pggit_v0.benchmark_extraction_functions(1, '1 hour')", transaction: tx)).AsList();
        var failed = rows.Single(r => r.Name == "ls_tree");
        Assert.Equal((null, 0L), (failed.Avg, failed.Samples));
        Assert.StartsWith("failed: function pggit_v0.ls_tree(", failed.Status);
        Assert.All(rows.Where(r => r.Name != "ls_tree"), r => Assert.Equal("ok", r.Status));
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task The_benchmark_skips_what_an_empty_repository_cannot_run()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rows = (await db.QueryAsync<(string Name, TimeSpan? Avg, long Samples, string Status)>("SELECT * FROM pggit_v0.benchmark_extraction_functions(1)")).AsList();
        Assert.All(rows.Where(r => r.Name != "snapshot_schema"), r => Assert.Equal((null, 0L), (r.Avg, r.Samples)));
        Assert.All(rows.Where(r => r.Name != "snapshot_schema"), r => Assert.StartsWith("skipped: ", r.Status));
        Assert.Equal(1L, rows.Single(r => r.Name == "snapshot_schema").Samples);
    }

    [Theory]
    [InlineData("0, '100 ms'", "p_samples 0")]
    [InlineData("101, '100 ms'", "p_samples 101")]
    [InlineData("5, '-1 s'", "p_threshold -00:00:01")]
    public async Task Bad_benchmark_arguments_are_rejected_by_value(string arguments, string message)
    {
        await using var db = await _db.OpenAsync();
        var e = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync($"SELECT * FROM pggit_v0.benchmark_extraction_functions({arguments})"));
        Assert.Contains(message, e.MessageText);
    }
}
