using Dapper;
using Npgsql;
using PgGitV0.Database;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

public sealed class InstallTests
{
    private static string RepoSql => Path.Combine(AppContext.BaseDirectory, "sql");

    [Fact]
    public async Task Install_is_idempotent_records_its_version_and_concurrent_installs_are_safe()
    {
        await using var db = await TestDatabase.CreateAsync(installPggit: false);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SqlInstaller.InstallAsync(db.ConnectionString)));
        await db.ExecuteAsync("CREATE TABLE public.t (id int); SELECT pggit_v0.commit('before upgrade');");
        await SqlInstaller.InstallAsync(db.ConnectionString);  // an upgrade in place keeps history

        await using var connection = await db.OpenAsync();
        Assert.Equal("0.1.0", await SqlInstaller.InstalledVersionAsync(connection));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pggit_v0.commit_graph"));
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('pggit_reader', 'pggit_writer', 'pggit_admin') AND NOT rolcanlogin"));
    }

    [Fact]
    public async Task Psql_installs_from_any_directory_and_uninstall_removes_everything()
    {
        await using var db = await TestDatabase.CreateAsync(installPggit: false);
        await Psql.RunAsync(db.ConnectionString, file: Path.Combine(RepoSql, "install.sql"));
        await using (var connection = await db.OpenAsync())
            Assert.Equal("0.1.0", await SqlInstaller.InstalledVersionAsync(connection));

        await Psql.RunAsync(db.ConnectionString, file: Path.Combine(RepoSql, "uninstall.sql"));
        await using (var connection = await db.OpenAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM pg_namespace WHERE nspname IN ('pggit_v0', 'pggit_audit')"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'pggit%'"));
        }
    }
}
