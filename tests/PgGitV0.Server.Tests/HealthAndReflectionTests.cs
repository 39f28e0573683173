using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Npgsql;
using PgGitV0.Api;
using PgGitV0.Server.Hosting;
using PgGitV0.Server.Tests.Infrastructure;
using PgGitV0.Testing;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace PgGitV0.Server.Tests;

public sealed class HealthAndReflectionTests
{
    private static async Task WaitForStatusAsync(Health.HealthClient health, ServingStatus expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        ServingStatus status;
        do
        {
            status = (await health.CheckAsync(new HealthCheckRequest())).Status;
            if (status == expected) return;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Health_is_not_serving_while_the_database_is_unreachable_and_the_server_recovers()
    {
        await using var database = await TestDatabase.CreateAsync();
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(target.Host!, target.Port, startDown: true);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var host = await ServerHost.StartAsync(
            new Dictionary<string, string?> { ["PGGIT_CONNECTION"] = viaProxy, ["PGGIT_AUTH"] = "none" }, database, waitUntilReady: false);
        var health = new Health.HealthClient(host.Channel);
        var history = host.History(null);

        // Unreachable from the start: the SQL layer cannot be installed.
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var (_, notReady) = await RpcAssert.FailsAsync(StatusCode.Unavailable, () => history.GetCommitAsync(new GetCommitRequest()).ResponseAsync);
        Assert.Equal("NOT_READY", notReady.Reason);

        proxy.Restore();
        await host.Service<SqlLayerInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForStatusAsync(health, ServingStatus.Serving);
        await History.StartAsync(database);
        await using var subscriber = Subscriber.Open(host.Monitoring(null), new StreamActivityRequest { AfterId = 0 });
        var stored = await database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.activity");
        await subscriber.TakeAsync((int)stored);

        // Lost while serving.
        proxy.Cut();
        await WaitForStatusAsync(health, ServingStatus.NotServing);
        var (_, unavailable) = await RpcAssert.FailsAsync(StatusCode.Unavailable, () => history.GetCommitAsync(new GetCommitRequest()).ResponseAsync);
        Assert.Equal("DATABASE_UNAVAILABLE", unavailable.Reason);
        await database.ExecuteAsync("INSERT INTO pggit_v0.activity (kind, actor) VALUES ('during-outage', 'tester')");

        proxy.Restore();
        await WaitForStatusAsync(health, ServingStatus.Serving);
        Assert.Equal("initial schema", (await history.GetCommitAsync(new GetCommitRequest())).Message);
        // The live stream opened before the outage goes on, without a gap.
        Assert.Equal("during-outage", Assert.Single(await subscriber.TakeAsync(1, timeoutSeconds: 20)).Kind);
    }

    [Fact]
    public async Task Reflection_lists_the_services_without_a_key()
    {
        await using var host = await ServerHost.StartAsync();
        var reflection = new ServerReflection.ServerReflectionClient(host.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("pggit.v0.HistoryService", services);
        Assert.Contains("pggit.v0.BranchService", services);
        Assert.Contains("pggit.v0.MergeService", services);
        Assert.Contains("pggit.v0.MonitoringService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
