namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// A server over a history for diffs and object histories: on main, orders created then altered, gone
/// created then dropped, and later added after feature/x branched off; feature/x adds extra.
/// </summary>
public sealed class DiffFixture : ServerFixture
{
    protected override async Task SeedAsync()
    {
        async Task Commit(string ddl, string message, string author)
        {
            await Database.ExecuteAsync(ddl);
            await Database.ExecuteAsync("SELECT pggit_v0.commit(@message, @author)", new { message, author });
        }

        await Commit("CREATE TABLE public.orders (id integer)", "Add orders", "alice");
        await Commit("ALTER TABLE public.orders ADD COLUMN total numeric", "Add total to orders", "bob");
        await Commit("CREATE TABLE public.gone (id integer)", "Add gone", "alice");
        await Database.ExecuteAsync("SELECT pggit_v0.create_branch('feature/x')");
        await Database.ExecuteAsync("""
            SELECT pggit_v0.commit_changes('feature/x', '{"public/tables/extra.sql": "CREATE TABLE public.extra (id integer);"}'::jsonb, 'Add extra', 'carol')
            """);
        await Commit("DROP TABLE public.gone", "Drop gone", "bob");
        await Commit("CREATE TABLE public.later (id integer)", "Add later", "alice");
    }
}
