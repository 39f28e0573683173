using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Benchmarks.Suites;

/// <summary>
/// Issue 4's targets on a generated history (default 10,000 commits over 1,000 objects with 20
/// branches): every developer function and view under 20 ms median, get_commit_history_after at
/// depth 8,000 as fast as at the top, get_object_history under 5 ms, diff_commits of commits
/// 5,000 apart with 50 changed objects under 20 ms. Also runs git on an export for the ratio.
/// </summary>
public sealed class HistoryBenchmark : IBenchmarkSuite
{
    public string Name => "history";
    public string Description => "history functions and views on a generated history (--commits 10000 --objects 1000 --branches 20 --runs 30)";

    public async Task RunAsync(BenchmarkOptions options)
    {
        // --commits takes one size or several (e.g. 1000,10000): with several, each case's median is
        // reported per size with the growth from the smallest to the largest.
        var sizes = options.Ints("commits", [10000]);
        var objects = options.Int("objects", 1000);
        var branches = options.Int("branches", 20);
        var runs = options.Int("runs", 30);
        var medians = new List<(string Name, List<double> Medians)>();
        var largest = new List<(string Name, Samples Samples)>();
        foreach (var commits in sizes)
        {
            var (db, at2000, at7000) = await HistoryGenerator.CreateDatabaseAsync(objects, commits, branches);
            await using var _db = db;
            await using var connection = await db.OpenAsync();
            var mainDepth = await connection.ScalarAsync<int>("SELECT fp_depth FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('main')");
            var deep = await connection.ScalarAsync<string>("SELECT pggit_v0._fp_ancestor(pggit_v0.resolve_ref('main'), greatest(@d - 8000, 1))", new { d = mainDepth });
            var top = await connection.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('main')");
            var diffSize = await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.diff_commits(@at2000, @at7000)", new { at2000, at7000 });
            var apart = await connection.ScalarAsync<int>("SELECT b.generation - a.generation FROM pggit_v0.commit_graph a, pggit_v0.commit_graph b WHERE a.commit_sha = @at2000 AND b.commit_sha = @at7000", new { at2000, at7000 });
            Report.Line($"{commits} commits: main has first-parent depth {mainDepth}; the diff pair is {apart} generations apart and touches {diffSize} objects");

            // Views are read whole (SELECT *): a count(*) over a view lets the planner drop the
            // aggregates and joins whose columns it does not return, and so measures less than a reader gets.
            var cases = new (string Name, string Sql, object? Param)[]
            {
                ("get_current_schema()", "SELECT count(*) FROM pggit_v0.get_current_schema()", null),
                ("list_objects(NULL)", "SELECT count(*) FROM pggit_v0.list_objects(NULL)", null),
                ("list_branches()", "SELECT count(*) FROM pggit_v0.list_branches()", null),
                ("get_commit_history()", "SELECT count(*) FROM pggit_v0.get_commit_history()", null),
                ("get_commit_history(20, 8000)", "SELECT count(*) FROM pggit_v0.get_commit_history(20, 8000)", null),
                ("get_commit_history_after(top)", "SELECT count(*) FROM pggit_v0.get_commit_history_after(@top, 20)", new { top }),
                ("get_commit_history_after(depth 8000)", "SELECT count(*) FROM pggit_v0.get_commit_history_after(@deep, 20)", new { deep }),
                ("get_object_history(t7)", "SELECT count(*) FROM pggit_v0.get_object_history('public', 't7')", null),
                ("get_object_history(t500)", "SELECT count(*) FROM pggit_v0.get_object_history('public', 't500')", null),
                ("diff_commits(window start, end)", "SELECT count(*) FROM pggit_v0.diff_commits(@at2000, @at7000)", new { at2000, at7000 }),
                ("diff_branches(main, b3)", "SELECT count(*) FROM pggit_v0.diff_branches('main', 'b3')", null),
                ("diff_branches_from_base(main, b3)", "SELECT count(*) FROM pggit_v0.diff_branches_from_base('main', 'b3')", null),
                ("get_object_definition", "SELECT length(pggit_v0.get_object_definition('public', 't42', NULL))", null),
                ("get_object_metadata", "SELECT count(*) FROM pggit_v0.get_object_metadata('public', 't42', @at2000)", new { at2000 }),
                ("create_branch + delete_branch", "SELECT pggit_v0.create_branch('bench-tmp', 'main~10'), pggit_v0.delete_branch('bench-tmp')", null),
                ("merge_base(main, b3)", "SELECT pggit_v0.merge_base('main', 'b3')", null),
                ("view recent_commits_by_author", "SELECT * FROM pggit_v0.recent_commits_by_author", null),
                ("view most_changed_objects (top 10)", "SELECT * FROM pggit_v0.most_changed_objects ORDER BY change_count DESC LIMIT 10", null),
                ("view branch_comparison", "SELECT * FROM pggit_v0.branch_comparison", null),
                ("view daily_change_summary", "SELECT * FROM pggit_v0.daily_change_summary", null),
                ("view schema_growth_history", "SELECT * FROM pggit_v0.schema_growth_history", null),
                ("view author_activity (last 100)", "SELECT * FROM pggit_v0.author_activity ORDER BY committed_at DESC LIMIT 100", null),
                ("view commit_without_message", "SELECT * FROM pggit_v0.commit_without_message", null),
                ("view orphaned_objects", "SELECT * FROM pggit_v0.orphaned_objects", null),
                ("view large_commits", "SELECT * FROM pggit_v0.large_commits", null),
            };
            for (var c = 0; c < cases.Length; c++)
            {
                var (name, sql, param) = cases[c];
                var samples = new Samples();
                await connection.ExecuteAsync(sql, param);  // warm the plan cache
                for (var i = 0; i < runs; i++)
                    await samples.TimeAsync(async () => await connection.ExecuteAsync(sql, param));
                if (medians.Count <= c) medians.Add((name, []));
                medians[c].Medians.Add(samples.Median);
                if (commits == sizes[^1]) largest.Add((name, samples));
            }

            if (commits == sizes[^1])
            {
                Report.Line("");
                Report.Line($"{commits} commits:");
                Report.Line("");
                Report.Line("| operation | median | p90 | max |");
                Report.Line("|---|---|---|---|");
                foreach (var (name, samples) in largest)
                    Report.Line($"| {name} | {samples.Median:F2} ms | {samples.Percentile(90):F2} ms | {samples.Percentile(100):F2} ms |");
                await CompareWithGitAsync(connection, runs, at2000, at7000, largest.ToDictionary(l => l.Name, l => l.Samples.Median));
            }
        }

        if (sizes.Length > 1)
        {
            Report.Line("");
            Report.Line($"| operation | {string.Join(" | ", sizes.Select(s => $"median at {s:N0}"))} | growth |");
            Report.Line($"|---|{string.Concat(sizes.Select(_ => "---|"))}---|");
            foreach (var (name, values) in medians)
                Report.Line($"| {name} | {string.Join(" | ", values.Select(v => $"{v:F2} ms"))} | {values[^1] / values[0]:F2}x |");
        }
    }

    /// <summary>git log, git diff --name-status and git log -- &lt;file&gt; on an export of the same history.</summary>
    private static async Task CompareWithGitAsync(NpgsqlConnection connection, int runs, string at2000, string at7000, Dictionary<string, double> ours)
    {
        using var git = await GitRepository.InitAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await FastExport.ExportAsync(connection, git);
        Report.Line("");
        Report.Line($"exported to git, packed, commit-graph written, in {watch.Elapsed.TotalSeconds:F0} s");
        var gitCases = new (string Name, string Compared, string[] Arguments)[]
        {
            ("git log -20 --first-parent main", "get_commit_history()", ["log", "-20", "--first-parent", "--format=%H", "main"]),
            ("git diff --name-status (window start, end)", "diff_commits(window start, end)", ["diff", "--no-renames", "--name-status", at2000, at7000]),
            ("git log --first-parent main -- t7", "get_object_history(t7)", ["log", "--first-parent", "--format=%H", "main", "--", "public/tables/t7.sql"]),
            ("git log --first-parent main -- t500", "get_object_history(t500)", ["log", "--first-parent", "--format=%H", "main", "--", "public/tables/t500.sql"]),
        };
        Report.Line("");
        Report.Line("| git | median | pggit_v0 function | pggit_v0 median | pggit_v0 / git |");
        Report.Line("|---|---|---|---|---|");
        foreach (var (name, compared, arguments) in gitCases)
        {
            var samples = new Samples();
            await git.RunAsync(arguments);
            for (var i = 0; i < Math.Max(5, runs / 3); i++)
                await samples.TimeAsync(async () => await git.RunAsync(arguments));
            Report.Line($"| {name} | {samples.Median:F2} ms | {compared} | {ours[compared]:F2} ms | {ours[compared] / samples.Median:F2}x |");
        }
        // The answers agree: the same commits for the object's history, the same paths for the diff.
        var gitHistory = GitRepository.Lines(await git.RunAsync("log", "--first-parent", "--format=%H", "main", "--", "public/tables/t7.sql"));
        var ourHistory = await connection.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_object_history('public', 't7', 100000)");
        var gitDiff = GitRepository.Lines(await git.RunAsync("diff", "--no-renames", "--name-only", at2000, at7000));
        var ourDiff = await connection.QueryAsync<string>("SELECT object_path FROM pggit_v0.diff_commits(@at2000, @at7000)", new { at2000, at7000 });
        Report.Line($"answers agree with git: object history {gitHistory.SequenceEqual(ourHistory)}, diff {gitDiff.SequenceEqual(ourDiff)}");
    }
}
