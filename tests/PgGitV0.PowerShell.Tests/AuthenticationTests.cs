using System.Management.Automation;
using System.Net;
using System.Security;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>API keys from -ApiKey, -Credential and PGGIT_API_KEY against a server that requires them.</summary>
public sealed class AuthenticationTests(AuthServerFixture server) : CleanEnvironmentTests, IClassFixture<AuthServerFixture>
{
    private static SecureString Secure(string text)
    {
        var secure = new NetworkCredential("", text).SecurePassword;
        secure.MakeReadOnly();
        return secure;
    }

    [Fact]
    public void Without_a_key_Connect_fails_with_AuthenticationError()
    {
        var error = Session.Catch("Connect-PgGit -Endpoint $args[0]", server.Endpoint);

        Assert.NotNull(error);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal("PgGitException", error.Exception.GetType().Name);
    }

    [Fact]
    public async Task A_reader_key_reads_but_committing_is_PermissionDenied_and_ApiKey_overrides_it_for_one_command()
    {
        var reader = await server.AddApiKeyAsync("ps-reader", "reader");
        var writer = await server.AddApiKeyAsync("ps-writer", "writer");
        await server.Database.ExecuteAsync("CREATE TABLE public.by_writer (id integer)");

        var connection = Session.Run("Connect-PgGit -Endpoint $args[0] -ApiKey $args[1]", server.Endpoint, Secure(reader)).Succeeded();
        Assert.Equal(true, connection.Output.Single().Get("Authenticated"));
        Session.Run("Get-PgGitBranch").Succeeded();

        // Non-terminating: try/catch does not see it, the error stream does.
        Assert.Null(Session.Catch("New-PgGitCommit -Message 'as reader'"));
        var error = Assert.Single(Session.Run("New-PgGitCommit -Message 'as reader'").Errors);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);

        var commit = Session.Run("New-PgGitCommit -Message 'as writer' -ApiKey $args[0]", Secure(writer)).Succeeded().Output.Single();
        Assert.Equal("as writer", commit.Text("Message"));
        Assert.Equal("ps-writer", await server.Database.ScalarAsync<string>(
            "SELECT actor FROM pggit_v0.activity WHERE kind = 'commit' ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task Credential_and_PGGIT_API_KEY_carry_the_key()
    {
        var key = await server.AddApiKeyAsync("ps-credential", "reader");

        var credential = new PSCredential("anyone", Secure(key));
        Session.Run("Connect-PgGit -Endpoint $args[0] -Credential $args[1]", server.Endpoint, credential).Succeeded();
        Session.Run("Get-PgGitBranch").Succeeded();

        using var environment = new EnvironmentScope(("PGGIT_API_KEY", key));
        using var fresh = ModuleSession.Start();
        fresh.Run("Connect-PgGit -Endpoint $args[0]", server.Endpoint).Succeeded();
        fresh.Run("Get-PgGitBranch -Endpoint $args[0]", server.Endpoint).Succeeded();
    }
}
