using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.History;

/// <summary>Object histories, the audit layer, tags and branch deletion on a real snapshot history.</summary>
public sealed class ObjectHistoryTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private readonly Dictionary<string, string> _commits = new();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = await _db.OpenAsync();
        async Task Step(string name, string ddl, string author)
        {
            await db.ExecuteAsync(ddl);
            _commits[name] = await db.ScalarAsync<string>("SELECT pggit_v0.commit(@name, @author)", new { name, author });
        }
        await Step("create", "CREATE TABLE public.accounts (id int PRIMARY KEY); CREATE FUNCTION public.calc(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';", "Alice <alice@example.com>");
        await Step("alter", "ALTER TABLE public.accounts ADD COLUMN balance numeric;", "Bob <bob@example.com>");
        await Step("overload", "CREATE FUNCTION public.calc(a text) RETURNS text LANGUAGE sql AS 'SELECT a';", "Alice <alice@example.com>");
        await Step("drop", "DROP TABLE public.accounts;", "Bob <bob@example.com>");
        await Step("recreate", "CREATE TABLE public.accounts (id bigint PRIMARY KEY);", "Alice <alice@example.com>");
        await Step("rename", "ALTER TABLE public.accounts RENAME TO ledger;", "Bob <bob@example.com>");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_object_deleted_recreated_and_renamed_has_its_whole_history_newest_first()
    {
        await using var db = await _db.OpenAsync();
        var history = (await db.QueryAsync<(string Sha, string Change, string Author, string Message)>(
            "SELECT commit_sha, change_type, author, message FROM pggit_v0.get_object_history('public', 'accounts')")).AsList();
        Assert.Equal(new[]
        {
            (_commits["rename"], "DROP", "Bob", "rename"),
            (_commits["recreate"], "CREATE", "Alice", "recreate"),
            (_commits["drop"], "DROP", "Bob", "drop"),
            (_commits["alter"], "ALTER", "Bob", "alter"),
            (_commits["create"], "CREATE", "Alice", "create"),
        }, history);
        var renamed = Assert.Single(await db.QueryAsync<(string Sha, string Change)>("SELECT commit_sha, change_type FROM pggit_v0.get_object_history('public', 'ledger')"));
        Assert.Equal((_commits["rename"], "CREATE"), renamed);
        Assert.Equal(2, (await db.QueryAsync("SELECT * FROM pggit_v0.get_object_history('public', 'accounts', 2)")).Count());
    }

    [Fact]
    public async Task Diffs_show_a_rename_as_a_drop_and_a_create_and_the_audit_layer_agrees()
    {
        await using var db = await _db.OpenAsync();
        var diff = (await db.QueryAsync<(string Path, string Change)>(
            "SELECT object_path, change_type FROM pggit_v0.diff_commits(@a, @b)", new { a = _commits["recreate"], b = _commits["rename"] })).AsList();
        Assert.Contains(("public/tables/accounts.sql", "DROP"), diff);
        Assert.Contains(("public/tables/ledger.sql", "CREATE"), diff);

        var audit = (await db.QueryAsync<(string Sha, string Change, string? OldDdl, string? NewDdl)>("""
            SELECT commit_sha, change_type, old_ddl, new_ddl FROM pggit_audit.changes
            WHERE path = 'public/tables/accounts.sql' ORDER BY id
            """)).AsList();
        Assert.Equal(new[] { "CREATE", "ALTER", "DROP", "CREATE", "DROP" }, audit.Select(a => a.Change));
        Assert.Null(audit[0].OldDdl);
        Assert.Contains("balance", audit[1].NewDdl);
        Assert.Null(audit[2].NewDdl);
        var fromFunction = await db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_object_history('public', 'accounts')");
        Assert.Equal(audit.Select(a => a.Sha).Reverse(), fromFunction);

        var versions = await db.ScalarAsync<int>("SELECT count(*) FROM pggit_audit.object_versions WHERE path = 'public/tables/accounts.sql'");
        Assert.Equal(3, versions);
        var log = await db.QueryAsync<(string Sha, int Creates, int Drops)>("SELECT commit_sha, creates, drops FROM pggit_audit.compliance_log WHERE commit_sha = @c", new { c = _commits["rename"] });
        Assert.Equal((_commits["rename"], 1, 1), Assert.Single(log));
    }

    [Fact]
    public async Task The_compliance_log_rejects_update_delete_and_truncate()
    {
        await using var db = await _db.OpenAsync();
        await SqlAssert.ThrowsSqlStateAsync("42501", () => db.ExecuteAsync("UPDATE pggit_audit.compliance_log SET message = 'rewritten'"));
        await SqlAssert.ThrowsSqlStateAsync("42501", () => db.ExecuteAsync("DELETE FROM pggit_audit.compliance_log"));
        await SqlAssert.ThrowsSqlStateAsync("42501", () => db.ExecuteAsync("TRUNCATE pggit_audit.compliance_log"));
        Assert.True(await db.ScalarAsync<int>("SELECT count(*) FROM pggit_audit.compliance_log") >= 6);
    }

    [Fact]
    public async Task Overloaded_functions_need_their_argument_types_when_ambiguous()
    {
        await using var db = await _db.OpenAsync();
        var error = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.QueryAsync("SELECT * FROM pggit_v0.get_object_history('public', 'calc')"));
        Assert.Contains("public/functions/calc(integer).sql", error.MessageText);
        Assert.Contains("public/functions/calc(text).sql", error.MessageText);
        var created = Assert.Single(await db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_object_history('public', 'calc(text)')"));
        Assert.Equal(_commits["overload"], created);
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.QueryAsync("SELECT * FROM pggit_v0.get_object_history('public', 'nothing')"));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.QueryAsync("SELECT * FROM pggit_v0.get_object_history('public', 'ledger', -1)"));
    }

    [Fact]
    public async Task Tags_name_commits_and_branches_with_unmerged_work_are_kept_unless_forced()
    {
        await using var db = await _db.OpenAsync();
        Assert.Equal(_commits["alter"], await db.ScalarAsync<string>("SELECT pggit_v0.create_tag('v1.0', @c, 'first release')", new { c = _commits["alter"] }));
        Assert.Equal(_commits["alter"], await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('v1.0')"));
        Assert.Equal(("v1.0", _commits["alter"], "first release"), Assert.Single(
            await db.QueryAsync<(string, string, string)>("SELECT tag_name, commit_sha, message FROM pggit_v0.list_tags()")));
        await SqlAssert.ThrowsSqlStateAsync("42710", () => db.ExecuteAsync("SELECT pggit_v0.create_tag('v1.0')"));

        await db.ExecuteAsync("SELECT pggit_v0.create_branch('merged', @c)", new { c = _commits["drop"] });
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.delete_branch('merged')"));

        await db.ExecuteAsync("SELECT pggit_v0.create_branch('work')");
        var work = await db.ScalarAsync<string>("""SELECT pggit_v0.commit_changes('work', '{"public/views/w.sql": "CREATE VIEW public.w AS SELECT 1;"}', 'unmerged work')""");
        var refused = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.delete_branch('work')"));
        Assert.Contains(work[..12], refused.MessageText);
        await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.delete_branch('main')"));
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.delete_branch('work', true)"));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ExecuteAsync("SELECT pggit_v0.delete_branch('work')"));
        Assert.Equal(work, await db.ScalarAsync<string>("SELECT pggit_v0.restore_branch('work')"));
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.delete_tag('v1.0')"));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ExecuteAsync("SELECT pggit_v0.delete_tag('v1.0')"));
    }
}
