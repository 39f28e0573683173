using PgGitV0.PowerShell.Tests.Fixtures;

namespace PgGitV0.PowerShell.Tests.Hosting;

public static class Sessions
{
    /// <summary>A session that imported the module and ran Connect-PgGit against the server.</summary>
    public static ModuleSession Connected(ServerFixture server)
    {
        var session = ModuleSession.Start();
        session.Run("Connect-PgGit -Endpoint $args[0]", server.Endpoint).Succeeded();
        return session;
    }
}
