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
}
