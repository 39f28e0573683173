using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets the database objects a commit holds, or one object with its DDL.</summary>
/// <remarks>
/// <para>With an exact -Schema and -Name, gets that one object at the commit, with its canonical DDL in
/// the Definition property. A function may be named with or without its argument types; -Type narrows
/// the match when a name is shared by objects of different types.</para>
/// <para>Otherwise lists the objects of the commit's tree in path order, filtered by -Schema, -Name and
/// -Type (wildcards allowed), without their DDL unless -IncludeDefinition is given. Objects are read from
/// HEAD, the checked-out branch's head, unless -Commit names another commit; commit objects bind -Commit
/// by their Sha, and listed objects piped back in get their DDL.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitObject -Schema public -Name orders</code>
/// <para>Gets the table public.orders at HEAD with its DDL.</para>
/// </example>
/// <example>
/// <code>Get-PgGitObject -Schema public -Type TABLE -Commit dev</code>
/// <para>Lists the tables of schema public at the head of branch dev.</para>
/// </example>
/// <example>
/// <code>Get-PgGitCommit -First 1 | Get-PgGitObject -Name 'order*' | Get-PgGitObject | ForEach-Object Definition</code>
/// <para>Shows the DDL of every object whose name starts with order in the newest commit.</para>
/// </example>
/// <seealso cref="GetPgGitCommitCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitObject")]
[OutputType(typeof(PgGitObject))]
public sealed class GetPgGitObjectCommand : PgGitServerCmdlet
{
    private const int ListPageSize = 500;

    /// <summary>The schema of the objects; empty for extensions.</summary>
    /// <value>every schema</value>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [AllowEmptyString]
    public string? Schema { get; set; }

    /// <summary>The object's name, e.g. orders, calc(integer, text), or orders.audit_trg for a trigger.</summary>
    /// <value>every object</value>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The object's type.</summary>
    /// <value>every type</value>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("TABLE", "FOREIGN KEY", "VIEW", "MATERIALIZED VIEW", "FUNCTION", "PROCEDURE", "AGGREGATE", "SEQUENCE",
        "INDEX", "TRIGGER", "TYPE", "POLICY", "SCHEMA", "EXTENSION", IgnoreCase = true)]
    public string? Type { get; set; }

    /// <summary>The commit to read: a full or unique-prefix id, a branch, a tag, HEAD, or name~n.</summary>
    /// <value>HEAD</value>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Sha")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    public string? Commit { get; set; }

    /// <summary>Also read each listed object's DDL (one call per object).</summary>
    [Parameter]
    public SwitchParameter IncludeDefinition { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Name ?? Schema ?? Commit;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (Name is not null && Schema is not null && !WildcardPattern.ContainsWildcardCharacters(Name + Schema))
        {
            WriteObject(Read(new GetObjectRequest { Ref = Commit ?? "", SchemaName = Schema, ObjectName = Name, ObjectType = ObjectTypes.Parse(Type) }));
            return;
        }
        WriteList();
    }

    private PgGitObject Read(GetObjectRequest request)
    {
        var response = Call(options => Connection.History.GetObjectAsync(request, options));
        return PgGitObject.FromProto(response.Object, response.CommitSha, response.Definition);
    }

    private void WriteList()
    {
        var schema = Pattern(Schema);
        var name = Pattern(Name);
        var type = Type?.ToUpperInvariant();
        var request = new ListObjectsRequest { Ref = Commit ?? "", PageSize = ListPageSize };
        var progress = new ProgressRecord(3, "Get-PgGitObject", "Reading definitions");
        var read = 0;
        do
        {
            var response = Call(options => Connection.History.ListObjectsAsync(request, options));
            foreach (var item in response.Objects)
            {
                var found = PgGitObject.FromProto(item, response.CommitSha);
                if (!schema.IsMatch(found.Schema) || !name.IsMatch(found.Name) || (type is not null && found.Type != type)) continue;
                if (IncludeDefinition)
                {
                    progress.StatusDescription = $"{found.Path} ({++read} read)";
                    WriteProgress(progress);
                    found = Read(new GetObjectRequest { Ref = response.CommitSha, Path = found.Path });
                }
                WriteObject(found);
            }
            request.PageToken = response.NextPageToken;
        } while (request.PageToken.Length > 0);

        if (read > 0)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    private static WildcardPattern Pattern(string? value) => new(value ?? "*", WildcardOptions.IgnoreCase);
}
