using System.Diagnostics;
using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Benchmarks.Suites;

/// <summary>
/// Issue 5's targets on the generated history (default 10,000 commits over 1,000 objects): merge
/// base of a branch forked 5,000 first-parent commits back under 10 ms; detect_merge_conflicts and
/// a clean merge_branch with 50 changed objects a side under 50 ms; a rebase of 100 commits under
/// 1 s. git merge-base, merge-tree and rebase run on an export of the same history for the ratio.
/// Writes run in a transaction that is rolled back, so every run sees the same history.
/// </summary>
public sealed class MergeBenchmark : IBenchmarkSuite
{
    public string Name => "merge";
    public string Description => "merge base, conflict detection, merge and rebase on a generated history, with git on an export (--commits 10000 --objects 1000 --branches 20 --runs 30)";

    public async Task RunAsync(BenchmarkOptions options)
    {
        var commits = options.Int("commits", 10000);
        var objects = options.Int("objects", 1000);
        var branches = options.Int("branches", 20);
        var runs = options.Int("runs", 30);
        var (db, _, _) = await HistoryGenerator.CreateDatabaseAsync(objects, commits, branches);
        await using var _db = db;
        await using var connection = await db.OpenAsync();
        var mainDepth = await connection.ScalarAsync<int>("SELECT fp_depth FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('main')");
        var forkDepth = Math.Min(5000, mainDepth - 1);

        // A branch forked forkDepth first-parent commits below main's tip, with one commit of its own.
        await connection.ExecuteAsync("""
            SELECT pggit_v0.create_branch('old-fork', pggit_v0._fp_ancestor(pggit_v0.resolve_ref('main'),
                (SELECT fp_depth FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('main')) - @forkDepth));
            SELECT pggit_v0.commit_changes('old-fork', '{"public/tables/t1.sql": "CREATE TABLE public.t1 (id bigint PRIMARY KEY, forked integer);"}', 'on the old fork');
            """, new { forkDepth });

        // Two branches from main's tip, each changing 50 objects (different ones: a clean merge).
        await connection.ExecuteAsync("""
            SELECT pggit_v0.create_branch('fifty-target', 'main'), pggit_v0.create_branch('fifty-source', 'main');
            SELECT pggit_v0.commit_changes('fifty-target', (SELECT jsonb_object_agg(format('public/tables/t%s.sql', i),
                format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, target_side integer);', i)) FROM generate_series(101, 150) i), 'fifty on the target');
            SELECT pggit_v0.commit_changes('fifty-source', (SELECT jsonb_object_agg(format('public/tables/t%s.sql', i),
                format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, source_side integer);', i)) FROM generate_series(151, 200) i), 'fifty on the source');
            """);

        // 100 commits on a branch from main~200 (objects of its own, so the replay is clean), to be replayed onto main.
        await connection.ExecuteAsync("""
            SELECT pggit_v0.create_branch('hundred', 'main~200');
            SELECT pggit_v0.commit_changes('hundred', jsonb_build_object(format('public/tables/rebased_%s.sql', i % 50),
                format('CREATE TABLE public.rebased_%s (id bigint PRIMARY KEY, step_%s integer);', i % 50, i)), format('rebase me %s', i))
            FROM generate_series(1, 100) i;
            """, commandTimeout: 0);

        var conflicts = await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.detect_merge_conflicts('fifty-source', 'fifty-target')");
        bool rebaseConflicts;
        await using (var probe = await connection.BeginTransactionAsync())
        {
            rebaseConflicts = await connection.ScalarAsync<bool>("SELECT conflicts FROM pggit_v0.rebase_branch_detailed('hundred', 'main')");
            await probe.RollbackAsync();
        }
        Report.Line($"fork {forkDepth} first-parent commits back; 50 + 50 changed objects: {conflicts} conflicts; rebase of 100 commits conflicts: {rebaseConflicts}");

        var cases = new (string Name, string Sql, int Runs)[]
        {
            ($"merge_base(old-fork, main), {forkDepth} back", "SELECT pggit_v0.merge_base('old-fork', 'main')", runs),
            ("detect_merge_conflicts, 50 a side", "SELECT count(*) FROM pggit_v0.detect_merge_conflicts('fifty-source', 'fifty-target')", runs),
            ("merge_branch, clean, 50 a side", "SELECT * FROM pggit_v0.merge_branch('fifty-source', 'fifty-target')", runs),
            ("detect_merge_conflicts(old-fork, main)", "SELECT count(*) FROM pggit_v0.detect_merge_conflicts('old-fork', 'main')", runs),
            ("rebase_branch, 100 commits", "SELECT * FROM pggit_v0.rebase_branch('hundred', 'main')", Math.Max(3, runs / 6)),
        };
        Report.Line("");
        Report.Line("| operation | median | p90 | max |");
        Report.Line("|---|---|---|---|");
        var medians = new Dictionary<string, double>();
        foreach (var (name, sql, count) in cases)
        {
            var samples = new Samples();
            for (var i = 0; i <= count; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                var watch = Stopwatch.StartNew();
                await connection.ExecuteAsync(sql, transaction: transaction, commandTimeout: 0);
                if (i > 0) samples.Add(watch.Elapsed.TotalMilliseconds);   // the first run warms the plan cache
                await transaction.RollbackAsync();
            }
            medians[name] = samples.Median;
            Report.Line($"| {name} | {samples.Median:F2} ms | {samples.Percentile(90):F2} ms | {samples.Percentile(100):F2} ms |");
        }

        Report.Line("");
        using var git = await GitRepository.InitAsync();
        var exported = Stopwatch.StartNew();
        await FastExport.ExportAsync(connection, git);
        Report.Line($"exported to git, packed, commit-graph written, in {exported.Elapsed.TotalSeconds:F0} s");
        var gitCases = new (string Name, string Compared, Func<Task> Run, int Runs)[]
        {
            ("git merge-base old-fork main", cases[0].Name, () => git.RunAsync("merge-base", "old-fork", "main"), runs),
            ("git merge-tree --write-tree fifty-target fifty-source", cases[2].Name, () => git.RunAsync("merge-tree", "--write-tree", "fifty-target", "fifty-source"), runs),
            ("git rebase main (100 commits, work tree of 1,000 files)", cases[4].Name, async () =>
            {
                await git.RunAsync("checkout", "-q", "-f", "--detach", "hundred");
                var watch = Stopwatch.StartNew();
                await git.RunAsync("-c", "user.name=bench", "-c", "user.email=bench@example.com", "rebase", "-q", "main");
                _lastRebase = watch.Elapsed.TotalMilliseconds;
            }, Math.Max(3, runs / 6)),
        };
        Report.Line("| git | median | pggit_v0 / git |");
        Report.Line("|---|---|---|");
        foreach (var (name, compared, run, count) in gitCases)
        {
            var samples = new Samples();
            for (var i = 0; i <= count; i++)
            {
                var watch = Stopwatch.StartNew();
                _lastRebase = null;
                await run();
                if (i > 0) samples.Add(_lastRebase ?? watch.Elapsed.TotalMilliseconds);
            }
            Report.Line($"| {name} | {samples.Median:F2} ms | {medians[compared] / samples.Median:F1}x |");
        }
    }

    private double? _lastRebase;
}
