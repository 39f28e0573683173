using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets the commits that changed one object.</summary>
/// <remarks>
/// <para>Lists, newest first, the commits on the checked-out branch's first-parent line that created,
/// altered or dropped one object, as pggit_v0.get_object_history() does in SQL (like git log
/// --first-parent -- path). The history is read from an index kept per object, so it costs the same
/// however long the history is.</para>
/// <para>A function, procedure or aggregate may be named without its argument types when that names
/// exactly one object; an ambiguous name is an InvalidArgument error listing the candidates, and an
/// object with no history is ObjectNotFound. Objects piped from Get-PgGitObject bind by Schema and Name.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitObjectHistory -Schema public -Name orders</code>
/// <para>Lists the last ten commits that changed the table public.orders.</para>
/// </example>
/// <example>
/// <code>Get-PgGitObject -Schema public -Type VIEW | Get-PgGitObjectHistory -First 1</code>
/// <para>Shows, for every view of schema public, the commit that last changed it.</para>
/// </example>
/// <seealso cref="GetPgGitObjectCommand"/>
/// <seealso cref="GetPgGitCommitCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitObjectHistory")]
[OutputType(typeof(PgGitObjectHistoryEntry))]
public sealed class GetPgGitObjectHistoryCommand : PgGitServerCmdlet
{
    private const int DefaultCount = 10;

    /// <summary>The object's schema; empty for an extension.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Schema { get; set; } = "";

    /// <summary>The object's name; a function may be named with or without its argument types.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The most commits to output, newest first.</summary>
    /// <value>10</value>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; } = DefaultCount;

    /// <inheritdoc />
    protected override object? ErrorTarget => Schema.Length == 0 ? Name : $"{Schema}.{Name}";

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var request = new GetObjectHistoryRequest { SchemaName = Schema, ObjectName = Name, Limit = First };
        var response = Call(options => Connection.History.GetObjectHistoryAsync(request, options));
        foreach (var entry in response.Entries)
        {
            WriteObject(new PgGitObjectHistoryEntry
            {
                Schema = Schema,
                Name = Name,
                Commit = entry.CommitSha,
                Change = ChangeTypes.Name(entry.ChangeType),
                Author = entry.Author,
                CommittedAt = Times.Utc(entry.CommittedAt),
                Message = entry.Message,
            });
        }
    }
}
