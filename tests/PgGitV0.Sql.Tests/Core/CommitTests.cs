using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

public sealed class CommitTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task The_first_commit_creates_the_default_branch_and_an_unchanged_schema_is_nothing_to_commit()
    {
        await using var db = await _db.OpenAsync();
        var notices = new List<string>();
        db.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        await db.ExecuteAsync("CREATE TABLE public.t (id int PRIMARY KEY)");

        var first = await db.ScalarAsync<string>("SELECT pggit_v0.commit('initial')");
        Assert.Equal(first, await db.ScalarAsync<string>("SELECT target_sha FROM pggit_v0.refs WHERE name = 'main' AND type = 'branch'"));
        Assert.Equal("main", await db.ScalarAsync<string>("SELECT branch FROM pggit_v0.head"));

        var treeOfFirst = await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @first", new { first });
        var again = await db.ScalarAsync<string>("SELECT pggit_v0.commit('again')");
        Assert.Equal(first, again);
        Assert.Contains(notices, n => n.StartsWith("nothing to commit"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM pggit_v0.commit_graph"));

        // Determinism: two snapshots of an unchanged database hash to the same tree.
        var snapshotTree = await db.ScalarAsync<string>("""
            SELECT pggit_v0.write_tree(NULL, (SELECT jsonb_object_agg(path, ddl) FROM pggit_v0.snapshot_schema()))
            """);
        Assert.Equal(treeOfFirst, snapshotTree);

        await db.ExecuteAsync("ALTER TABLE public.t ADD COLUMN note text");
        var second = await db.ScalarAsync<string>("SELECT pggit_v0.commit('add note')");
        Assert.NotEqual(first, second);
        Assert.Equal(new[] { first }, await db.ScalarAsync<string[]>("SELECT parent_shas FROM pggit_v0.commit_graph WHERE commit_sha = @second", new { second }));
        Assert.Equal(2, await db.ExecuteScalarAsync<int>("SELECT generation FROM pggit_v0.commit_graph WHERE commit_sha = @second", new { second }));
        var moves = (await db.QueryAsync<(string? Old, string New, string Reason)>(
            "SELECT old_sha, new_sha, reason FROM pggit_v0.ref_log WHERE ref_name = 'main' ORDER BY id")).AsList();
        Assert.Equal(new (string?, string, string)[] { (null, first, "commit"), (first, second, "commit") }, moves);
    }

    [Fact]
    public async Task Authors_are_name_and_email_a_bare_name_gets_an_empty_email_and_the_default_is_the_actor()
    {
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("SELECT pggit_v0.commit('base', 'Alice Smith <alice@example.com>')");
        await db.ExecuteAsync("SELECT pggit_v0.create_branch('authors')");

        await db.ExecuteAsync("""SELECT pggit_v0.commit_changes('authors', '{"public/views/a.sql": "CREATE VIEW public.a AS SELECT 1;"}', 'bare', 'bob')""");
        await db.ExecuteAsync("BEGIN; SELECT set_config('pggit.actor', 'ci-bot', true); " +
                              """SELECT pggit_v0.commit_changes('authors', '{"public/views/b.sql": "CREATE VIEW public.b AS SELECT 1;"}', 'by actor'); COMMIT;""");
        await db.ExecuteAsync("""SELECT pggit_v0.commit_changes('authors', '{"public/views/c.sql": "CREATE VIEW public.c AS SELECT 1;"}', 'by user')""");

        var rows = (await db.QueryAsync<(string Author, string Email, string Message)>(
            "SELECT author, author_email, message FROM pggit_v0.commit_graph ORDER BY generation")).AsList();
        Assert.Equal(("Alice Smith", "alice@example.com", "base"), rows[0]);
        Assert.Equal(("bob", "", "bare"), rows[1]);
        Assert.Equal(("ci-bot", "", "by actor"), rows[2]);
        Assert.Equal(("postgres", "", "by user"), rows[3]);
        var actor = await db.ScalarAsync<string>("SELECT actor FROM pggit_v0.activity WHERE details ->> 'message' = 'by actor'");
        Assert.Equal("ci-bot", actor);
    }

    [Fact]
    public async Task Commit_changes_writes_replaces_and_deletes_on_a_branch_without_touching_the_live_database()
    {
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE public.old_t (id int); CREATE VIEW public.v AS SELECT 1 AS one;");
        await db.ExecuteAsync("SELECT pggit_v0.commit('base')");
        await db.ExecuteAsync("SELECT pggit_v0.create_branch('dev')");

        var sha = await db.ScalarAsync<string>("""
            SELECT pggit_v0.commit_changes('dev', '{
                "public/views/v.sql": "CREATE VIEW public.v AS SELECT 2 AS two;",
                "public/tables/old_t.sql": null,
                "public/tables/only_on_branch.sql": "CREATE TABLE public.only_on_branch (id int REFERENCES public.nowhere (id));\n\n"}',
                'branch-only change')
            """);
        var paths = (await db.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('dev')")).AsList();
        Assert.Contains("public/tables/only_on_branch.sql", paths);
        Assert.DoesNotContain("public/tables/old_t.sql", paths);
        var ddl = await db.ScalarAsync<string>("""
            SELECT convert_from(pggit_v0.cat_object(object_sha), 'UTF8') FROM pggit_v0.ls_tree('dev') WHERE path = 'public/views/v.sql'
            """);
        Assert.Equal("CREATE VIEW public.v AS SELECT 2 AS two;\n", ddl);
        var branchOnly = await db.ScalarAsync<string>("""
            SELECT convert_from(pggit_v0.cat_object(object_sha), 'UTF8') FROM pggit_v0.ls_tree('dev') WHERE path = 'public/tables/only_on_branch.sql'
            """);
        Assert.Equal("CREATE TABLE public.only_on_branch (id int REFERENCES public.nowhere (id));\n", branchOnly);

        // The live database and main are untouched.
        Assert.Null(await db.ExecuteScalarAsync<string?>("SELECT to_regclass('public.only_on_branch')::text"));
        Assert.NotNull(await db.ExecuteScalarAsync<string?>("SELECT to_regclass('public.old_t')::text"));
        Assert.Contains("public/tables/old_t.sql", await db.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')"));
        Assert.Equal(sha, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('dev')"));

        // Re-applying the same content is nothing to commit.
        var same = await db.ScalarAsync<string>("""
            SELECT pggit_v0.commit_changes('dev', '{"public/views/v.sql": "CREATE VIEW public.v AS SELECT 2 AS two;"}', 'again')
            """);
        Assert.Equal(sha, same);
    }

    [Fact]
    public async Task Unchanged_subtrees_are_shared_and_trees_are_stored_as_small_deltas()
    {
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("""
            DO $$ BEGIN FOR i IN 1..40 LOOP EXECUTE format('CREATE TABLE public.t%s (id int)', i); END LOOP; END $$;
            CREATE SCHEMA other; CREATE TABLE other.x (id int);
            """);
        var first = await db.ScalarAsync<string>("SELECT pggit_v0.commit('forty tables')");
        await db.ExecuteAsync("ALTER TABLE public.t7 ADD COLUMN extra int");
        var second = await db.ScalarAsync<string>("SELECT pggit_v0.commit('change one')");

        var tablesTree = await db.QueryAsync<(string Base, int Names)>("""
            SELECT base_sha, cardinality(names) FROM pggit_v0.trees
            WHERE sha = (SELECT e.sha FROM pggit_v0._tree_entries((SELECT e2.sha FROM pggit_v0._tree_entries(
                (SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @second)) e2 WHERE e2.name = 'public/')) e WHERE e.name = 'tables/')
            """, new { second });
        var (baseSha, names) = Assert.Single(tablesTree);
        Assert.NotNull(baseSha);
        Assert.Equal(1, names);
        // The unchanged schema's subtree is the same object in both commits.
        var otherTrees = await db.QueryAsync<string>("""
            SELECT e.sha FROM pggit_v0.commit_graph g, pggit_v0._tree_entries(g.tree_sha) e
            WHERE g.commit_sha IN (@first, @second) AND e.name = 'other/'
            """, new { first, second });
        Assert.Single(otherTrees.Distinct());
        // A full listing through the delta equals the listing of the full tree plus the one change.
        var changed = await db.QueryAsync<string>("""
            SELECT coalesce(a.path, b.path) FROM pggit_v0.ls_tree(@first) a FULL JOIN pggit_v0.ls_tree(@second) b USING (path)
            WHERE a.object_sha IS DISTINCT FROM b.object_sha
            """, new { first, second });
        Assert.Equal(new[] { "public/tables/t7.sql" }, changed);
    }

    [Fact]
    public async Task Resolve_ref_understands_heads_branches_prefixes_and_ancestors()
    {
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE public.r1 (id int)");
        var c1 = await db.ScalarAsync<string>("SELECT pggit_v0.commit('one')");
        await db.ExecuteAsync("CREATE TABLE public.r2 (id int)");
        var c2 = await db.ScalarAsync<string>("SELECT pggit_v0.commit('two')");
        Assert.Equal(c2, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(NULL)"));
        Assert.Equal(c2, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('HEAD')"));
        Assert.Equal(c1, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('main~1')"));
        Assert.Equal(c1, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('HEAD^')"));
        Assert.Equal(c1, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@p)", new { p = c1[..10] }));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('main~2')"));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('nope')"));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('main~x')"));
    }
}
