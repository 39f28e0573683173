using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

public sealed class ConcurrencyTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.ExecuteAsync("CREATE TABLE public.t (id int); SELECT pggit_v0.commit('base'); SELECT pggit_v0.create_branch('dev');");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<string>> ReachableFromAsync(NpgsqlConnection db, string tip)
        => (await db.QueryAsync<string>("""
            WITH RECURSIVE walk AS (
                SELECT commit_sha, parent_shas FROM pggit_v0.commit_graph WHERE commit_sha = @tip
                UNION
                SELECT g.commit_sha, g.parent_shas FROM walk w JOIN pggit_v0.commit_graph g ON g.commit_sha = ANY (w.parent_shas))
            SELECT commit_sha FROM walk
            """, new { tip })).AsList();

    [Fact]
    public async Task Eight_parallel_writers_on_one_branch_lose_no_commit_and_ref_log_has_one_row_per_move()
    {
        const int writers = 8, commitsEach = 6;
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var made = new List<string>();
            await using var db = await _db.OpenAsync();
            for (var i = 0; i < commitsEach; i++)
            {
                var changes = $$"""{"public/views/w{{w}}_{{i}}.sql": "CREATE VIEW public.w{{w}}_{{i}} AS SELECT {{i}};"}""";
                made.Add(await db.ScalarAsync<string>(
                    "SELECT pggit_v0.commit_changes('dev', @changes::jsonb, @message, @author)",
                    new { changes, message = $"writer {w} commit {i}", author = $"writer{w}" }));
            }
            return made;
        })));

        await using var check = await _db.OpenAsync();
        var tip = await check.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('dev')");
        var reachable = await ReachableFromAsync(check, tip);
        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(writers * commitsEach, all.Distinct().Count());
        Assert.All(all, sha => Assert.Contains(sha, reachable));
        Assert.Equal(writers * commitsEach, (await check.QueryAsync<string>(
            "SELECT path FROM pggit_v0.ls_tree('dev') WHERE path LIKE 'public/views/w%'")).Count());
        // One ref_log row per move: the creation plus one per commit, chained old -> new.
        var log = (await check.QueryAsync<(string? Old, string New)>(
            "SELECT old_sha, new_sha FROM pggit_v0.ref_log WHERE ref_name = 'dev' ORDER BY id")).AsList();
        Assert.Equal(1 + writers * commitsEach, log.Count);
        for (var i = 1; i < log.Count; i++) Assert.Equal(log[i - 1].New, log[i].Old);
        Assert.Equal(tip, log[^1].New);
    }

    [Fact]
    public async Task Under_repeatable_read_a_writer_that_lost_the_race_gets_40001_and_nothing_is_lost()
    {
        await using var slow = await _db.OpenAsync();
        await using var fast = await _db.OpenAsync();
        await slow.ExecuteAsync("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT pggit_v0.resolve_ref('dev');");
        var winner = await fast.ScalarAsync<string>("""
            SELECT pggit_v0.commit_changes('dev', '{"public/views/fast.sql": "CREATE VIEW public.fast AS SELECT 1;"}', 'fast')
            """);
        await SqlAssert.ThrowsSqlStateAsync("40001", () => slow.ExecuteAsync("""
            SELECT pggit_v0.commit_changes('dev', '{"public/views/slow.sql": "CREATE VIEW public.slow AS SELECT 1;"}', 'slow')
            """));
        await slow.ExecuteAsync("ROLLBACK");
        Assert.Equal(winner, await fast.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('dev')"));
    }

    [Fact]
    public async Task A_writer_waits_for_one_in_flight_on_the_same_branch_and_commits_on_top_of_it()
    {
        await using var first = await _db.OpenAsync();
        await using var second = await _db.OpenAsync();
        await first.ExecuteAsync("""
            BEGIN; SELECT pggit_v0.commit_changes('dev', '{"public/views/same.sql": "CREATE VIEW public.same AS SELECT 1;"}', 'first');
            """);
        var waiting = second.ScalarAsync<string>("""
            SELECT pggit_v0.commit_changes('dev', '{"public/views/same.sql": "CREATE VIEW public.same AS SELECT 2;"}', 'second')
            """);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "the second writer should wait on the branch");
        await first.ExecuteAsync("COMMIT");
        var secondSha = await waiting;

        var parent = await first.ScalarAsync<string[]>("SELECT parent_shas FROM pggit_v0.commit_graph WHERE commit_sha = @secondSha", new { secondSha });
        Assert.Equal("first", await first.ScalarAsync<string>("SELECT message FROM pggit_v0.commit_graph WHERE commit_sha = @p", new { p = parent[0] }));
        Assert.Equal(secondSha, await first.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('dev')"));
    }
}
