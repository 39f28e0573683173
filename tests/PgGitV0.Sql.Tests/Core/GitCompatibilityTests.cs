using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

/// <summary>git is the oracle: every object we write is a valid git object with the same id.</summary>
public sealed class GitCompatibilityTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_small_history_exported_object_by_object_passes_git_fsck_and_git_agrees_on_ids_log_and_trees()
    {
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("""
            CREATE SCHEMA "odd/schema";
            CREATE TABLE public.customers (id bigint PRIMARY KEY, name text NOT NULL);
            CREATE TABLE "odd/schema"."100% .hidden" (id int);
            """);
        var first = await db.ScalarAsync<string>("SELECT pggit_v0.commit('first commit', 'Alice <alice@example.com>')");
        await db.ExecuteAsync("""
            CREATE TABLE public.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES public.customers (id));
            CREATE VIEW public.big_orders AS SELECT * FROM public.orders WHERE id > 100;
            """);
        var second = await db.ScalarAsync<string>("SELECT pggit_v0.commit('second commit', 'Bob')");
        await db.ExecuteAsync("SELECT pggit_v0.create_branch('feature/x', @first)", new { first });
        var onBranch = await db.ScalarAsync<string>("""
            SELECT pggit_v0.commit_changes('feature/x',
                '{"public/views/v_names.sql": "CREATE VIEW public.v_names AS SELECT name FROM public.customers;"}', 'add a view', 'Carol <carol@example.com>')
            """);
        // A merge commit with two parents, written with the plumbing.
        var mergeTree = await db.ScalarAsync<string>("""
            SELECT pggit_v0.write_tree((SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @second),
                jsonb_build_object('public/views/v_names.sql', 'CREATE VIEW public.v_names AS SELECT name FROM public.customers;'))
            """, new { second });
        var merge = await db.ScalarAsync<string>(
            "SELECT pggit_v0.commit_tree(@mergeTree, ARRAY[@second, @onBranch], 'Merge feature/x into main', 'Alice <alice@example.com>')",
            new { mergeTree, second, onBranch });
        await db.ExecuteAsync("SELECT pggit_v0.update_ref('main', @merge, @second, 'merge')", new { merge, second });

        using var git = await GitRepository.InitAsync();
        var objects = (await db.QueryAsync<(string Sha, string Type)>("SELECT sha, type FROM pggit_v0.objects")).AsList();
        Assert.True(objects.Count > 10);
        foreach (var (sha, type) in objects)
        {
            var payload = await db.ScalarAsync<byte[]>("SELECT pggit_v0.cat_object(@sha)", new { sha });
            Assert.Equal(sha, await git.WriteObjectAsync(type, payload!));
        }
        await git.RunAsync("update-ref", "refs/heads/main", merge);
        await git.RunAsync("update-ref", "refs/heads/feature/x", onBranch);
        await git.RunAsync("fsck", "--full", "--strict", "--no-dangling");

        var gitLog = GitRepository.Lines(await git.RunAsync("log", "--format=%H", "main"));
        Assert.Equal(new[] { merge, first, onBranch, second }.Order(), gitLog.Order());
        Assert.Equal(merge, gitLog[0]);

        foreach (var rev in new[] { merge, onBranch, first })
        {
            var ours = (await db.QueryAsync<(string Path, string ObjectSha)>(
                "SELECT path, object_sha FROM pggit_v0.ls_tree(@rev)", new { rev })).Select(r => $"{r.Path} {r.ObjectSha}");
            var theirs = GitRepository.Lines(await git.RunAsync("ls-tree", "-r", "--format=%(path) %(objectname)", rev));
            Assert.Equal(theirs, ours);
        }
        Assert.Contains("odd%2Fschema/tables/100%25 .hidden.sql",
            GitRepository.Lines(await git.RunAsync("ls-tree", "-r", "--name-only", "main")));
        Assert.Equal("Bob <>", (await git.RunAsync("log", "-1", "--format=%an <%ae>", second)).Trim());
    }
}
