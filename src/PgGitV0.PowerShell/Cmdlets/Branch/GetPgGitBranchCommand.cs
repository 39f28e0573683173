using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets branches.</summary>
/// <remarks>
/// <para>Lists the repository's branches in name order, with the commit each points at and which one is
/// checked out (the branch whose tree the live database is meant to match). -Name filters by name and
/// accepts wildcards; a name without wildcards that matches no branch is an ObjectNotFound error.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitBranch</code>
/// <para>Lists every branch.</para>
/// </example>
/// <example>
/// <code>Get-PgGitBranch -Name 'feature/*'</code>
/// <para>Lists the branches whose names start with feature/.</para>
/// </example>
/// <example>
/// <code>Get-PgGitBranch | Where-Object CheckedOut</code>
/// <para>Gets the checked-out branch.</para>
/// </example>
/// <seealso cref="GetPgGitCommitCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitBranch")]
[OutputType(typeof(PgGitBranch))]
public sealed class GetPgGitBranchCommand : PgGitServerCmdlet
{
    private const int ListPageSize = 1000;

    /// <summary>The names of the branches to get; wildcards allowed.</summary>
    /// <value>every branch</value>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Name is { Length: 1 } ? Name[0] : null;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var filter = new NameFilter(Name);
        var request = new ListBranchesRequest { PageSize = ListPageSize };
        do
        {
            var response = Call(options => Connection.Branches.ListBranchesAsync(request, options));
            foreach (var branch in response.Branches.Where(branch => filter.IsMatch(branch.Name))) WriteObject(PgGitBranch.FromProto(branch));
            request.PageToken = response.NextPageToken;
        } while (request.PageToken.Length > 0);

        foreach (var error in filter.Unmatched("Branch", "branches", "Get-PgGitBranch")) WriteError(error);
    }
}
