using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>
/// A connection to a pggit_v0 gRPC server: the endpoint, the API key sent with every call, and the
/// HTTP/2 channel. <c>Connect-PgGit</c> makes one the session's connection; a cmdlet given -Endpoint
/// uses its own for the length of the command.
/// </summary>
public sealed class PgGitConnection : IDisposable
{
    /// <summary>The endpoint used when neither -Endpoint nor PGGIT_ENDPOINT says otherwise (DESIGN.md section 5).</summary>
    public const string DefaultEndpoint = "http://127.0.0.1:50051";

    private static readonly ConditionalWeakTable<Runspace, PgGitConnection> Sessions = new();

    private readonly string? _apiKey;
    private readonly GrpcChannel _channel;

    private PgGitConnection(Uri endpoint, string? apiKey)
    {
        Endpoint = endpoint;
        _apiKey = apiKey;
        ConnectedAt = DateTime.UtcNow;
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            DisposeHttpClient = true,
        });
        History = new HistoryService.HistoryServiceClient(_channel);
        Branches = new BranchService.BranchServiceClient(_channel);
        Monitoring = new MonitoringService.MonitoringServiceClient(_channel);
        Analytics = new AnalyticsService.AnalyticsServiceClient(_channel);
        Merging = new MergeService.MergeServiceClient(_channel);
    }

    /// <summary>The server's address, e.g. http://127.0.0.1:50051.</summary>
    public Uri Endpoint { get; }

    /// <summary>True when an API key is sent with every call.</summary>
    public bool Authenticated => _apiKey is not null;

    /// <summary>When the connection was opened (UTC).</summary>
    public DateTime ConnectedAt { get; }

    internal HistoryService.HistoryServiceClient History { get; }
    internal BranchService.BranchServiceClient Branches { get; }
    internal MonitoringService.MonitoringServiceClient Monitoring { get; }
    internal AnalyticsService.AnalyticsServiceClient Analytics { get; }
    internal MergeService.MergeServiceClient Merging { get; }

    /// <summary>The connection Connect-PgGit made in the current runspace, if any.</summary>
    internal static PgGitConnection? Current =>
        Runspace.DefaultRunspace is { } runspace && Sessions.TryGetValue(runspace, out var connection) ? connection : null;

    /// <summary>PGGIT_ENDPOINT, when set.</summary>
    internal static string? EnvironmentEndpoint => FromEnvironment("PGGIT_ENDPOINT");

    /// <summary>PGGIT_API_KEY, when set.</summary>
    internal static string? EnvironmentApiKey => FromEnvironment("PGGIT_API_KEY");

    internal static string Reveal(SecureString secure) => new NetworkCredential("", secure).Password;

    private static string? FromEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value && value.Trim().Length > 0 ? value.Trim() : null;

    internal static PgGitConnection Open(string endpoint, string? apiKey) => new(ParseEndpoint(endpoint), apiKey);

    /// <summary>Makes this the current runspace's connection, closing the one it replaces.</summary>
    internal void MakeCurrent()
    {
        var runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("no runspace on this thread");
        if (Sessions.TryGetValue(runspace, out var previous))
        {
            if (!ReferenceEquals(previous, this)) previous.Dispose();
        }
        else
        {
            runspace.StateChanged += CloseOnRunspaceClosed;
        }
        Sessions.AddOrUpdate(runspace, this);
    }

    private static void CloseOnRunspaceClosed(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is not Runspace runspace || e.RunspaceStateInfo.State is not (RunspaceState.Closed or RunspaceState.Broken)) return;
        runspace.StateChanged -= CloseOnRunspaceClosed;
        if (Sessions.TryGetValue(runspace, out var connection))
        {
            Sessions.Remove(runspace);
            connection.Dispose();
        }
    }

    /// <summary>Forgets and closes the current runspace's connection; false when there was none.</summary>
    internal static bool CloseCurrent()
    {
        if (Runspace.DefaultRunspace is not { } runspace || !Sessions.TryGetValue(runspace, out var connection)) return false;
        Sessions.Remove(runspace);
        connection.Dispose();
        return true;
    }

    /// <summary>Call options carrying the API key and the cancellation of the command.</summary>
    internal CallOptions Options(CancellationToken cancellationToken)
    {
        var headers = _apiKey is null ? null : new Metadata { { "authorization", "Bearer " + _apiKey } };
        return new CallOptions(headers, cancellationToken: cancellationToken);
    }

    /// <summary>The same endpoint with another API key (a cmdlet's -ApiKey over the session's connection).</summary>
    internal PgGitConnection WithApiKey(string? apiKey) => new(Endpoint, apiKey);

    /// <summary>Accepts http(s)://host:port, or host:port meaning plain-text HTTP/2 (h2c).</summary>
    internal static Uri ParseEndpoint(string endpoint)
    {
        var text = endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{endpoint}' is not a pggit endpoint; use http://host:port (h2c) or https://host:port.");
        return uri;
    }

    /// <inheritdoc />
    public override string ToString() => Endpoint.ToString();

    /// <summary>Closes the channel.</summary>
    public void Dispose() => _channel.Dispose();
}
