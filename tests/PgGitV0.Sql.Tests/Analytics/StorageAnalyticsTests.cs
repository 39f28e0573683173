using Dapper;
using PgGitV0.Sql.Tests.History;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Analytics;

/// <summary>analyze_storage_usage and get_object_size_distribution against counts computed independently.</summary>
public sealed class StorageAnalyticsTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = await _db.OpenAsync();
        await new HistoryBuilder(db, seed: 7).BuildBranchyHistoryAsync(steps: 40, branches: 3);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Storage_counts_and_sizes_match_the_objects()
    {
        await using var db = await _db.OpenAsync();
        var usage = await db.QuerySingleAsync<(long Commits, long Objects, long Size, long Avg, long Largest, double Ratio)>(
            "SELECT * FROM pggit_v0.analyze_storage_usage()");
        var expected = await db.QuerySingleAsync<(long Commits, long Objects, long Size, long Avg, long Largest)>(
            """
            SELECT (SELECT count(*) FROM pggit_v0.commit_graph), count(*), sum(size)::bigint, round(avg(size))::bigint, max(size)::bigint
            FROM pggit_v0.objects
            """);
        Assert.Equal(expected, (usage.Commits, usage.Objects, usage.Size, usage.Avg, usage.Largest));
        Assert.Equal(41, usage.Commits);
    }

    [Fact]
    public async Task Deduplication_ratio_is_every_commits_blob_bytes_over_the_distinct_blobs_stored()
    {
        await using var db = await _db.OpenAsync();
        // Brute force: expand every commit's tree (ls_tree) and add up its blob sizes.
        var logical = await db.ScalarAsync<decimal>(
            "SELECT sum(t.size) FROM pggit_v0.commit_graph g CROSS JOIN LATERAL pggit_v0.ls_tree(g.commit_sha) t");
        var stored = await db.ScalarAsync<decimal>("SELECT sum(size) FROM pggit_v0.objects WHERE type = 'blob'");
        var ratio = await db.ScalarAsync<double>("SELECT deduplication_ratio FROM pggit_v0.analyze_storage_usage()");
        Assert.True(Math.Abs((double)(logical / stored) - ratio) < 1e-9, $"ratio {ratio}, expected {logical / stored}");
        Assert.True(ratio > 1, "commits share blobs, so the ratio exceeds 1");
    }

    [Fact]
    public async Task An_empty_repository_has_zero_counts_and_no_ratio()
    {
        await using var db = await TestDatabase.CreateAsync();
        var usage = await db.QueryAsync<(long, long, long, long, long, double?)>("SELECT * FROM pggit_v0.analyze_storage_usage()");
        Assert.Equal((0L, 0L, 0L, 0L, 0L, (double?)null), Assert.Single(usage));
    }

    [Fact]
    public async Task Size_distribution_lists_fixed_buckets_in_size_order_and_adds_up()
    {
        await using var db = await _db.OpenAsync();
        // One blob of 5,000 bytes and one of 20,000 bytes (the DDL plus its newline).
        static string Padded(string ddl, int size) => ddl + new string('-', size - 1 - ddl.Length);
        var big = Padded("CREATE VIEW public.big AS SELECT 1;", 5000);
        var huge = Padded("CREATE VIEW public.huge AS SELECT 1;", 20000);
        var shas = await db.ScalarAsync<string[]>("SELECT pggit_v0._write_blobs(ARRAY[@big || E'\\n', @huge || E'\\n'])", new { big, huge });
        Assert.Equal(new[] { 5000, 20000 }, await db.QueryAsync<int>("SELECT size FROM pggit_v0.objects WHERE sha = ANY (@shas) ORDER BY size", new { shas }));

        var rows = (await db.QueryAsync<(string Bucket, long Count, long Size)>("SELECT * FROM pggit_v0.get_object_size_distribution()")).AsList();
        Assert.Equal(new[] { "0-1 KB", "1-10 KB", "10-100 KB", "100 KB-1 MB", "1-10 MB", "10 MB+" }, rows.Select(r => r.Bucket));
        var expected = await db.QuerySingleAsync<(long Small, long SmallSize, long Mid, long MidSize)>(
            "SELECT count(*) FILTER (WHERE size < 1024), coalesce(sum(size) FILTER (WHERE size < 1024), 0)::bigint, count(*) FILTER (WHERE size >= 1024 AND size < 10240), coalesce(sum(size) FILTER (WHERE size >= 1024 AND size < 10240), 0)::bigint FROM pggit_v0.objects");
        Assert.Equal((expected.Small, expected.SmallSize), (rows[0].Count, rows[0].Size));
        Assert.Equal((expected.Mid, expected.MidSize), (rows[1].Count, rows[1].Size));
        Assert.Equal((1L, 20000L), (rows[2].Count, rows[2].Size));
        Assert.All(rows.Skip(3), r => Assert.Equal((0L, 0L), (r.Count, r.Size)));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.objects"), rows.Sum(r => r.Count));

        var blobs = (await db.QueryAsync<(string Bucket, long Count, long Size)>("SELECT * FROM pggit_v0.get_object_size_distribution('blob')")).AsList();
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.objects WHERE type = 'blob'"), blobs.Sum(r => r.Count));
    }

    [Fact]
    public async Task An_unknown_object_type_is_rejected_by_name()
    {
        await using var db = await _db.OpenAsync();
        var e = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT * FROM pggit_v0.get_object_size_distribution('blobs')"));
        Assert.Contains("'blobs'", e.MessageText);
    }

    [Fact]
    public async Task Each_call_records_its_duration_and_every_function_has_a_comment()
    {
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("SELECT * FROM pggit_v0.analyze_storage_usage()");
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.operation_metrics WHERE operation = 'analyze_storage_usage'") >= 1);
        var functions = new[] { "analyze_storage_usage", "get_object_size_distribution", "analyze_query_performance", "benchmark_extraction_functions",
            "validate_data_integrity", "detect_anomalies", "check_for_alerts", "get_recommendations" };
        foreach (var f in functions)
        {
            var comment = await db.ExecuteScalarAsync<string?>(
                "SELECT obj_description(p.oid, 'pg_proc') FROM pg_proc p WHERE p.pronamespace = 'pggit_v0'::regnamespace AND p.proname = @f", new { f });
            Assert.False(string.IsNullOrWhiteSpace(comment), $"{f} has no comment");
        }
    }
}
