using System.Text.Json;
using PgGitV0.Testing;

namespace PgGitV0.Server.Tests.Infrastructure;

/// <summary>Builds histories in a test database with the SQL layer's own functions.</summary>
public static class History
{
    /// <summary>
    /// The first commit on the checked-out branch (main) from DDL run in the live database, then
    /// branch <paramref name="branch"/> created from it. Returns main's first commit.
    /// </summary>
    public static async Task<string> StartAsync(TestDatabase database, string branch = "feature", string author = "alice <alice@example.com>")
    {
        await database.ExecuteAsync("""
            CREATE TABLE public.orders (id bigint PRIMARY KEY, total numeric NOT NULL);
            CREATE VIEW public.big_orders AS SELECT id FROM public.orders WHERE total > 100;
            CREATE FUNCTION public.calc(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a + 1';
            """);
        var root = await database.ScalarAsync<string>("SELECT pggit_v0.commit('initial schema', @author)", new { author });
        await database.ExecuteAsync("SELECT pggit_v0.create_branch(@branch)", new { branch });
        return root;
    }

    /// <summary>Commits {path: ddl} to a branch that is not checked out; returns the new commit.</summary>
    public static Task<string> CommitAsync(TestDatabase database, string branch, IReadOnlyDictionary<string, string?> changes, string message, string author)
        => database.ScalarAsync<string>("SELECT pggit_v0.commit_changes(@branch, @changes::jsonb, @message, @author)",
            new { branch, changes = JsonSerializer.Serialize(changes), message, author });

    /// <summary>Adds one view per commit to a branch; returns the new commits, oldest first.</summary>
    public static async Task<List<string>> AddViewsAsync(TestDatabase database, string branch, int count, string prefix, string author)
    {
        var commits = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = $"{prefix}_{i}";
            commits.Add(await CommitAsync(database, branch,
                new Dictionary<string, string?> { [$"public/views/{name}.sql"] = $"CREATE VIEW public.{name} AS SELECT {i} AS n;" },
                $"add view {name}", author));
        }
        return commits;
    }
}
