using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

public sealed class KindTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Object_paths_round_trip_through_path_object_for_every_kind_and_agree_with_object_kinds()
    {
        await using var db = await _db.OpenAsync();
        var rows = (await db.QueryAsync<(string Type, string? Directory, string Path, string? Schema, string Name, string? Back)>("""
            SELECT k.object_type, k.directory, p.path, o.schema_name, o.object_name, o.object_type
            FROM pggit_v0.object_kinds k
            CROSS JOIN LATERAL (SELECT pggit_v0.object_path('we/ird %', k.object_type, '.odd/name%') AS path) p
            LEFT JOIN LATERAL pggit_v0.path_object(p.path) o ON true
            """)).AsList();
        Assert.Equal(14, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal(row.Type, row.Back);
            if (row.Type is not ("SCHEMA" or "EXTENSION"))
            {
                Assert.Equal($"we%2Fird %25/{row.Directory}/%2Eodd%2Fname%25.sql", row.Path);
                Assert.Equal(("we/ird %", ".odd/name%"), (row.Schema, row.Name));
            }
        }
        Assert.Contains(rows, r => r.Path == ".database/extensions/%2Eodd%2Fname%25.sql" && r.Schema is null);
        Assert.Contains(rows, r => r.Path == "we%2Fird %25/schema.sql" && r.Name == "we/ird %");
    }

    [Theory]
    [InlineData("public/widgets/x.sql")]
    [InlineData(".git/schema.sql")]
    [InlineData("public/tables/.hidden.sql")]
    [InlineData("public/tables/a/b.sql")]
    [InlineData("public/tables/x.txt")]
    [InlineData("public/tables/100%.sql")]
    [InlineData(".database/extensions/a/b.sql")]
    [InlineData("public/extensions/x.sql")]
    public async Task Paths_outside_the_layout_have_no_object(string path)
    {
        await using var db = await _db.OpenAsync();
        Assert.Null(await db.ExecuteScalarAsync<string?>("SELECT object_type FROM pggit_v0.path_object(@path)", new { path }));
    }

    [Fact]
    public async Task Settings_change_through_set_setting_with_type_checks_and_an_activity_event()
    {
        await using var db = await _db.OpenAsync();
        Assert.Equal("20", await db.ScalarAsync<string>("SELECT pggit_v0.set_setting('large_commit_threshold', '5')::text"));
        Assert.Equal("5", await db.ScalarAsync<string>("SELECT value::text FROM pggit_v0.settings WHERE key = 'large_commit_threshold'"));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ExecuteAsync("SELECT pggit_v0.set_setting('no_such_setting', '1')"));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.set_setting('large_commit_threshold', '\"many\"')"));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.activity WHERE kind = 'setting_changed'"));
    }

    [Theory]
    [InlineData("large_commit_threshold", "1.5")]
    [InlineData("large_commit_threshold", "0")]
    [InlineData("required_approvals", "-3")]
    [InlineData("required_approvals", "null")]
    [InlineData("reflog_expiry_days", "99999999999")]
    [InlineData("tree_delta_max_depth", "\"32\"")]
    [InlineData("tracked_schemas", "5")]
    [InlineData("tracked_schemas", "[\"public\", 7]")]
    [InlineData("ignored_schemas", "null")]
    [InlineData("ignored_schemas", "[\"\"]")]
    [InlineData("track_privileges", "\"yes\"")]
    [InlineData("default_branch", "\"bad..name\"")]
    [InlineData("default_branch", "null")]
    public async Task A_setting_value_its_readers_cannot_use_is_refused_naming_it_and_changes_nothing(string key, string value)
    {
        await using var db = await _db.OpenAsync();
        var before = await db.ScalarAsync<string>("SELECT value::text FROM pggit_v0.settings WHERE key = @key", new { key });
        var error = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.set_setting(@key, @value::jsonb)", new { key, value }));
        Assert.Contains(key, error.MessageText);
        Assert.Equal(before, await db.ScalarAsync<string>("SELECT value::text FROM pggit_v0.settings WHERE key = @key", new { key }));
    }

    [Theory]
    [InlineData("tracked_schemas", "null")]
    [InlineData("tracked_schemas", "[\"public\", \"app\"]")]
    [InlineData("required_approvals", "0")]
    [InlineData("reflog_expiry_days", "0")]
    [InlineData("default_branch", "\"trunk\"")]
    [InlineData("track_privileges", "true")]
    public async Task Values_each_setting_takes_are_accepted(string key, string value)
    {
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("SELECT pggit_v0.set_setting(@key, @value::jsonb)", new { key, value });
        Assert.Equal(value.Replace(" ", ""), (await db.ScalarAsync<string>("SELECT value::text FROM pggit_v0.settings WHERE key = @key", new { key })).Replace(" ", ""));
    }
}
