using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Connect-PgGit and Disconnect-PgGit, PGGIT_ENDPOINT, and failures to reach a server.</summary>
public sealed class ConnectionTests(ServerFixture server) : CleanEnvironmentTests, IClassFixture<ServerFixture>
{
    [Fact]
    public void Connect_outputs_the_connection_and_Disconnect_ends_it()
    {
        var connection = Session.Run("Connect-PgGit -Endpoint $args[0]", server.Endpoint).Succeeded().Output.Single();
        Assert.Equal("PgGitV0.PowerShell.PgGitConnection", connection.TypeName());
        Assert.Equal(new Uri(server.Endpoint), connection.Get("Endpoint"));
        Assert.Equal(false, connection.Get("Authenticated"));
        Session.Run("Get-PgGitBranch").Succeeded();

        Session.Run("Disconnect-PgGit").Succeeded();
        var error = Session.Catch("Get-PgGitBranch");

        Assert.NotNull(error);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.StartsWith("PgGitNotConnected,", error.FullyQualifiedErrorId);
        Assert.Contains("Connect-PgGit", error.Exception.Message);
    }

    [Fact]
    public void Each_runspace_has_its_own_connection()
    {
        using var other = ModuleSession.Start();
        Session.Run("Connect-PgGit -Endpoint $args[0]", server.Endpoint).Succeeded();

        Assert.StartsWith("PgGitNotConnected,", other.Catch("Get-PgGitBranch")?.FullyQualifiedErrorId);
    }

    [Fact]
    public void PGGIT_ENDPOINT_is_where_Connect_and_unconnected_cmdlets_go()
    {
        using var environment = new EnvironmentScope(("PGGIT_ENDPOINT", server.Endpoint));

        var before = server.Requests("BranchService/ListBranches");
        Session.Run("Get-PgGitBranch").Succeeded();
        Assert.Equal(before + 1, server.Requests("BranchService/ListBranches"));
        var connection = Session.Run("Connect-PgGit").Succeeded().Output.Single();
        Assert.Equal(new Uri(server.Endpoint), connection.Get("Endpoint"));
    }

    [Fact]
    public void An_unreachable_server_is_a_terminating_ConnectionError_naming_the_endpoint()
    {
        var endpoint = $"http://127.0.0.1:{ClosedPort()}";

        var connect = Session.Catch("Connect-PgGit -Endpoint $args[0]", endpoint);
        var get = Session.Catch("Get-PgGitCommit -Endpoint $args[0]", endpoint);

        foreach (var error in new[] { connect, get })
        {
            Assert.NotNull(error);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.StartsWith("PgGitUnavailable,", error.FullyQualifiedErrorId);
            Assert.Contains($"Cannot reach the pggit server at {endpoint}/", error.Exception.Message);
        }
        Assert.StartsWith("PgGitNotConnected,", Session.Catch("Get-PgGitBranch")?.FullyQualifiedErrorId);
    }

    [Fact]
    public void An_endpoint_that_is_not_http_is_InvalidArgument()
    {
        var error = Session.Catch("Connect-PgGit -Endpoint 'ftp://example.com'");

        Assert.NotNull(error);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("PgGitInvalidEndpoint,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public async Task Committing_a_database_without_tracked_objects_is_InvalidOperation_with_the_servers_reason()
    {
        // Ignoring public and pg_catalog (where plpgsql lives) leaves nothing to track.
        await server.Database.ExecuteAsync("""SELECT pggit_v0.set_setting('ignored_schemas', '["public", "pg_catalog"]')""");
        Session.Run("Connect-PgGit -Endpoint $args[0]", server.Endpoint).Succeeded();

        var error = Assert.Single(Session.Run("New-PgGitCommit -Message 'first'").Errors);

        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.StartsWith("FAILED_PRECONDITION,", error.FullyQualifiedErrorId);
        Assert.Contains("nothing to commit", error.Exception.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
