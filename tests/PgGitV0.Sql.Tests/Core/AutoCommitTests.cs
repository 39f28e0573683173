using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

public sealed class AutoCommitTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.ExecuteAsync("CREATE TABLE public.t (id int); SELECT pggit_v0.commit('base'); SELECT pggit_v0.create_branch('dev');");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<int> CommitCountAsync() => _db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.commit_graph");

    [Fact]
    public async Task Each_ddl_statement_is_committed_and_pggits_own_ddl_never_triggers_it()
    {
        Assert.True(await _db.ScalarAsync<bool>("SELECT pggit_v0.enable_auto_commit()"));
        try
        {
            await _db.ExecuteAsync("CREATE TABLE public.auto_a (id int)");
            var message = await _db.ScalarAsync<string>("SELECT message FROM pggit_v0.commit_graph ORDER BY generation DESC LIMIT 1");
            Assert.Equal("CREATE TABLE public.auto_a", message);
            Assert.Contains("public/tables/auto_a.sql", await _db.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')"));

            await _db.ExecuteAsync("DROP TABLE public.auto_a");
            Assert.DoesNotContain("public/tables/auto_a.sql", await _db.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')"));

            // pggit's own DDL: the syntax check of commit_changes, and a reinstall.
            var before = await CommitCountAsync();
            await _db.ExecuteAsync("""SELECT pggit_v0.commit_changes('dev', '{"public/views/x.sql": "CREATE VIEW public.x AS SELECT 1;"}', 'branch only')""");
            await PgGitV0.Database.SqlInstaller.InstallAsync(_db.ConnectionString);
            Assert.Equal(before + 1, await CommitCountAsync());  // just the commit_changes commit on dev
        }
        finally
        {
            Assert.True(await _db.ScalarAsync<bool>("SELECT pggit_v0.disable_auto_commit()"));
        }
        var after = await CommitCountAsync();
        await _db.ExecuteAsync("CREATE TABLE public.manual (id int)");
        Assert.Equal(after, await CommitCountAsync());
    }

    [Fact]
    public async Task Concurrent_ddl_sessions_each_get_their_commit()
    {
        await _db.ScalarAsync<bool>("SELECT pggit_v0.enable_auto_commit()");
        try
        {
            var before = await CommitCountAsync();
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => _db.ExecuteAsync($"CREATE TABLE public.c{i} (id int)"))));
            var paths = (await _db.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')")).ToHashSet();
            Assert.All(Enumerable.Range(0, 6), i => Assert.Contains($"public/tables/c{i}.sql", paths));
            Assert.Equal(before + 6, await CommitCountAsync());
        }
        finally
        {
            await _db.ScalarAsync<bool>("SELECT pggit_v0.disable_auto_commit()");
        }
    }
}
