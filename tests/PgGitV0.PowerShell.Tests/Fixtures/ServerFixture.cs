using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PgGitV0.Server.Cli;
using PgGitV0.Server.Hosting;
using PgGitV0.Testing;

namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// The real server, in this process, on a loopback port of its own, over a fresh test database. It
/// counts the gRPC requests it receives per method, so tests can prove what the module did not ask for.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly bool _requireApiKeys;
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private WebApplication? _app;

    public ServerFixture() : this(requireApiKeys: false)
    {
    }

    protected ServerFixture(bool requireApiKeys) => _requireApiKeys = requireApiKeys;

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>http://127.0.0.1:port</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>How many calls of a method ("HistoryService/ListCommits") the server has received.</summary>
    public int Requests(string serviceAndMethod) => _requests.GetValueOrDefault("/pggit.v0." + serviceAndMethod);

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        _app = await PgGitServer.BuildAsync(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["PGGIT_CONNECTION"] = Database.ConnectionString,
            ["PGGIT_AUTH"] = _requireApiKeys ? "apikey" : "none",
            ["PGGIT_ACTIVITY_POLL_MS"] = "200",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        _app.Use(async (context, next) =>
        {
            _requests.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, count) => count + 1);
            await next(context);
        });
        await _app.StartAsync();
        await _app.Services.GetRequiredService<SqlLayerInitializer>().Ready;
        Endpoint = _app.Urls.Single();
        await SeedAsync();
    }

    /// <summary>The history a test class starts from.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>Creates an API key with the server's own "keys add" command and returns it.</summary>
    public async Task<string> AddApiKeyAsync(string name, string role)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("PGGIT_CONNECTION", Database.ConnectionString)]).Build();
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await KeysCommand.RunAsync(["add", "--name", name, "--role", role], configuration, output, error);
        if (exitCode != 0) throw new InvalidOperationException($"keys add failed ({exitCode}): {error}");
        return output.ToString().Trim();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await Database.DisposeAsync();
    }
}

/// <summary>The server with API keys required (PGGIT_AUTH=apikey), as in production.</summary>
public sealed class AuthServerFixture() : ServerFixture(requireApiKeys: true);
