using System.Diagnostics;
using Dapper;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PgGitV0.Api;
using PgGitV0.Benchmarks;
using PgGitV0.Server.Data;
using PgGitV0.Server.Hosting;
using PgGitV0.Server.Security;
using PgGitV0.Testing;

namespace PgGitV0.Server.Benchmarks;

/// <summary>
/// Issue 3's server targets on loopback against a 10,000-commit history: GetCommit and the first
/// page of ListCommits (median under 2 ms, p99 under 10 ms), throughput with 16 concurrent clients
/// (goal over 2,000 requests/s with client and PostgreSQL on the same 2 cores), the ratio to a
/// bare SELECT 1 through the same stack (grpc.health.v1 Check, whose check runs SELECT 1 on a
/// pooled connection), and commit → subscriber event latency (median under 50 ms). The same
/// calls straight through Npgsql show how much of the time is the SQL layer.
/// </summary>
public sealed class ServerBenchmark : IBenchmarkSuite
{
    public string Name => "server";
    public string Description => "gRPC reads on a 10,000-commit history, 16-client throughput, SELECT 1 ratio, event latency";

    public async Task RunAsync(BenchmarkOptions options)
    {
        var commits = options.Int("commits", 10_000);
        var requests = options.Int("requests", 3000);
        var seconds = options.Int("seconds", 5);
        var clients = options.Int("clients", 16);
        var events = options.Int("events", 300);

        await using var database = await TestDatabase.CreateAsync();
        var generation = Stopwatch.StartNew();
        await GenerateHistoryAsync(database, commits);
        Report.Line($"history: {commits} commits on main over 400 objects, generated with write_tree/commit_tree/update_ref in {generation.Elapsed.TotalSeconds:F1} s");
        var shas = (await database.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.commit_graph")).ToArray();

        await using var app = await PgGitServer.BuildAsync([], new Dictionary<string, string?>
        {
            ["PGGIT_CONNECTION"] = database.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        await app.Services.GetRequiredService<SqlLayerInitializer>().Ready;
        var key = await app.Services.GetRequiredService<ApiKeyStore>().AddAsync("bench", ApiRole.Reader, CancellationToken.None);
        var address = app.Urls.First();

        using var channel = GrpcChannel.ForAddress(address);
        var history = new HistoryService.HistoryServiceClient(Authorized(channel, key));
        var health = new Health.HealthClient(channel);
        // The data layer the services use, without gRPC in front: the SQL part of each call.
        var sql = app.Services.GetRequiredService<PgGitDatabase>();
        var benchIdentity = new CallIdentity("bench", ApiRole.Reader);
        var random = new Random(42);

        Func<Task> getCommit = () => history.GetCommitAsync(new GetCommitRequest { Ref = shas[random.Next(shas.Length)] }).ResponseAsync;
        Func<Task> firstPage = () => history.ListCommitsAsync(new ListCommitsRequest { Branch = "main" }).ResponseAsync;
        Func<Task> selectOne = () => health.CheckAsync(new HealthCheckRequest()).ResponseAsync;

        Report.Line("");
        Report.Line($"Sequential latency, {requests} calls each after 500 warm-up calls (one client, loopback):");
        Report.Line("");
        Report.Line("| call | median | p90 | p99 | target |");
        Report.Line("|---|---|---|---|---|");
        var baseline = await LatencyAsync("grpc.health.v1 Check (SELECT 1 through the same stack)", selectOne, requests, null);
        var getCommitLatency = await LatencyAsync("HistoryService.GetCommit (random sha)", getCommit, requests, "median < 2 ms, p99 < 10 ms");
        var firstPageLatency = await LatencyAsync("HistoryService.ListCommits, first page (50 commits)", firstPage, requests, "median < 2 ms, p99 < 10 ms");
        await LatencyAsync("data layer only: SELECT 1", () => sql.QueryAsync<int>(benchIdentity, "SELECT 1", null, CancellationToken.None), requests, null);
        await LatencyAsync("data layer only: get_commit (GetCommit's SQL)",
            () => sql.QueryAsync<CommitRow>(benchIdentity, "SELECT * FROM pggit_v0.get_commit(@r)", new { r = shas[random.Next(shas.Length)] }, CancellationToken.None), requests, null);
        await LatencyAsync("data layer only: list_commits (ListCommits' SQL)",
            () => sql.QueryAsync<CommitRow>(benchIdentity, "SELECT * FROM pggit_v0.list_commits('main', NULL, 51, NULL, NULL)", null, CancellationToken.None), requests, null);
        Report.Line("");
        Report.Line($"Ratio to the SELECT 1 round trip (median): GetCommit {getCommitLatency.Median / baseline.Median:F2}x, ListCommits first page {firstPageLatency.Median / baseline.Median:F2}x");

        Report.Line("");
        Report.Line($"Throughput, {clients} concurrent clients (one HTTP/2 connection each) for {seconds} s:");
        Report.Line("");
        Report.Line("| call | requests/s | median | p99 |");
        Report.Line("|---|---|---|---|");
        await ThroughputAsync("grpc.health.v1 Check (SELECT 1)", address, key, clients, seconds, (h, _, _) => h.CheckAsync(new HealthCheckRequest()).ResponseAsync);
        await ThroughputAsync("HistoryService.GetCommit", address, key, clients, seconds,
            (_, c, r) => c.GetCommitAsync(new GetCommitRequest { Ref = shas[r.Next(shas.Length)] }).ResponseAsync);
        await ThroughputAsync("HistoryService.ListCommits, first page", address, key, clients, seconds,
            (_, c, _) => c.ListCommitsAsync(new ListCommitsRequest { Branch = "main" }).ResponseAsync);

        await EventLatencyAsync(database, new MonitoringService.MonitoringServiceClient(Authorized(channel, key)), events);
        await app.StopAsync();
    }

    private static CallInvoker Authorized(GrpcChannel channel, string key)
        => channel.CreateCallInvoker().Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {key}");
            return metadata;
        });

    /// <summary>
    /// A root commit of 200 tables and 200 views, then one view changed per commit, all on main. Written
    /// in chunks of 1,000 commits, each its own transaction followed by ANALYZE, so that the plans the
    /// plumbing caches keep using the indexes as the tables grow.
    /// </summary>
    private static async Task GenerateHistoryAsync(TestDatabase database, int commits)
    {
        const int chunk = 1000;
        for (var first = 1; first < commits; first += chunk)
        {
            var last = Math.Min(first + chunk, commits) - 1;
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync($$"""
                DO $$
                DECLARE
                    v_old text := (SELECT target_sha FROM pggit_v0.refs WHERE name = 'main');
                    v_parent text := v_old;
                    v_tree text := (SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = v_old);
                BEGIN
                    IF v_parent IS NULL THEN
                        v_tree := pggit_v0.write_tree(NULL, (
                            SELECT jsonb_object_agg(format('public/tables/t%s.sql', i), format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, v integer);', i))
                                || jsonb_object_agg(format('public/views/v%s.sql', i), format('CREATE VIEW public.v%s AS SELECT 0 AS n;', i))
                            FROM generate_series(1, 200) AS i));
                        v_parent := pggit_v0.commit_tree(v_tree, '{}', 'initial', 'bench <bench@example.com>', NULL, NULL, timestamptz '2025-01-01');
                    END IF;
                    FOR i IN {{first}}..{{last}} LOOP
                        v_tree := pggit_v0.write_tree(v_tree, jsonb_build_object(format('public/views/v%s.sql', i % 200 + 1),
                            format('CREATE VIEW public.v%s AS SELECT %s AS n;', i % 200 + 1, i)));
                        v_parent := pggit_v0.commit_tree(v_tree, ARRAY[v_parent], 'change ' || i,
                            (ARRAY['alice <alice@example.com>', 'bob <bob@example.com>', 'carol <carol@example.com>'])[i % 3 + 1],
                            NULL, NULL, timestamptz '2025-01-01' + i * interval '1 minute');
                    END LOOP;
                    PERFORM pggit_v0.update_ref('main', v_parent, v_old);
                END
                $$;
                """, commandTimeout: 0);
            await connection.ExecuteAsync("VACUUM ANALYZE");
        }
    }

    private static async Task<Samples> LatencyAsync(string name, Func<Task> call, int requests, string? target)
    {
        for (var i = 0; i < 500; i++) await call();
        var samples = new Samples();
        for (var i = 0; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        Report.Line($"| {name} | {samples.Median:F3} ms | {samples.Percentile(90):F3} ms | {samples.Percentile(99):F3} ms | {target ?? ""} |");
        return samples;
    }

    private static async Task ThroughputAsync(string name, string address, string key, int clients, int seconds,
        Func<Health.HealthClient, HistoryService.HistoryServiceClient, Random, Task> call)
    {
        var channels = Enumerable.Range(0, clients).Select(_ => GrpcChannel.ForAddress(address)).ToList();
        try
        {
            var perClient = channels.Select((c, i) => (Health: new Health.HealthClient(c), History: new HistoryService.HistoryServiceClient(Authorized(c, key)), Random: new Random(i))).ToList();
            foreach (var client in perClient)
                for (var i = 0; i < 50; i++) await call(client.Health, client.History, client.Random);

            var all = new Samples();
            var stopAt = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            var workers = perClient.Select(client => Task.Run(async () =>
            {
                var local = new List<double>();
                while (stopAt.Elapsed < duration)
                {
                    var watch = Stopwatch.StartNew();
                    await call(client.Health, client.History, client.Random);
                    local.Add(watch.Elapsed.TotalMilliseconds);
                }
                return local;
            })).ToList();
            foreach (var local in await Task.WhenAll(workers))
                foreach (var sample in local) all.Add(sample);
            var elapsed = stopAt.Elapsed.TotalSeconds;
            Report.Line($"| {name} | {all.Count / elapsed:F0} | {all.Median:F2} ms | {all.Percentile(99):F2} ms |");
        }
        finally
        {
            foreach (var c in channels) c.Dispose();
        }
    }

    private static async Task EventLatencyAsync(TestDatabase database, MonitoringService.MonitoringServiceClient monitoring, int events)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("SELECT pggit_v0.create_branch('events')");
        var start = await connection.ExecuteScalarAsync<long>("SELECT max(id) FROM pggit_v0.activity");
        using var cancel = new CancellationTokenSource();
        using var call = monitoring.StreamActivity(new StreamActivityRequest { AfterId = start, Kinds = { "commit" } }, cancellationToken: cancel.Token);
        var stream = call.ResponseStream;

        var fromCommitted = new Samples();
        var fromCall = new Samples();
        for (var i = 0; i < events; i++)
        {
            var watch = Stopwatch.StartNew();
            await connection.ExecuteScalarAsync<string>("SELECT pggit_v0.commit_changes('events', jsonb_build_object('public/views/e.sql', @ddl), 'event', 'bench')",
                new { ddl = $"CREATE VIEW public.e AS SELECT {i} AS n;" });
            var committed = watch.Elapsed.TotalMilliseconds;
            if (!await stream.MoveNext(cancel.Token)) throw new InvalidOperationException("the activity stream ended");
            var received = watch.Elapsed.TotalMilliseconds;
            if (i < 20) continue; // warm-up
            fromCommitted.Add(received - committed);
            fromCall.Add(received);
        }
        await cancel.CancelAsync();

        Report.Line("");
        Report.Line($"Commit → subscriber event latency, {events - 20} commits (commit_changes on a side branch, one subscriber streaming):");
        Report.Line("");
        Report.Line("| measured from | median | p90 | p99 | target |");
        Report.Line("|---|---|---|---|---|");
        Report.Line($"| COMMIT acknowledged to the writer | {fromCommitted.Median:F2} ms | {fromCommitted.Percentile(90):F2} ms | {fromCommitted.Percentile(99):F2} ms | median < 50 ms |");
        Report.Line($"| start of the commit_changes call | {fromCall.Median:F2} ms | {fromCall.Percentile(90):F2} ms | {fromCall.Percentile(99):F2} ms | |");
    }
}
