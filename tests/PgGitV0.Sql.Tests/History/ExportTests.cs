using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.History;

/// <summary>What an export of some branches carries (sql/pggit_v0_export.sql), with git as the oracle.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Reachable_objects_are_what_git_rev_list_objects_lists_for_each_branch()
    {
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 11);
        var tips = await builder.BuildBranchyHistoryAsync(steps: 90, branches: 4);
        // A root commit whose tree is stored as a delta against a tree of b1 it does not reach: its
        // entries must come from the whole delta chain, not from the delta alone.
        var baseTree = await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @tip", new { tip = tips["b1"] });
        var orphanTree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(@baseTree, '{\"public/views/orphan.sql\": \"CREATE VIEW public.orphan AS SELECT 1 AS x;\"}')", new { baseTree });
        var orphan = await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@orphanTree, '{}', 'orphan', 'Tester <t@example.com>')", new { orphanTree });
        await db.ExecuteAsync("INSERT INTO pggit_v0.refs (name, type, target_sha, created_by) VALUES ('orphan', 'branch', @orphan, 'test')", new { orphan });
        Assert.Equal(1, await db.ScalarAsync<int>("""
            SELECT count(*) FROM pggit_v0.reachable_objects('{orphan}') r JOIN pggit_v0.trees t ON t.sha = r.sha
            WHERE t.base_sha IS NOT NULL AND t.base_sha NOT IN (SELECT sha FROM pggit_v0.reachable_objects('{orphan}'))
            """));

        using var git = await GitRepository.InitAsync();
        await GitExport.ExportAsync(db, git);

        var deltasFound = 0;
        string[][] selections = [.. tips.Keys.Select(b => new[] { b }), ["b0", "b2"], ["orphan"], ["orphan", "main", "b3"]];
        foreach (var branches in selections)
        {
            var revList = GitRepository.Lines(await git.RunAsync(new[] { "rev-list", "--objects" }.Concat(branches).ToArray()));
            var listed = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', revList.Select(l => l.Split(' ')[0])) + "\n");
            var expected = GitRepository.Lines(await git.RunAsync(listed, "cat-file", "--batch-check=%(objectname) %(objecttype)")).Order(StringComparer.Ordinal);
            var ours = (await db.QueryAsync<(string Sha, string Type)>("SELECT sha, type FROM pggit_v0.reachable_objects(@branches)", new { branches }))
                .Select(o => $"{o.Sha} {o.Type}").Order(StringComparer.Ordinal);
            Assert.Equal(expected, ours);
            deltasFound += await db.ScalarAsync<int>("""
                SELECT count(*) FROM pggit_v0.reachable_objects(@branches) r JOIN pggit_v0.trees t ON t.sha = r.sha
                WHERE t.base_sha IN (SELECT sha FROM pggit_v0.reachable_objects(@branches))
                """, new { branches });
        }
        // The shortcut (a delta whose base is in the set contributes its delta only) was taken.
        Assert.True(deltasFound > 100, $"{deltasFound} delta trees with a reachable base");
    }

    [Fact]
    public async Task Export_refs_are_the_branches_asked_for_and_the_tags_inside_them()
    {
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 5);
        var tips = await builder.BuildBranchyHistoryAsync(steps: 40, branches: 3);
        foreach (var (name, tip) in tips) await db.ExecuteAsync("SELECT pggit_v0.create_tag(@tag, @tip)", new { tag = "at-" + name, tip });
        using var git = await GitRepository.InitAsync();
        await GitExport.ExportAsync(db, git);

        foreach (var branches in new[] { new[] { "b1" }, ["b2", "b0"] })
        {
            var tags = GitRepository.Lines(await git.RunAsync(new[] { "tag" }.Concat(branches.Select(b => "--merged=" + b)).ToArray()));
            var expected = branches.Concat(tags).Order(StringComparer.Ordinal);
            var refs = await db.QueryAsync<(string Name, string Type, string Target)>("SELECT name, type, target_sha FROM pggit_v0.export_refs(@branches)", new { branches });
            Assert.Equal(expected, refs.Select(r => r.Name));
            Assert.All(refs, r => Assert.Equal(branches.Contains(r.Name) ? "branch" : "tag", r.Type));
            Assert.All(branches, b => Assert.Contains((b, "branch", tips[b]), refs));
        }
        var all = await db.QueryAsync<string>("SELECT name FROM pggit_v0.export_refs()");
        Assert.Equal(await db.QueryAsync<string>("SELECT name FROM pggit_v0.refs ORDER BY name COLLATE \"C\""), all);
        Assert.Equal(all, await db.QueryAsync<string>("SELECT name FROM pggit_v0.export_refs('{}')"));

        Assert.Equal("main", await db.ScalarAsync<string>("SELECT pggit_v0.export_head()"));
        Assert.Equal("main", await db.ScalarAsync<string>("SELECT pggit_v0.export_head(ARRAY['b1', 'main'])"));
        Assert.Equal("b2", await db.ScalarAsync<string>("SELECT pggit_v0.export_head(ARRAY['b2', 'b1'])"));
    }

    [Fact]
    public async Task An_unknown_branch_is_not_found_by_name()
    {
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 3);
        var tips = await builder.BuildBranchyHistoryAsync(steps: 5, branches: 1);
        await db.ExecuteAsync("SELECT pggit_v0.create_tag('v1', @tip)", new { tip = tips["b0"] });

        var unknown = await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.QueryAsync("SELECT * FROM pggit_v0.export_refs(ARRAY['b0', 'feature/nope'])"));
        Assert.Contains("'feature/nope'", unknown.MessageText);
        // A tag is a ref but not a branch.
        var tag = await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.QueryAsync("SELECT pggit_v0.export_head(ARRAY['v1'])"));
        Assert.Contains("'v1'", tag.MessageText);
        var reachable = await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.QueryAsync("SELECT * FROM pggit_v0.reachable_objects(ARRAY['feature/nope'])"));
        Assert.Contains("'feature/nope'", reachable.MessageText);
    }
}
