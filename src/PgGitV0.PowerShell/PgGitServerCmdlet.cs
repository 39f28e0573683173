using System.Management.Automation;
using System.Security;
using Grpc.Core;

namespace PgGitV0.PowerShell;

/// <summary>
/// A cmdlet that talks to the server: the session's connection (Connect-PgGit) unless -Endpoint or
/// -ApiKey override it for this command, and gRPC failures reported as ErrorRecords. Derived cmdlets
/// implement <see cref="ProcessPgGitRecord"/> and stay thin.
/// </summary>
public abstract class PgGitServerCmdlet : PgGitCmdlet
{
    private PgGitConnection? _connection;
    private PgGitConnection? _ownConnection;

    /// <summary>
    /// The server to use for this command instead of the session's connection, as http://host:port
    /// (plain-text HTTP/2) or https://host:port. Without it the command uses the connection Connect-PgGit
    /// made, or else the PGGIT_ENDPOINT environment variable.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    /// <summary>
    /// The API key to send for this command instead of the session's. Without it the command sends the
    /// session's key, or with -Endpoint the PGGIT_API_KEY environment variable.
    /// </summary>
    [Parameter]
    public SecureString? ApiKey { get; set; }

    /// <summary>The connection this command uses.</summary>
    protected PgGitConnection Connection => _connection ??= ResolveConnection();

    /// <summary>What the command was working on, reported as the ErrorRecord's TargetObject.</summary>
    protected virtual object? ErrorTarget => null;

    /// <summary>The command's work for one input record.</summary>
    protected abstract void ProcessPgGitRecord();

    /// <inheritdoc />
    protected sealed override void ProcessRecord()
    {
        try
        {
            ProcessPgGitRecord();
        }
        catch (RpcException e) when (!StopToken.IsCancellationRequested)
        {
            var record = RpcErrors.ToErrorRecord(e, Connection.Endpoint, ErrorTarget);
            if (RpcErrors.IsTerminating(e.StatusCode)) ThrowTerminatingError(record);
            WriteError(record);
        }
    }

    /// <summary>Makes a unary call with the connection's API key and Ctrl+C cancellation, and waits for it.</summary>
    protected TResponse Call<TResponse>(Func<CallOptions, AsyncUnaryCall<TResponse>> call) =>
        Await(call(Connection.Options(StopToken)).ResponseAsync);

    /// <inheritdoc />
    protected override void DisposeResources() => _ownConnection?.Dispose();

    private PgGitConnection ResolveConnection()
    {
        var apiKey = ApiKey is null ? null : PgGitConnection.Reveal(ApiKey);
        var endpoint = Endpoint;
        var current = PgGitConnection.Current;
        if (endpoint is null && current is not null)
        {
            if (apiKey is null) return current;
            return _ownConnection = current.WithApiKey(apiKey);
        }

        endpoint ??= PgGitConnection.EnvironmentEndpoint;
        if (endpoint is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("Not connected to a pggit server. Run Connect-PgGit -Endpoint http://host:port first, or pass -Endpoint."),
                "PgGitNotConnected", ErrorCategory.ConnectionError, null));
        }

        apiKey ??= PgGitConnection.EnvironmentApiKey;
        try
        {
            return _ownConnection = PgGitConnection.Open(endpoint!, apiKey);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PgGitInvalidEndpoint", ErrorCategory.InvalidArgument, endpoint));
            throw;
        }
    }
}
