namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// A server over a history made with SQL: seven commits on main (t1..t7, alternately by alice and bob,
/// made from live DDL with pggit_v0.commit), a branch dev with one more commit by carol (commit_changes),
/// and branches feature/a and feature/b.
/// </summary>
public class HistoryFixture : ServerFixture
{
    public const int MainCommits = 7;

    public static string AuthorOf(int table) => table % 2 == 1 ? "alice" : "bob";

    protected override async Task SeedAsync()
    {
        for (var table = 1; table <= MainCommits; table++)
        {
            await Database.ExecuteAsync($"CREATE TABLE public.t{table} (id integer)");
            await Database.ExecuteAsync("SELECT pggit_v0.commit(@message, @author)", new { message = $"Add t{table}", author = AuthorOf(table) });
        }
        await Database.ExecuteAsync("SELECT pggit_v0.create_branch('dev')");
        await Database.ExecuteAsync("""
            SELECT pggit_v0.commit_changes('dev', '{"public/tables/d1.sql": "CREATE TABLE public.d1 (id integer);"}'::jsonb, 'Add d1 on dev', 'carol <carol@example.com>')
            """);
        await Database.ExecuteAsync("SELECT pggit_v0.create_branch('feature/a')");
        await Database.ExecuteAsync("SELECT pggit_v0.create_branch('feature/b')");
    }
}
