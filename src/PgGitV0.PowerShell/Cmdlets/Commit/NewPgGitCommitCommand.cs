using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Commits the live database schema to the checked-out branch.</summary>
/// <remarks>
/// <para>Snapshots every tracked object of the live database (one file per object, canonical DDL) and
/// commits the snapshot onto the checked-out branch, as pggit_v0.commit() does in SQL. When nothing
/// changed since the branch's head, no commit is made and a warning says so.</para>
/// <para>The author is -Author, as 'Name &lt;email&gt;' or a bare name; without it the server records the
/// caller's identity (the API key's name). Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>New-PgGitCommit -Message 'Add orders table' -Author 'alice &lt;alice@example.com&gt;'</code>
/// <para>Commits the live schema as alice and outputs the new commit.</para>
/// </example>
/// <example>
/// <code>New-PgGitCommit -Message 'Nightly snapshot' -WhatIf</code>
/// <para>Shows what would be committed without committing anything.</para>
/// </example>
/// <seealso cref="GetPgGitCommitCommand"/>
[Cmdlet(VerbsCommon.New, "PgGitCommit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitCommit))]
public sealed class NewPgGitCommitCommand : PgGitServerCmdlet
{
    /// <summary>The commit message; its first line is the subject that logs show.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Message { get; set; } = "";

    /// <summary>The author, as 'Name &lt;email&gt;' or a bare name.</summary>
    /// <value>the caller's identity (the API key's name)</value>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Author { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Message;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var target = $"the checked-out branch at {Connection.Endpoint}";
        if (!ShouldProcess(target, $"Commit the live schema with message '{Message}'")) return;

        var progress = new ProgressRecord(1, "New-PgGitCommit", "Snapshotting the live schema and committing it");
        WriteProgress(progress);
        var response = Call(options => Connection.History.CreateCommitAsync(new CreateCommitRequest { Message = Message, Author = Author ?? "" }, options));
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);

        var commit = PgGitCommit.FromProto(response.Commit);
        if (!response.Created)
        {
            WriteWarning($"Nothing to commit: the live schema matches branch '{response.Branch}' at {commit.ShortSha}.");
            return;
        }
        WriteVerbose($"Committed {commit.ShortSha} on branch '{response.Branch}'");
        WriteObject(commit);
    }
}
