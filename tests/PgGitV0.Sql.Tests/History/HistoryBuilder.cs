using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.History;

/// <summary>
/// Builds random histories with the plumbing: commits with one or two parents over a small set of
/// paths, with fixed times so ids are reproducible for a given seed.
/// </summary>
public sealed class HistoryBuilder(NpgsqlConnection db, int seed)
{
    private readonly Random _random = new(seed);
    private int _counter;

    public List<string> Commits { get; } = [];

    public async Task<string> CommitAsync(string? parent, string? secondParent, Dictionary<string, string?> changes, string author = "Tester <t@example.com>")
    {
        _counter++;
        var baseTree = parent is null ? null : await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @parent", new { parent });
        var tree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(@baseTree, @changes::jsonb)",
            new { baseTree, changes = System.Text.Json.JsonSerializer.Serialize(changes) });
        var parents = new[] { parent, secondParent }.Where(p => p is not null).ToArray();
        var sha = await db.ScalarAsync<string>(
            "SELECT pggit_v0.commit_tree(@tree, @parents, @message, @author, NULL, @at, @at)",
            new { tree, parents, message = $"commit {_counter}", author, at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(_counter) });
        Commits.Add(sha);
        return sha;
    }

    public Dictionary<string, string?> RandomChanges(int objects, int count)
    {
        var changes = new Dictionary<string, string?>();
        for (var i = 0; i < count; i++)
        {
            var n = _random.Next(objects);
            changes[$"public/views/v{n}.sql"] = _random.Next(6) == 0 && _counter > 2 ? null : $"CREATE VIEW public.v{n} AS SELECT {_random.Next(1000)} AS x{_counter};";
        }
        if (changes.Values.All(v => v is null)) changes["public/schema.sql"] = $"CREATE SCHEMA IF NOT EXISTS public; -- {_counter}";
        return changes;
    }

    /// <summary>A DAG: a main line with branches forking off and merging back (merge commits have two parents).</summary>
    public async Task<Dictionary<string, string>> BuildBranchyHistoryAsync(int steps, int branches)
    {
        var tips = new Dictionary<string, string> { ["main"] = await CommitAsync(null, null, new() { ["public/schema.sql"] = "CREATE SCHEMA IF NOT EXISTS public;" }) };
        for (var b = 0; b < branches; b++) tips[$"b{b}"] = tips["main"];
        for (var i = 0; i < steps; i++)
        {
            var names = tips.Keys.ToList();
            var name = names[_random.Next(names.Count)];
            if (name != "main" && _random.Next(5) == 0)
            {
                var other = names[_random.Next(names.Count)];
                if (other != name && tips[other] != tips[name])
                {
                    tips[name] = await CommitAsync(tips[name], tips[other], RandomChanges(12, 1));
                    continue;
                }
            }
            tips[name] = await CommitAsync(tips[name], null, RandomChanges(12, 1 + _random.Next(3)));
        }
        foreach (var (name, tip) in tips)
            await db.ExecuteAsync("INSERT INTO pggit_v0.refs (name, type, target_sha, created_by) VALUES (@name, 'branch', @tip, 'test') ON CONFLICT (name) DO UPDATE SET target_sha = EXCLUDED.target_sha", new { name, tip });
        return tips;
    }
}
