using System.Management.Automation;
using System.Security;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Connects the session to a pggit_v0 server.</summary>
/// <remarks>
/// <para>Opens an HTTP/2 connection to a pggit_v0 gRPC server, checks that the server answers and accepts
/// the API key, and makes it the session's connection: every other PgGit cmdlet uses it unless given
/// its own -Endpoint. Connecting again replaces the previous connection.</para>
/// <para>Without -Endpoint the PGGIT_ENDPOINT environment variable is used, and without that
/// http://127.0.0.1:50051. Without -ApiKey or -Credential the PGGIT_API_KEY environment variable is
/// used, if set. The API key is sent as "authorization: Bearer key" with every call.</para>
/// </remarks>
/// <example>
/// <code>Connect-PgGit -Endpoint http://127.0.0.1:50051</code>
/// <para>Connects to a server on this machine that runs without API keys (a development setting).</para>
/// </example>
/// <example>
/// <code>
/// $key = Read-Host -AsSecureString -Prompt 'API key'
/// Connect-PgGit -Endpoint http://pggit.example.com:50051 -ApiKey $key
/// </code>
/// <para>Connects with an API key made by "keys add" on the server, typed without echo.</para>
/// </example>
/// <example>
/// <code>Connect-PgGit -Credential (Get-Credential -UserName ci)</code>
/// <para>Connects to PGGIT_ENDPOINT (or the default endpoint), taking the API key from the credential's password.</para>
/// </example>
/// <seealso cref="DisconnectPgGitCommand"/>
/// <seealso cref="GetPgGitBranchCommand"/>
[Cmdlet(VerbsCommunications.Connect, "PgGit", DefaultParameterSetName = ApiKeySet)]
[OutputType(typeof(PgGitConnection))]
public sealed class ConnectPgGitCommand : PgGitCmdlet
{
    private const string ApiKeySet = "ApiKey";
    private const string CredentialSet = "Credential";

    /// <summary>
    /// The server's address: http://host:port for plain-text HTTP/2 (h2c), https://host:port for TLS, or
    /// host:port (plain text).
    /// </summary>
    /// <value>$env:PGGIT_ENDPOINT, else http://127.0.0.1:50051</value>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    /// <summary>The API key the server issued ("keys add"), as a SecureString.</summary>
    /// <value>$env:PGGIT_API_KEY</value>
    [Parameter(ParameterSetName = ApiKeySet)]
    public SecureString? ApiKey { get; set; }

    /// <summary>A credential whose password is the API key; the user name is not sent.</summary>
    [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var endpoint = Endpoint ?? PgGitConnection.EnvironmentEndpoint ?? PgGitConnection.DefaultEndpoint;
        var secureKey = ApiKey ?? Credential?.Password;
        var apiKey = secureKey is null ? PgGitConnection.EnvironmentApiKey : PgGitConnection.Reveal(secureKey);

        PgGitConnection connection;
        try
        {
            connection = PgGitConnection.Open(endpoint, apiKey);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PgGitInvalidEndpoint", ErrorCategory.InvalidArgument, endpoint));
            return;
        }

        try
        {
            WriteVerbose($"Checking that {connection.Endpoint} answers and accepts the API key");
            // A one-branch listing proves the server answers and that the key may read.
            Await(connection.Branches.ListBranchesAsync(new ListBranchesRequest { PageSize = 1 }, connection.Options(StopToken)).ResponseAsync);
        }
        catch (RpcException e)
        {
            connection.Dispose();
            ThrowTerminatingError(RpcErrors.ToErrorRecord(e, connection.Endpoint, endpoint));
        }
        catch (PipelineStoppedException)
        {
            connection.Dispose();
            throw;
        }

        connection.MakeCurrent();
        WriteObject(connection);
    }
}
