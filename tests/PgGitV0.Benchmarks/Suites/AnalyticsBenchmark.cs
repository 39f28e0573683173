using System.Diagnostics;
using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Benchmarks.Suites;

/// <summary>
/// The spec's analytics (5.1: "under 1 second for analysis") and monitoring (5.3: "low query
/// overhead") on the generated history (default 10,000 commits over 1,000 objects), after
/// --ref-moves branch creations and deletions so that activity, ref_log and operation_metrics
/// hold a busy day's rows. Each call runs --runs times after one warm-up call.
/// </summary>
public sealed class AnalyticsBenchmark : IBenchmarkSuite
{
    public string Name => "analytics";
    public string Description => "analytics and monitoring functions and views on a generated history (--commits 10000 --objects 1000 --branches 20 --ref-moves 2000 --runs 10)";

    public async Task RunAsync(BenchmarkOptions options)
    {
        var commits = options.Int("commits", 10000);
        var objects = options.Int("objects", 1000);
        var branches = options.Int("branches", 20);
        var refMoves = options.Int("ref-moves", 2000);
        var runs = options.Int("runs", 10);
        var (db, _, _) = await HistoryGenerator.CreateDatabaseAsync(objects, commits, branches);
        await using var _db = db;
        await using var connection = await db.OpenAsync();

        var busy = Stopwatch.StartNew();
        await connection.ExecuteAsync("""
            SELECT pggit_v0.create_branch(format('busy/%s', i), 'main'), pggit_v0.delete_branch(format('busy/%s', i), true)
            FROM generate_series(1, @refMoves) i
            """, new { refMoves }, commandTimeout: 0);
        await connection.ExecuteAsync("VACUUM ANALYZE");
        var counts = await connection.QuerySingleAsync<(long Activity, long RefLog, long Metrics, long Objects)>("""
            SELECT (SELECT count(*) FROM pggit_v0.activity), (SELECT count(*) FROM pggit_v0.ref_log),
                   (SELECT count(*) FROM pggit_v0.operation_metrics), (SELECT count(*) FROM pggit_v0.objects)
            """);
        Report.Line($"{commits} commits, {counts.Objects} objects; after {refMoves} branch creations and deletions ({busy.Elapsed.TotalSeconds:F0} s): " +
                    $"{counts.Activity} activity rows, {counts.RefLog} ref_log rows, {counts.Metrics} operation_metrics rows");

        var cases = new (string Name, string Sql)[]
        {
            ("analyze_storage_usage()", "SELECT * FROM pggit_v0.analyze_storage_usage()"),
            ("get_object_size_distribution()", "SELECT * FROM pggit_v0.get_object_size_distribution()"),
            ("analyze_query_performance()", "SELECT * FROM pggit_v0.analyze_query_performance()"),
            ("benchmark_extraction_functions()", "SELECT * FROM pggit_v0.benchmark_extraction_functions()"),
            ("validate_data_integrity() (sample of 100)", "SELECT * FROM pggit_v0.validate_data_integrity()"),
            ("detect_anomalies()", "SELECT * FROM pggit_v0.detect_anomalies()"),
            ("view current_state_summary", "SELECT * FROM pggit_v0.current_state_summary"),
            ("view health_check_summary", "SELECT * FROM pggit_v0.health_check_summary"),
            ("view recent_activity_summary", "SELECT * FROM pggit_v0.recent_activity_summary"),
            ("check_for_alerts()", "SELECT * FROM pggit_v0.check_for_alerts()"),
            ("get_recommendations()", "SELECT * FROM pggit_v0.get_recommendations()"),
        };
        Report.Line("");
        Report.Line("| operation | median | p90 | max | rows |");
        Report.Line("|---|---|---|---|---|");
        foreach (var (name, sql) in cases)
        {
            var samples = new Samples();
            var rows = 0;
            for (var i = 0; i <= runs; i++)
            {
                var watch = Stopwatch.StartNew();
                rows = (await connection.QueryAsync(sql, commandTimeout: 0)).Count();
                if (i > 0) samples.Add(watch.Elapsed.TotalMilliseconds);   // the first run warms the plan cache
            }
            Report.Line($"| {name} | {samples.Median:F2} ms | {samples.Percentile(90):F2} ms | {samples.Percentile(100):F2} ms | {rows} |");
        }

        var integrity = (await connection.QueryAsync<(string Check, string Status)>("SELECT check_name, status FROM pggit_v0.validate_data_integrity()")).AsList();
        Report.Line("");
        Report.Line($"integrity checks: {integrity.Count(c => c.Status == "ok")} ok, {integrity.Count(c => c.Status != "ok")} not ok" +
                    string.Concat(integrity.Where(c => c.Status != "ok").Select(c => $"; {c.Check}: {c.Status}")));
    }
}
