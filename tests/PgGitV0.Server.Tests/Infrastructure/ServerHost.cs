using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Hosting;
using PgGitV0.Server.Security;
using PgGitV0.Testing;

namespace PgGitV0.Server.Tests.Infrastructure;

/// <summary>
/// The real server (Kestrel, every interceptor and service) on a free loopback port against a test
/// database, with one API key per role: reader "ana-reader", writer "wes-writer", admin "ada-admin".
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    public const string ReaderName = "ana-reader";
    public const string WriterName = "wes-writer";
    public const string AdminName = "ada-admin";

    private readonly bool _ownsDatabase;

    private ServerHost(TestDatabase database, bool ownsDatabase, WebApplication app, string address)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        App = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public TestDatabase Database { get; }
    public WebApplication App { get; }
    public string Address { get; }
    public GrpcChannel Channel { get; }
    public string ReaderKey { get; private set; } = "";
    public string WriterKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";

    /// <param name="settings">server settings on top of the test defaults</param>
    /// <param name="database">a database to use (not dropped on dispose); null = a fresh one</param>
    /// <param name="waitUntilReady">wait until the SQL layer is installed and keys exist</param>
    public static async Task<ServerHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TestDatabase? database = null,
        bool waitUntilReady = true)
    {
        var db = database ?? await TestDatabase.CreateAsync();
        var all = new Dictionary<string, string?>
        {
            ["PGGIT_CONNECTION"] = db.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["PGGIT_ACTIVITY_POLL_MS"] = "500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:PgGitV0.Server.Streaming.ActivityHub"] = "Error",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;

        var app = await PgGitServer.BuildAsync([], all);
        await app.StartAsync();
        var host = new ServerHost(db, database is null, app, app.Urls.First());
        if (waitUntilReady)
        {
            await app.Services.GetRequiredService<SqlLayerInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
            var keys = app.Services.GetRequiredService<ApiKeyStore>();
            host.ReaderKey = await keys.AddAsync(ReaderName, ApiRole.Reader, CancellationToken.None);
            host.WriterKey = await keys.AddAsync(WriterName, ApiRole.Writer, CancellationToken.None);
            host.AdminKey = await keys.AddAsync(AdminName, ApiRole.Admin, CancellationToken.None);
        }
        return host;
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A call invoker that sends <paramref name="apiKey"/> (null = no authorization header).</summary>
    public CallInvoker Invoker(string? apiKey) => Authorized(Channel, apiKey);

    /// <summary>A call invoker on <paramref name="channel"/> that sends <paramref name="apiKey"/> (null = none).</summary>
    public static CallInvoker Authorized(GrpcChannel channel, string? apiKey)
        => apiKey is null
            ? channel.CreateCallInvoker()
            : channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {apiKey}");
                return metadata;
            });

    public HistoryService.HistoryServiceClient History(string? apiKey) => new(Invoker(apiKey));
    public BranchService.BranchServiceClient Branches(string? apiKey) => new(Invoker(apiKey));
    public AnalyticsService.AnalyticsServiceClient Analytics(string? apiKey) => new(Invoker(apiKey));
    public MonitoringService.MonitoringServiceClient Monitoring(string? apiKey) => new(Invoker(apiKey));

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
    }
}
