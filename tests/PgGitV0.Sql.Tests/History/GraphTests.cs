using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.History;

/// <summary>First-parent jumps, merge bases and tree diffs, with git as the oracle.</summary>
public sealed class GraphTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task First_parent_ancestors_at_every_depth_match_a_step_by_step_walk()
    {
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 7);
        string? tip = null;
        for (var i = 0; i < 150; i++) tip = await builder.CommitAsync(tip, null, builder.RandomChanges(5, 1));
        var line = builder.Commits;  // line[d] is at first-parent depth d
        var depths = await db.QueryAsync<int>("SELECT fp_depth FROM pggit_v0.commit_graph WHERE commit_sha = ANY(@line) ORDER BY fp_depth", new { line });
        Assert.Equal(Enumerable.Range(0, line.Count), depths);
        var found = await db.QueryAsync<string>(
            "SELECT pggit_v0._fp_ancestor(@tip, d) FROM generate_series(0, @n) d ORDER BY d", new { tip, n = line.Count - 1 });
        Assert.Equal(line, found);
        Assert.Null(await db.ExecuteScalarAsync<string?>("SELECT pggit_v0._fp_ancestor(@tip, @n)", new { tip, n = line.Count }));
        // Hops stay logarithmic: no jump pointer chain needs more than ~3 log2(n) steps.
        var maxJump = await db.ScalarAsync<int>("""
            SELECT max(g.fp_depth - j.fp_depth) FROM pggit_v0.commit_graph g JOIN pggit_v0.commit_graph j ON j.commit_sha = g.fp_jump
            """);
        Assert.InRange(maxJump, 32, 150);
    }

    [Fact]
    public async Task Merge_bases_and_diffs_agree_with_git_on_a_branchy_history()
    {
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 42);
        var tips = await builder.BuildBranchyHistoryAsync(steps: 120, branches: 5);
        using var git = await GitRepository.InitAsync();
        await GitExport.ExportAsync(db, git);
        await git.RunAsync("fsck", "--full", "--strict", "--no-dangling");

        var random = new Random(1);
        var commits = builder.Commits;
        var pairs = tips.Values.SelectMany(a => tips.Values.Select(b => (a, b)))
            .Concat(Enumerable.Range(0, 40).Select(_ => (commits[random.Next(commits.Count)], commits[random.Next(commits.Count)])));
        var compared = 0;
        foreach (var (a, b) in pairs)
        {
            var gitBases = GitRepository.Lines(await git.RunAsync("merge-base", "--all", a, b)).Order().ToList();
            var ours = (await db.ScalarAsync<string[]>("SELECT pggit_v0._merge_bases(@a, @b)", new { a, b })).ToList();
            if (gitBases.Count == 1)
            {
                Assert.Equal(gitBases[0], Assert.Single(ours));
                Assert.Equal(gitBases[0], await db.ScalarAsync<string>("SELECT pggit_v0.merge_base(@a, @b)", new { a, b }));
            }
            else
            {
                // Criss-cross: we report the bases above the first-parent common ancestor, all of which git reports too.
                Assert.NotEmpty(ours);
                Assert.All(ours, sha => Assert.Contains(sha, gitBases));
            }

            var gitDiff = GitRepository.Lines(await git.RunAsync("diff-tree", "-r", "--no-renames", "--name-status", a, b))
                .Select(l => l.Split('\t')).Select(p => $"{p[1]} {p[0]}");
            var ourDiff = (await db.QueryAsync<(string Path, string Change)>("SELECT object_path, change_type FROM pggit_v0.diff_commits(@a, @b)", new { a, b }))
                .Select(r => $"{r.Path} {r.Change switch { "CREATE" => "A", "DROP" => "D", _ => "M" }}");
            Assert.Equal(gitDiff, ourDiff);

            var threeDot = GitRepository.Lines(await git.RunAsync("diff", "--no-renames", "--name-only", $"{a}...{b}"));
            if (gitBases.Count == 1)
                Assert.Equal(threeDot, await db.QueryAsync<string>("SELECT object_path FROM pggit_v0.diff_branches_from_base(@a, @b)", new { a, b }));
            compared++;
        }
        Assert.True(compared > 50);
        Assert.Empty(await db.QueryAsync<string>("SELECT object_path FROM pggit_v0.diff_commits(@c, @c)", new { c = commits[^1] }));
    }

    [Fact]
    public async Task First_parent_chains_reachability_and_introductions_match_step_by_step_walks()
    {
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 11);
        var tips = await builder.BuildBranchyHistoryAsync(steps: 150, branches: 6);
        var commits = builder.Commits;

        // Membership of every commit's first-parent line through chain segments equals the walk
        // along first parents.
        var mismatches = await db.ScalarAsync<long>("""
            WITH RECURSIVE line AS (
                SELECT g.commit_sha AS tip, g.commit_sha AS sha FROM pggit_v0.commit_graph g
                UNION ALL
                SELECT l.tip, g.parent_shas[1] FROM line l JOIN pggit_v0.commit_graph g ON g.commit_sha = l.sha
                WHERE g.parent_shas[1] IS NOT NULL
            ), by_segments AS (
                SELECT t.commit_sha AS tip, g.commit_sha AS sha
                FROM pggit_v0.commit_graph t
                CROSS JOIN LATERAL pggit_v0._fp_line_segments(t.commit_sha) s
                JOIN pggit_v0.commit_graph g ON g.fp_chain = s.chain AND g.fp_depth <= s.max_depth
            )
            SELECT count(*) FROM ((SELECT * FROM line EXCEPT SELECT * FROM by_segments)
                                  UNION ALL (SELECT * FROM by_segments EXCEPT SELECT * FROM line)) x
            """);
        Assert.Equal(0, mismatches);
        Assert.True(await db.ScalarAsync<long>("SELECT count(DISTINCT fp_chain) FROM pggit_v0.commit_graph") > 6);

        // Reachability from any set of tips equals the walk over all parents.
        var random = new Random(3);
        for (var round = 0; round < 25; round++)
        {
            var set = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => commits[random.Next(commits.Count)]).ToArray();
            if (round == 0) set = tips.Values.ToArray();
            var differ = await db.ScalarAsync<long>("""
                WITH RECURSIVE walk(sha) AS (
                    SELECT DISTINCT t COLLATE "C" FROM unnest(@set::text[]) t
                    UNION
                    SELECT p.sha FROM walk w JOIN pggit_v0.commit_graph g ON g.commit_sha = w.sha
                    CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
                ), ours AS (SELECT commit_sha AS sha FROM pggit_v0._reachable_commits(@set::text[]))
                SELECT (SELECT count(*) FROM (SELECT sha FROM walk EXCEPT SELECT sha FROM ours) a)
                     + (SELECT count(*) FROM (SELECT sha FROM ours EXCEPT SELECT sha FROM walk) b)
                     + (SELECT count(*) FROM ours) - (SELECT count(DISTINCT sha) FROM ours)
                """, new { set });
            Assert.Equal(0, differ);
        }

        // list_objects' "introduced by": the newest commit on the first-parent line whose change
        // index row sets that path to that blob, found by walking the line.
        foreach (var tip in tips.Values.Concat(Enumerable.Range(0, 10).Select(_ => commits[random.Next(commits.Count)])))
        {
            var expected = await db.QueryAsync<(string Path, string Sha)>("""
                WITH RECURSIVE line AS (
                    SELECT @tip::text COLLATE "C" AS sha, 0 AS n
                    UNION ALL
                    SELECT g.parent_shas[1], l.n + 1 FROM line l JOIN pggit_v0.commit_graph g ON g.commit_sha = l.sha
                    WHERE g.parent_shas[1] IS NOT NULL
                )
                SELECT b.path, (SELECT c.commit_sha FROM line l JOIN pggit_audit.change_log c ON c.commit_sha = l.sha
                                WHERE c.path = b.path AND c.new_sha = b.sha ORDER BY l.n LIMIT 1)
                FROM pggit_v0._tree_blobs((SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @tip)) b
                ORDER BY b.path COLLATE "C"
                """, new { tip });
            var ours = await db.QueryAsync<(string Path, string Sha)>(
                "SELECT path, last_modified_sha FROM pggit_v0.list_objects_after(@tip)", new { tip });
            Assert.Equal(expected, ours);
        }
    }

    [Fact]
    public async Task Ancestor_counts_and_ahead_behind_equal_a_walk_over_all_parents()
    {
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 23);
        var tips = await builder.BuildBranchyHistoryAsync(steps: 200, branches: 6);
        var parents = (await db.QueryAsync<(string Sha, string[] Parents)>("SELECT commit_sha, parent_shas FROM pggit_v0.commit_graph"))
            .ToDictionary(r => r.Sha, r => r.Parents);
        HashSet<string> Reach(string tip)
        {
            var seen = new HashSet<string> { tip };
            var stack = new Stack<string>([tip]);
            while (stack.Count > 0)
                foreach (var p in parents[stack.Pop()])
                    if (seen.Add(p)) stack.Push(p);
            return seen;
        }
        // Each commit's kept ancestor count is what the walk reaches from it (git rev-list --count).
        var ancestors = (await db.QueryAsync<(string Sha, int Ancestors)>("SELECT commit_sha, ancestors FROM pggit_v0.commit_graph")).AsList();
        Assert.True(ancestors.Count > 200);
        Assert.All(ancestors, a => Assert.Equal(Reach(a.Sha).Count, a.Ancestors));
        foreach (var (name, baseTip) in tips)
        {
            var rows = (await db.QueryAsync<(string Tip, long Ahead, long Behind)>(
                "SELECT tip, ahead, behind FROM pggit_v0._ahead_behind(@baseTip, @all)", new { baseTip, all = tips.Values.ToArray() })).ToDictionary(r => r.Tip);
            var fromBase = Reach(baseTip);
            foreach (var tip in tips.Values.Distinct())
            {
                var fromTip = Reach(tip);
                Assert.Equal((fromTip.Count(c => !fromBase.Contains(c)), fromBase.Count(c => !fromTip.Contains(c))),
                    (rows[tip].Ahead, rows[tip].Behind));
            }
        }
    }

    [Fact]
    public async Task Concurrent_children_of_one_commit_take_different_chains_without_waiting()
    {
        await using var setup = await _db.OpenAsync();
        var builder = new HistoryBuilder(setup, seed: 5);
        var root = await builder.CommitAsync(null, null, builder.RandomChanges(3, 1));
        var tree = await setup.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @root", new { root });

        await using var a = await _db.OpenAsync();
        await using var b = await _db.OpenAsync();
        await using var ta = await a.BeginTransactionAsync();
        await using var tb = await b.BeginTransactionAsync();
        var first = await a.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, ARRAY[@root], 'a', 'A <a@x>')", new { tree, root });
        // b's child of the same parent does not wait for a's open transaction: it starts a new chain.
        var second = b.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, ARRAY[@root], 'b', 'B <b@x>')", new { tree, root });
        Assert.Same(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(10))));
        var secondSha = await second;
        await tb.CommitAsync();
        await ta.CommitAsync();

        var chains = (await setup.QueryAsync<(string Sha, long Chain)>(
            "SELECT commit_sha, fp_chain FROM pggit_v0.commit_graph WHERE commit_sha = ANY(@shas)", new { shas = new[] { root, first, secondSha } }))
            .ToDictionary(r => r.Sha, r => r.Chain);
        Assert.Equal(chains[root], chains[first]);
        Assert.NotEqual(chains[root], chains[secondSha]);
        Assert.True(await setup.ScalarAsync<bool>("SELECT pggit_v0._on_first_parent_line(@root, @secondSha)", new { root, secondSha }));
        Assert.Equal(new[] { root, secondSha }.Order(StringComparer.Ordinal), (await setup.QueryAsync<string>(
            "SELECT g.commit_sha FROM pggit_v0._fp_line_segments(@secondSha) s JOIN pggit_v0.commit_graph g ON g.fp_chain = s.chain AND g.fp_depth <= s.max_depth",
            new { secondSha })).Order(StringComparer.Ordinal));
    }
}
