using System.Management.Automation;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Disconnects the session from its pggit_v0 server.</summary>
/// <remarks>
/// <para>Closes the connection Connect-PgGit made. Afterwards PgGit cmdlets need -Endpoint, the
/// PGGIT_ENDPOINT environment variable, or a new Connect-PgGit. Disconnecting a session that is not
/// connected does nothing.</para>
/// </remarks>
/// <example>
/// <code>Disconnect-PgGit</code>
/// <para>Closes the session's connection.</para>
/// </example>
/// <seealso cref="ConnectPgGitCommand"/>
[Cmdlet(VerbsCommunications.Disconnect, "PgGit")]
public sealed class DisconnectPgGitCommand : PgGitCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        WriteVerbose(PgGitConnection.CloseCurrent() ? "Closed the session's pggit connection" : "The session was not connected");
    }
}
