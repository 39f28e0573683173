using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

/// <summary>Bad input gets a clear error with the right SQLSTATE, naming the value, and writes nothing.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.ExecuteAsync("""
            CREATE TABLE public.t (id int);
            SELECT pggit_v0.commit('base');
            SELECT pggit_v0.create_branch('dev');
            """);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // name, SQL, SQLSTATE, text the message must contain
        { "unknown branch", """SELECT pggit_v0.commit_changes('nope', '{"public/views/v.sql": "CREATE VIEW public.v AS SELECT 1;"}', 'm')""", "P0002", "'nope'" },
        { "unknown branch to branch from", "SELECT pggit_v0.create_branch('x', 'no-such-branch')", "P0002", "'no-such-branch'" },
        { "malformed sha to cat_object", "SELECT pggit_v0.cat_object('xyz')", "22023", "'xyz'" },
        { "unknown sha to cat_object", "SELECT pggit_v0.cat_object(repeat('a', 64))", "P0002", "aaaa" },
        { "malformed sha to commit_tree", "SELECT pggit_v0.commit_tree('not-a-tree', '{}', 'm')", "22023", "'not-a-tree'" },
        { "malformed sha to update_ref", "SELECT pggit_v0.update_ref('dev', 'ABC', NULL)", "22023", "'ABC'" },
        { "unknown revision suffix", "SELECT pggit_v0.create_branch('x', 'main~two')", "22023", "'main~two'" },
        { "empty message to commit", "SELECT pggit_v0.commit('  ')", "22023", "message is empty" },
        { "empty message to commit_changes", """SELECT pggit_v0.commit_changes('dev', '{"public/views/v.sql": "CREATE VIEW public.v AS SELECT 1;"}', '')""", "22023", "message is empty" },
        { "author with <", "SELECT pggit_v0.commit('m', 'Al<ice')", "22023", "'Al<ice'" },
        { "author with unclosed email", """SELECT pggit_v0.commit_changes('dev', '{"public/views/v.sql": "CREATE VIEW public.v AS SELECT 1;"}', 'm', 'Alice <alice@example.com')""", "22023", "Alice <alice@example.com" },
        { "author without a name", "SELECT pggit_v0.commit('m', '<a@b.c>')", "22023", "<a@b.c>" },
        { "path outside the layout", """SELECT pggit_v0.commit_changes('dev', '{"public/widgets/w.sql": "CREATE VIEW public.w AS SELECT 1;"}', 'm')""", "22023", "'public/widgets/w.sql'" },
        { "path escaping the tree", """SELECT pggit_v0.commit_changes('dev', '{"../public/views/w.sql": "CREATE VIEW public.w AS SELECT 1;"}', 'm')""", "22023", "'../public/views/w.sql'" },
        { "path with a bad escape", """SELECT pggit_v0.commit_changes('dev', '{"public/views/100%.sql": "CREATE VIEW public.w AS SELECT 1;"}', 'm')""", "22023", "100%.sql" },
        { "unparsable DDL", """SELECT pggit_v0.commit_changes('dev', '{"public/views/v.sql": "CREATE VIEW public.v AS SELEC 1;"}', 'm')""", "22023", "does not parse" },
        { "empty DDL", """SELECT pggit_v0.commit_changes('dev', '{"public/views/v.sql": "  "}', 'm')""", "22023", "'public/views/v.sql'" },
        { "deleting a missing path", """SELECT pggit_v0.commit_changes('dev', '{"public/views/missing.sql": null}', 'm')""", "P0002", "'public/views/missing.sql'" },
        { "changes not an object", "SELECT pggit_v0.commit_changes('dev', '[1,2]', 'm')", "22023", "[1, 2]" },
        { "committing to the checked-out branch", """SELECT pggit_v0.commit_changes('main', '{"public/views/v.sql": "CREATE VIEW public.v AS SELECT 1;"}', 'm')""", "PGC01", "'main'" },
        { "invalid branch name", "SELECT pggit_v0.create_branch('bad..name')", "22023", "'bad..name'" },
        { "branch that exists", "SELECT pggit_v0.create_branch('dev')", "42710", "'dev'" },
        { "stale compare-and-swap", "SELECT pggit_v0.update_ref('dev', pggit_v0.resolve_ref('dev'), repeat('b', 64))", "40001", "'dev'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Is_rejected_with_a_clear_error_and_nothing_is_written(string name, string sql, string sqlState, string messageNames)
    {
        await using var db = await _db.OpenAsync();
        const string state = """
            SELECT (SELECT count(*) FROM pggit_v0.objects) || '/' || (SELECT count(*) FROM pggit_v0.refs) || '/'
                || (SELECT count(*) FROM pggit_v0.ref_log) || '/' || (SELECT count(*) FROM pggit_v0.activity) || '/'
                || (SELECT string_agg(name || '=' || target_sha, ',' ORDER BY name) FROM pggit_v0.refs)
            """;
        var before = await db.ScalarAsync<string>(state);
        var error = await SqlAssert.ThrowsSqlStateAsync(sqlState, () => db.ExecuteAsync(sql));
        Assert.True(error.MessageText.Contains(messageNames, StringComparison.Ordinal), $"{name}: message '{error.MessageText}' should name {messageNames}");
        Assert.Equal(before, await db.ScalarAsync<string>(state));
    }

    [Fact]
    public async Task An_ambiguous_short_sha_is_an_error_listing_the_candidates()
    {
        await using var db = await _db.OpenAsync();
        var tree = await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph LIMIT 1");
        // 1,500 commits with fixed times have fixed ids, among which 4-digit prefixes repeat.
        var shas = (await db.QueryAsync<string>("""
            SELECT pggit_v0.commit_tree(@tree, '{}', 'c' || i, 'Test', NULL, '2026-01-01Z', '2026-01-01Z')
            FROM generate_series(1, 1500) i
            """, new { tree })).AsList();
        var prefix = shas.GroupBy(s => s[..4]).First(g => g.Count() > 1).Key;
        var error = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@prefix)", new { prefix }));
        Assert.Contains("ambiguous", error.MessageText);
        foreach (var sha in shas.Where(s => s.StartsWith(prefix)))
            Assert.Contains(sha, error.MessageText);
    }
}
