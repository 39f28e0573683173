using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets tags.</summary>
/// <remarks>
/// <para>Lists the repository's tags in name order, with the commit each names, its message and who made
/// it. -Name filters by name and accepts wildcards; a name without wildcards that matches no tag is an
/// ObjectNotFound error.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitTag</code>
/// <para>Lists every tag.</para>
/// </example>
/// <example>
/// <code>Get-PgGitTag -Name 'v1.*'</code>
/// <para>Lists the tags whose names start with v1.</para>
/// </example>
/// <seealso cref="NewPgGitTagCommand"/>
/// <seealso cref="RemovePgGitTagCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitTag")]
[OutputType(typeof(PgGitTag))]
public sealed class GetPgGitTagCommand : PgGitServerCmdlet
{
    private const int ListPageSize = 1000;

    /// <summary>The names of the tags to get; wildcards allowed.</summary>
    /// <value>every tag</value>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Name is { Length: 1 } ? Name[0] : null;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var filter = new NameFilter(Name);
        var request = new ListTagsRequest { PageSize = ListPageSize };
        do
        {
            var response = Call(options => Connection.Branches.ListTagsAsync(request, options));
            foreach (var tag in response.Tags.Where(tag => filter.IsMatch(tag.Name))) WriteObject(PgGitTag.FromProto(tag));
            request.PageToken = response.NextPageToken;
        } while (request.PageToken.Length > 0);

        foreach (var error in filter.Unmatched("Tag", "tags", "Get-PgGitTag")) WriteError(error);
    }
}
