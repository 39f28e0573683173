using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.History;

/// <summary>The nine insight views on a history with merges, two authors over several days.</summary>
public sealed class InsightViewTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private string _merge = "", _feature = "", _wip = "", _large = "", _dangling = "", _unmerged = "";

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = await _db.OpenAsync();
        var day = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        async Task<string> Commit(string? parent, string? second, string changes, string message, string author, int dayOffset)
        {
            var baseTree = parent is null ? null : await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @parent", new { parent });
            var tree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(@baseTree, @changes::jsonb)", new { baseTree, changes });
            return await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, @parents, @message, @author, NULL, @at, @at)",
                new { tree, parents = new[] { parent, second }.Where(p => p is not null).ToArray(), message, author, at = day.AddDays(dayOffset) });
        }
        var c1 = await Commit(null, null, """{"public/schema.sql": "CREATE SCHEMA IF NOT EXISTS public;", "public/tables/a.sql": "CREATE TABLE public.a (id int);"}""", "Create table a", "Alice <alice@example.com>", 0);
        var c2 = await Commit(c1, null, """{"public/tables/a.sql": "CREATE TABLE public.a (id int, b int);"}""", "Add column b to a", "Bob <bob@example.com>", 0);
        _feature = await Commit(c2, null, """{"public/views/va.sql": "CREATE VIEW public.va AS SELECT 1;"}""", "Add view va", "Bob <bob@example.com>", 1);
        var c3 = await Commit(c2, null, """{"public/tables/a.sql": "CREATE TABLE public.a (id int, b int, c int);"}""", "Add column c to a", "Alice <alice@example.com>", 1);
        _merge = await Commit(c3, _feature, """{"public/views/va.sql": "CREATE VIEW public.va AS SELECT 1;"}""", "Merge feature into main", "Alice <alice@example.com>", 2);
        _wip = await Commit(_merge, null, """{"public/tables/a.sql": null}""", "wip", "Bob <bob@example.com>", 2);
        var many = "{" + string.Join(", ", Enumerable.Range(0, 25).Select(i => $"\"public/tables/t{i}.sql\": \"CREATE TABLE public.t{i} (id int);\"")) + "}";
        _large = await Commit(_wip, null, many, "Create 25 tables", "Alice <alice@example.com>", 3);
        _unmerged = await Commit(_large, null, """{"public/views/vb.sql": "CREATE VIEW public.vb AS SELECT 2;"}""", "Unmerged view", "Bob <bob@example.com>", 3);
        _dangling = await Commit(_large, null, """{"public/views/lost.sql": "CREATE VIEW public.lost AS SELECT 3;"}""", "Never referenced", "Bob <bob@example.com>", 3);
        await db.ExecuteAsync("SELECT pggit_v0.update_ref('main', @large, NULL); SELECT pggit_v0.update_ref('feature', @feature, NULL); SELECT pggit_v0.update_ref('topic', @unmerged, NULL);",
            new { large = _large, feature = _feature, unmerged = _unmerged });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_view_has_a_comment_saying_what_it_answers_and_runs()
    {
        await using var db = await _db.OpenAsync();
        var views = new[] { "recent_commits_by_author", "most_changed_objects", "branch_comparison", "daily_change_summary",
            "schema_growth_history", "author_activity", "commit_without_message", "orphaned_objects", "large_commits" };
        foreach (var view in views)
        {
            var comment = await db.ExecuteScalarAsync<string?>("SELECT obj_description(to_regclass(@v), 'pg_class')", new { v = "pggit_v0." + view });
            Assert.False(string.IsNullOrWhiteSpace(comment), $"{view} has no comment");
            await db.ExecuteAsync($"SELECT * FROM pggit_v0.{view}");
        }
    }

    [Fact]
    public async Task Authors_days_and_changes_are_counted()
    {
        await using var db = await _db.OpenAsync();
        var byAuthor = (await db.QueryAsync<(string Author, long Commits)>("SELECT author, commits FROM pggit_v0.recent_commits_by_author ORDER BY author")).AsList();
        Assert.Equal(new[] { ("Alice", 4L), ("Bob", 5L) }, byAuthor);
        var days = (await db.QueryAsync<(DateTime Day, long Commits)>("SELECT day, commits FROM pggit_v0.daily_change_summary ORDER BY day")).AsList();
        Assert.Equal(new long[] { 2, 2, 2, 3 }, days.Select(d => d.Commits));
        var top = (await db.QueryAsync<(string Path, long Changes)>("SELECT object_path, change_count FROM pggit_v0.most_changed_objects ORDER BY change_count DESC, object_path LIMIT 1")).Single();
        Assert.Equal(("public/tables/a.sql", 4L), top);  // CREATE, ALTER, ALTER, DROP
        Assert.Contains(("Bob", "public/tables/a.sql", "DROP"), await db.QueryAsync<(string, string, string)>("SELECT author, object_path, change_type FROM pggit_v0.author_activity"));
    }

    [Fact]
    public async Task Branches_are_compared_with_the_default_branch()
    {
        await using var db = await _db.OpenAsync();
        var rows = (await db.QueryAsync<(string Branch, long Ahead, long Behind, bool Merged)>(
            "SELECT branch_name, ahead, behind, merged FROM pggit_v0.branch_comparison ORDER BY branch_name")).AsList();
        Assert.Equal(new[] { ("feature", 0L, 4L, true), ("main", 0L, 0L, true), ("topic", 1L, 0L, false) }, rows);
    }

    [Fact]
    public async Task Growth_quality_orphans_and_large_commits_are_reported()
    {
        await using var db = await _db.OpenAsync();
        var growth = (await db.QueryAsync<(string Sha, long Count)>("SELECT commit_sha, object_count FROM pggit_v0.schema_growth_history ORDER BY commit_number")).AsList();
        Assert.Equal(new long[] { 2, 2, 2, 3, 2, 27 }, growth.Select(g => g.Count));
        Assert.Equal(_wip, Assert.Single(await db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.commit_without_message")));
        Assert.Equal(_large, Assert.Single(await db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.large_commits")));
        var orphans = (await db.QueryAsync<(string Sha, string Type)>("SELECT sha, type FROM pggit_v0.orphaned_objects")).AsList();
        Assert.Contains((_dangling, "commit"), orphans);
        Assert.Contains(orphans, o => o.Type == "blob");
        Assert.DoesNotContain(orphans, o => o.Sha == _unmerged || o.Sha == _merge);
    }

    [Fact]
    public async Task A_blob_no_commit_names_is_orphaned_until_a_kept_commit_contains_it()
    {
        await using var db = await _db.OpenAsync();
        var tree = await db.ScalarAsync<string>("""SELECT pggit_v0.write_tree((SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @large), '{"public/views/stray.sql": "CREATE VIEW public.stray AS SELECT 9;"}')""", new { large = _large });
        var blob = await db.ScalarAsync<string>("SELECT sha FROM pggit_v0._tree_blobs(@tree) WHERE path = 'public/views/stray.sql'", new { tree });
        Assert.Contains((blob, "blob"), await db.QueryAsync<(string, string)>("SELECT sha, type FROM pggit_v0.orphaned_objects"));

        var commit = await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, ARRAY[@large], 'Add stray', 'Alice <alice@example.com>')", new { tree, large = _large });
        Assert.Contains((blob, "blob"), await db.QueryAsync<(string, string)>("SELECT sha, type FROM pggit_v0.orphaned_objects"));
        Assert.Contains((commit, "commit"), await db.QueryAsync<(string, string)>("SELECT sha, type FROM pggit_v0.orphaned_objects"));

        // A fold takes the now-named blob out of unnamed_blobs; a blob never committed stays. Both
        // are still orphans: the one only because its commit is unreachable.
        var never = (await db.ScalarAsync<string[]>("SELECT pggit_v0._write_blobs(ARRAY['CREATE VIEW public.never AS SELECT 0;'])"))[0];
        Assert.True(await db.ScalarAsync<long>("SELECT pggit_v0._fold_rollups()") > 0);
        Assert.Equal(new[] { never }, await db.QueryAsync<string>("SELECT sha FROM pggit_audit.unnamed_blobs WHERE sha IN (@blob, @never)", new { blob, never }));
        var afterFold = (await db.QueryAsync<(string Sha, string Type)>("SELECT sha, type FROM pggit_v0.orphaned_objects")).AsList();
        Assert.Contains((blob, "blob"), afterFold);
        Assert.Contains((never, "blob"), afterFold);
        Assert.Contains((commit, "commit"), afterFold);

        await db.ExecuteAsync("SELECT pggit_v0.create_branch('stray', @commit)", new { commit });
        var orphans = (await db.QueryAsync<(string Sha, string Type)>("SELECT sha, type FROM pggit_v0.orphaned_objects")).AsList();
        Assert.DoesNotContain(orphans, o => o.Sha == blob || o.Sha == commit || o.Sha == tree);
        Assert.Contains((never, "blob"), orphans);
    }

    [Fact]
    public async Task Orphaned_objects_are_exactly_what_nothing_keeps_and_merge_state_keeps_commits()
    {
        await using var db = await _db.OpenAsync();
        async Task<List<(string Sha, string Type)>> Orphans() =>
            (await db.QueryAsync<(string Sha, string Type)>("SELECT sha, type FROM pggit_v0.orphaned_objects ORDER BY sha")).AsList();
        var lostBlob = await db.ScalarAsync<string>("SELECT sha FROM pggit_v0._tree_blobs((SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @c)) WHERE path = 'public/views/lost.sql'", new { c = _dangling });
        var lostTree = await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @c", new { c = _dangling });
        var deltaBase = await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pggit_v0.trees WHERE base_sha = @lostTree)", new { lostTree });
        var expected = new List<(string, string)> { (_dangling, "commit"), (lostBlob, "blob") };
        if (!deltaBase) expected.Add((lostTree, "tree"));
        Assert.Equal(expected.OrderBy(e => e.Item1, StringComparer.Ordinal), await Orphans());

        // A branch at the commit keeps it; deleted, its recent ref_log entry still does; once that
        // entry has expired, an open merge request from it keeps it until the request is closed.
        await db.ExecuteAsync("SELECT pggit_v0.create_branch('lost', @c)", new { c = _dangling });
        Assert.Empty(await Orphans());
        var mr = await db.ScalarAsync<Guid>("SELECT mr_id FROM pggit_v0.create_merge_request('lost', 'topic', 'Lost view', 'review me')");
        await db.ExecuteAsync("SELECT pggit_v0.delete_branch('lost', true)");
        Assert.Empty(await Orphans());
        await db.ExecuteAsync("UPDATE pggit_v0.ref_log SET at = at - interval '100 days'");
        Assert.Empty(await Orphans());
        await db.ExecuteAsync("SELECT pggit_v0.close_merge_request(@mr)", new { mr });
        Assert.Equal(expected.OrderBy(e => e.Item1, StringComparer.Ordinal), await Orphans());
    }
}
