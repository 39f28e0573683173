namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// A server over a history with merge commits: main has t1, t2, then t3; feature/x (from t2) adds a view;
/// integration (from t2) adds a table, merges feature/x, adds another table, then merges main. Tags: v0 on
/// t1, v1 on feature/x's tip, v3 on main's tip. main is checked out.
/// </summary>
public sealed class ExportFixture : ServerFixture
{
    protected override async Task SeedAsync()
    {
        async Task Commit(string ddl, string message)
        {
            await Database.ExecuteAsync(ddl);
            await Database.ExecuteAsync("SELECT pggit_v0.commit(@message, 'alice <alice@example.com>')", new { message });
        }

        async Task CommitTo(string branch, string path, string ddl, string message) =>
            await Database.ExecuteAsync("SELECT pggit_v0.commit_changes(@branch, jsonb_build_object(@path, @ddl), @message, 'bob <bob@example.com>')",
                new { branch, path, ddl, message });

        await Commit("CREATE TABLE public.t1 (id integer)", "Add t1");
        await Database.ExecuteAsync("SELECT pggit_v0.create_tag('v0')");
        await Commit("CREATE TABLE public.t2 (id integer)", "Add t2");
        await Database.ExecuteAsync("SELECT pggit_v0.create_branch('feature/x'); SELECT pggit_v0.create_branch('integration')");
        await CommitTo("feature/x", "public/views/fx.sql", "CREATE VIEW public.fx AS SELECT 1 AS n;", "Add fx");
        await Database.ExecuteAsync("SELECT pggit_v0.create_tag('v1', 'feature/x')");
        await CommitTo("integration", "public/tables/i1.sql", "CREATE TABLE public.i1 (id integer);", "Add i1");
        await Database.ExecuteAsync("SELECT pggit_v0.merge_branch('feature/x', 'integration')");
        await CommitTo("integration", "public/tables/i2.sql", "CREATE TABLE public.i2 (id integer);", "Add i2");
        await Commit("CREATE TABLE public.t3 (id integer)", "Add t3");
        await Database.ExecuteAsync("SELECT pggit_v0.create_tag('v3')");
        await Database.ExecuteAsync("SELECT pggit_v0.merge_branch('main', 'integration')");
    }
}
