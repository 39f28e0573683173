using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

public sealed class RolesTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.ExecuteAsync($"""
            CREATE TABLE public.t (id int); SELECT pggit_v0.commit('base'); SELECT pggit_v0.create_branch('dev');
            CREATE ROLE reader_{_suffix} LOGIN IN ROLE pggit_reader;
            CREATE ROLE writer_{_suffix} LOGIN IN ROLE pggit_writer;
            CREATE ROLE nobody_{_suffix} LOGIN;
            """);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await using var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
        await admin.ExecuteAsync($"DROP ROLE reader_{_suffix}; DROP ROLE writer_{_suffix}; DROP ROLE nobody_{_suffix};");
    }

    private async Task<NpgsqlConnection> OpenAsAsync(string role)
    {
        var builder = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = $"{role}_{_suffix}", Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private const string Change = """SELECT pggit_v0.commit_changes('dev', '{"public/views/r.sql": "CREATE VIEW public.r AS SELECT 1;"}', 'by role')""";

    [Fact]
    public async Task A_reader_reads_but_cannot_write()
    {
        await using var reader = await OpenAsAsync("reader");
        Assert.NotEmpty(await reader.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')"));
        Assert.NotEmpty(await reader.QueryAsync<string>("SELECT sha FROM pggit_v0.objects"));
        var error = await SqlAssert.ThrowsSqlStateAsync("42501", () => reader.ExecuteAsync(Change));
        Assert.Contains("pggit_writer", error.MessageText);
        await SqlAssert.ThrowsSqlStateAsync("42501", () => reader.ExecuteAsync("SELECT pggit_v0._fold_rollups()"));
    }

    [Fact]
    public async Task A_writer_commits_and_the_author_defaults_to_its_login()
    {
        await using var writer = await OpenAsAsync("writer");
        var sha = await writer.ScalarAsync<string>(Change);
        Assert.Equal($"writer_{_suffix}", await writer.ScalarAsync<string>(
            "SELECT author FROM pggit_v0.commit_graph WHERE commit_sha = @sha", new { sha }));
        await SqlAssert.ThrowsSqlStateAsync("42501", () => writer.ExecuteAsync("SELECT pggit_v0.enable_auto_commit()"));
        await SqlAssert.ThrowsSqlStateAsync("42501", () => writer.ExecuteAsync("UPDATE pggit_v0.settings SET value = '\"x\"' WHERE key = 'default_branch'"));
    }

    [Fact]
    public async Task A_writers_commit_folds_the_rollups_though_the_writer_cannot_touch_them()
    {
        await using var writer = await OpenAsAsync("writer");
        var changes = System.Text.Json.JsonSerializer.Serialize(
            Enumerable.Range(0, 300).ToDictionary(i => $"public/views/many{i}.sql", i => $"CREATE VIEW public.many{i} AS SELECT {i};"));
        await writer.ExecuteAsync("SELECT pggit_v0.commit_changes('dev', @changes::jsonb, '300 views')", new { changes });

        // 300 changes are over the fold threshold: the writer's own commit folded them.
        Assert.Equal(0, await writer.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.rollup_queue"));
        Assert.Equal(300, await writer.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.object_change_rollup WHERE path LIKE 'public/views/many%'"));
        Assert.Equal(await writer.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.change_log"),
            await writer.ScalarAsync<long>("SELECT sum(creates + alters + drops) FROM pggit_audit.daily_change_rollup"));
        await SqlAssert.ThrowsSqlStateAsync("42501", () => writer.ExecuteAsync("DELETE FROM pggit_audit.rollup_queue"));
        await SqlAssert.ThrowsSqlStateAsync("42501", () => writer.ExecuteAsync("UPDATE pggit_audit.daily_change_rollup SET commits = 0"));
    }

    [Fact]
    public async Task A_role_without_pggit_roles_cannot_even_read()
    {
        await using var nobody = await OpenAsAsync("nobody");
        await SqlAssert.ThrowsSqlStateAsync("42501", () => nobody.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')"));
    }
}
