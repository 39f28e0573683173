using Npgsql;
using PgGitV0.Api;
using PgGitV0.Server.Streaming;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

public sealed class StreamActivityTests
{
    private static async Task<ServerHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var host = await ServerHost.StartAsync(settings);
        await History.StartAsync(host.Database, "feature");
        return host;
    }

    private static Task<long> MaxIdAsync(ServerHost host) => host.Database.ScalarAsync<long>("SELECT coalesce(max(id), 0) FROM pggit_v0.activity");

    /// <summary>Events straight into the activity table, one transaction: what any writer's commit looks like to a reader.</summary>
    private static Task InsertEventsAsync(ServerHost host, int count, string kind = "probe", string refName = "feature", int padding = 0)
        => host.Database.ExecuteAsync("""
            INSERT INTO pggit_v0.activity (kind, ref_name, actor, details)
            SELECT @kind, @refName, 'tester', jsonb_build_object('n', n, 'pad', repeat('x', @padding)) FROM generate_series(1, @count) AS n
            """, new { kind, refName, count, padding });

    private static async Task WaitForSubscribersAsync(ServerHost host, int count)
    {
        var hub = host.Service<ActivityHub>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (hub.SubscriberCount < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(count, hub.SubscriberCount);
    }

    private static void AssertStrictlyIncreasing(IEnumerable<ActivityEvent> events)
    {
        var ids = events.Select(e => e.Id).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Resuming_with_after_id_gets_the_missed_events_then_live_ones_in_order_none_twice()
    {
        await using var host = await StartAsync();
        var monitoring = host.Monitoring(host.ReaderKey);
        var start = await MaxIdAsync(host);

        List<ActivityEvent> first;
        await using (var subscriber = Subscriber.Open(monitoring, new StreamActivityRequest { AfterId = start }))
        {
            var commits = await History.AddViewsAsync(host.Database, "feature", 3, "live", "bob");
            first = await subscriber.TakeAsync(3);
            Assert.Equal(commits, first.Select(e => e.Sha));
            var e0 = first[0];
            Assert.Equal(("commit", "feature", "postgres", "add view live_0"), (e0.Kind, e0.RefName, e0.Actor, e0.Details.Fields["message"].StringValue));
            Assert.True(e0.At.ToDateTime() > DateTime.UtcNow.AddMinutes(-5));
        }

        var missed = await History.AddViewsAsync(host.Database, "feature", 3, "missed", "bob");
        await using var resumed = Subscriber.Open(monitoring, new StreamActivityRequest { AfterId = first[^1].Id });
        var replayed = await resumed.TakeAsync(3);
        Assert.Equal(missed, replayed.Select(e => e.Sha));
        var later = await History.AddViewsAsync(host.Database, "feature", 2, "later", "bob");
        var live = await resumed.TakeAsync(2);
        Assert.Equal(later, live.Select(e => e.Sha));

        var expectedIds = await host.Database.QueryAsync<long>("SELECT id FROM pggit_v0.activity WHERE id > @after ORDER BY id", new { after = first[^1].Id });
        Assert.Equal(expectedIds, replayed.Concat(live).Select(e => e.Id));
        await resumed.ExpectNoMoreAsync();
    }

    [Fact]
    public async Task Without_after_id_only_new_events_come_and_after_id_zero_replays_everything()
    {
        await using var host = await StartAsync();
        var monitoring = host.Monitoring(host.ReaderKey);
        var stored = await host.Database.QueryAsync<long>("SELECT id FROM pggit_v0.activity ORDER BY id");
        Assert.NotEmpty(stored);

        await using var fromNow = Subscriber.Open(monitoring, new StreamActivityRequest());
        await using var everything = Subscriber.Open(monitoring, new StreamActivityRequest { AfterId = 0 });
        Assert.Equal(stored, (await everything.TakeAsync(stored.Count)).Select(e => e.Id));

        // The stream's start is the server's moment, not the client's: write until the first new event arrives.
        ActivityEvent? first = null;
        for (var attempt = 0; first is null && attempt < 50; attempt++)
        {
            await InsertEventsAsync(host, 1, kind: "after-start");
            first = await fromNow.TryTakeAsync(200);
        }
        Assert.NotNull(first);
        Assert.Equal("after-start", first.Kind);
        Assert.True(first.Id > stored[^1]);
    }

    [Fact]
    public async Task Kinds_and_branch_filter_the_stream_in_replay_and_live()
    {
        await using var host = await StartAsync();
        var monitoring = host.Monitoring(host.ReaderKey);
        var start = await MaxIdAsync(host);
        await host.Database.ExecuteAsync("SELECT pggit_v0.create_branch('other')");
        var replayedCommit = (await History.AddViewsAsync(host.Database, "other", 1, "r", "bob"))[0];
        await History.AddViewsAsync(host.Database, "feature", 1, "f", "bob");

        await using var subscriber = Subscriber.Open(monitoring, new StreamActivityRequest { AfterId = start, Kinds = { "commit" }, Branch = "other" });
        Assert.Equal(replayedCommit, Assert.Single(await subscriber.TakeAsync(1)).Sha);

        await History.AddViewsAsync(host.Database, "feature", 1, "f2", "bob");
        await InsertEventsAsync(host, 2, kind: "probe", refName: "other");
        var liveCommit = (await History.AddViewsAsync(host.Database, "other", 1, "l", "bob"))[0];
        var live = Assert.Single(await subscriber.TakeAsync(1));
        Assert.Equal(("commit", "other", liveCommit), (live.Kind, live.RefName, live.Sha));
        await subscriber.ExpectNoMoreAsync();
    }

    [Fact]
    public async Task Terminating_the_listen_backend_loses_no_event_and_the_listener_comes_back()
    {
        // A one-minute poll: within the test's timeouts only a reconnected listener can deliver.
        await using var host = await StartAsync(new Dictionary<string, string?> { ["PGGIT_ACTIVITY_POLL_MS"] = "60000" });
        var hub = host.Service<ActivityHub>();
        var start = await MaxIdAsync(host);
        await using var subscriber = Subscriber.Open(host.Monitoring(host.ReaderKey), new StreamActivityRequest { AfterId = start });
        await WaitForSubscribersAsync(host, 1);
        await InsertEventsAsync(host, 2, kind: "before");
        Assert.All(await subscriber.TakeAsync(2), e => Assert.Equal("before", e.Kind));

        var listener = await host.Database.ScalarAsync<int>(
            "SELECT pid FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()",
            new { name = ActivityHub.ListenerApplicationName });
        Assert.Equal(hub.ListenerProcessId, listener);
        Assert.True(await host.Database.ScalarAsync<bool>("SELECT pg_terminate_backend(@listener)", new { listener }));
        await InsertEventsAsync(host, 3, kind: "while-down");

        var delivered = await subscriber.TakeAsync(3);
        Assert.All(delivered, e => Assert.Equal("while-down", e.Kind));
        Assert.NotNull(hub.ListenerProcessId);
        Assert.NotEqual(listener, hub.ListenerProcessId);

        await InsertEventsAsync(host, 1, kind: "after");
        Assert.Equal("after", Assert.Single(await subscriber.TakeAsync(1)).Kind);
        await subscriber.ExpectNoMoreAsync();
    }

    [Fact]
    public async Task Two_transactions_committing_out_of_order_are_both_delivered()
    {
        await using var host = await StartAsync();
        await host.Database.ExecuteAsync("SELECT pggit_v0.create_branch('first'); SELECT pggit_v0.create_branch('second')");
        var start = await MaxIdAsync(host);
        await using var subscriber = Subscriber.Open(host.Monitoring(host.ReaderKey), new StreamActivityRequest { AfterId = start });

        await using var first = await host.Database.OpenAsync();
        await using var second = await host.Database.OpenAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        // Different content per branch: identical objects would make the second writer wait on the first's row.
        const string commit = "SELECT pggit_v0.commit_changes(@branch, jsonb_build_object('public/views/' || @branch || '.sql', 'CREATE VIEW public.' || @branch || ' AS SELECT 1;'), 'concurrent', 'bob')";
        var firstSha = (string)(await new NpgsqlCommand(commit, first, firstTransaction) { Parameters = { new("branch", "first") } }.ExecuteScalarAsync())!;
        var secondSha = (string)(await new NpgsqlCommand(commit, second, secondTransaction) { Parameters = { new("branch", "second") } }.ExecuteScalarAsync())!;

        await secondTransaction.CommitAsync();
        var early = Assert.Single(await subscriber.TakeAsync(1));
        Assert.Equal(secondSha, early.Sha);
        await firstTransaction.CommitAsync();
        var late = Assert.Single(await subscriber.TakeAsync(1));
        Assert.Equal(firstSha, late.Sha);
        Assert.True(late.Id > early.Id);
        await subscriber.ExpectNoMoreAsync();
    }

    [Fact]
    public async Task Twenty_concurrent_subscribers_all_get_all_events_in_order()
    {
        await using var host = await StartAsync();
        var start = await MaxIdAsync(host);
        var subscribers = Enumerable.Range(0, 20)
            .Select(_ => Subscriber.Open(host.Monitoring(host.ReaderKey), new StreamActivityRequest { AfterId = start }))
            .ToList();
        try
        {
            await WaitForSubscribersAsync(host, 20);
            var writers = Enumerable.Range(0, 5).Select(_ => InsertEventsAsync(host, 10)).ToList();
            writers.Add(History.AddViewsAsync(host.Database, "feature", 5, "c", "bob"));
            await Task.WhenAll(writers);
            var expected = await host.Database.QueryAsync<long>("SELECT id FROM pggit_v0.activity WHERE id > @start ORDER BY id", new { start });
            Assert.Equal(55, expected.Count);

            var received = await Task.WhenAll(subscribers.Select(s => s.TakeAsync(55)));
            Assert.All(received, events => Assert.Equal(expected, events.Select(e => e.Id)));
            await Task.WhenAll(subscribers.Select(s => s.ExpectNoMoreAsync()));
        }
        finally
        {
            foreach (var s in subscribers) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_subscriber_that_does_not_read_stalls_no_one_and_later_gets_everything()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["PGGIT_SUBSCRIBER_BUFFER"] = "8" });
        var start = await MaxIdAsync(host);
        // Separate HTTP/2 connections, so only the slow one's flow control window fills up.
        using var slowChannel = Grpc.Net.Client.GrpcChannel.ForAddress(host.Address);
        var slowClient = new MonitoringService.MonitoringServiceClient(ServerHost.Authorized(slowChannel, host.ReaderKey));
        await using var slow = Subscriber.Open(slowClient, new StreamActivityRequest { AfterId = start }, read: false);
        await using var fast = Subscriber.Open(host.Monitoring(host.ReaderKey), new StreamActivityRequest { AfterId = start });
        await WaitForSubscribersAsync(host, 2);

        await InsertEventsAsync(host, 3000, padding: 300);
        Assert.Equal(3000, (await fast.TakeAsync(3000, timeoutSeconds: 30)).Count);
        await InsertEventsAsync(host, 1, kind: "next");
        Assert.Equal("next", Assert.Single(await fast.TakeAsync(1, timeoutSeconds: 5)).Kind);
        Assert.True(host.Service<ActivityHub>().Overflows > 0);

        slow.StartReading();
        var all = await slow.TakeAsync(3001, timeoutSeconds: 30);
        AssertStrictlyIncreasing(all);
        Assert.Equal(await host.Database.QueryAsync<long>("SELECT id FROM pggit_v0.activity WHERE id > @start ORDER BY id", new { start }), all.Select(e => e.Id));
    }
}
