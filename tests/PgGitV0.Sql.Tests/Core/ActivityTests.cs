using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

public sealed class ActivityTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.ExecuteAsync("CREATE TABLE public.t (id int); SELECT pggit_v0.commit('base'); SELECT pggit_v0.create_branch('a'); SELECT pggit_v0.create_branch('b');");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Ids_are_assigned_in_commit_order_so_a_reader_remembering_the_last_id_never_skips_an_event()
    {
        await using var early = await _db.OpenAsync();
        await using var late = await _db.OpenAsync();
        await using var reader = await _db.OpenAsync();

        // The early transaction writes first but commits last.
        await early.ExecuteAsync("""
            BEGIN; SELECT pggit_v0.commit_changes('a', '{"public/views/ea.sql": "CREATE VIEW public.ea AS SELECT 1;"}', 'early');
            """);
        await late.ExecuteAsync("""
            SELECT pggit_v0.commit_changes('b', '{"public/views/la.sql": "CREATE VIEW public.la AS SELECT 1;"}', 'late');
            """);
        var seen = (await reader.QueryAsync<(long Id, string Message)>(
            "SELECT id, details ->> 'message' FROM pggit_v0.activity WHERE id > 0 ORDER BY id")).AsList();
        Assert.Equal("late", seen[^1].Message);
        var lastSeen = seen[^1].Id;

        await early.ExecuteAsync("COMMIT");
        var next = (await reader.QueryAsync<(long Id, string Message)>(
            "SELECT id, details ->> 'message' FROM pggit_v0.activity WHERE id > @lastSeen ORDER BY id", new { lastSeen })).AsList();
        Assert.Equal("early", Assert.Single(next).Message);
        Assert.Equal(0, await reader.ExecuteScalarAsync<int>("SELECT count(*) FROM pggit_v0.activity WHERE id < 0"));
    }

    [Fact]
    public async Task Every_ref_move_sends_a_notification_carrying_the_activity_id()
    {
        await using var listener = await _db.OpenAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) => { lock (payloads) payloads.Add(e.Payload); };
        await listener.ExecuteAsync("LISTEN pggit_v0_activity");

        await using var writer = await _db.OpenAsync();
        await writer.ExecuteAsync("""
            SELECT pggit_v0.commit_changes('a', '{"public/views/n1.sql": "CREATE VIEW public.n1 AS SELECT 1;"}', 'notify me');
            """);
        var id = await writer.ExecuteScalarAsync<long>("SELECT max(id) FROM pggit_v0.activity");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            await listener.WaitAsync(TimeSpan.FromMilliseconds(200));
            lock (payloads) if (payloads.Any(p => p.Contains($"\"id\" : {id}"))) break;
        }
        lock (payloads)
        {
            var payload = Assert.Single(payloads, p => p.Contains($"\"id\" : {id}"));
            Assert.Contains("\"kind\" : \"commit\"", payload);
            Assert.Contains("\"ref_name\" : \"a\"", payload);
        }
    }

    [Fact]
    public async Task Operation_metrics_record_the_duration_of_public_calls()
    {
        await using var db = await _db.OpenAsync();
        var before = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM pggit_v0.operation_metrics WHERE operation = 'ls_tree'");
        await db.ExecuteAsync("SELECT * FROM pggit_v0.ls_tree('main')");
        var after = await db.QueryAsync<double>("SELECT duration_ms FROM pggit_v0.operation_metrics WHERE operation = 'ls_tree'");
        Assert.Equal(before + 1, after.Count());
        Assert.All(after, d => Assert.True(d >= 0));
    }
}
