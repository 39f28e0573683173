using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets merge requests.</summary>
/// <remarks>
/// <para>Lists merge requests, oldest first, as pggit_v0.list_merge_requests() does in SQL, optionally only
/// those with one status or between given branches. Requests are fetched a page at a time as the
/// pipeline consumes them: when a later command stops the pipeline early, or -First is reached, no
/// further page is requested. With -Id, gets that one request (ObjectNotFound when there is none).</para>
/// <para>Requests piped into Approve-, Complete- or Close-PgGitMergeRequest bind -Id. Needs the reader role.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitMergeRequest -Status open</code>
/// <para>Lists the requests waiting for approval.</para>
/// </example>
/// <example>
/// <code>Get-PgGitMergeRequest -Status open -TargetBranch main | Approve-PgGitMergeRequest</code>
/// <para>Approves every open request into main.</para>
/// </example>
/// <example>
/// <code>Get-PgGitMergeRequest -Id 0b7e4c9a-5d1f-4c1e-9f6a-2b8d3e7c1a55</code>
/// <para>Gets one request with its approvals and conflict state.</para>
/// </example>
/// <seealso cref="NewPgGitMergeRequestCommand"/>
/// <seealso cref="ApprovePgGitMergeRequestCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitMergeRequest", DefaultParameterSetName = ListSet)]
[OutputType(typeof(PgGitMergeRequest))]
public sealed class GetPgGitMergeRequestCommand : PgGitServerCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    /// <summary>The one request to get.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Only requests with this status: open, approved, merged or closed.</summary>
    /// <value>any status</value>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("open", "approved", "merged", "closed")]
    public string? Status { get; set; }

    /// <summary>Only requests into this branch.</summary>
    /// <value>any branch</value>
    [Parameter(ParameterSetName = ListSet)]
    [Alias("Target")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TargetBranch { get; set; }

    /// <summary>Only requests from this branch.</summary>
    /// <value>any branch</value>
    [Parameter(ParameterSetName = ListSet)]
    [Alias("Source")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? SourceBranch { get; set; }

    /// <summary>The most requests to return.</summary>
    /// <value>all of them</value>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>How many requests to ask the server for per call (1 to 1000).</summary>
    /// <value>100</value>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <inheritdoc />
    protected override object? ErrorTarget => ParameterSetName == IdSet ? Id : null;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (ParameterSetName == IdSet)
        {
            WriteObject(PgGitMergeRequest.FromProto(Call(options => Connection.Merging.GetMergeRequestAsync(new GetMergeRequestRequest { Id = Id }, options))));
            return;
        }

        var request = new ListMergeRequestsRequest
        {
            Status = Status ?? "",
            TargetBranch = TargetBranch ?? "",
            SourceBranch = SourceBranch ?? "",
        };
        var written = 0;
        var page = 0;
        do
        {
            request.PageSize = First is { } first ? Math.Min(PageSize, first - written) : PageSize;
            WriteVerbose($"ListMergeRequests page {++page} (page size {request.PageSize}) from {Connection.Endpoint}");
            var response = Call(options => Connection.Merging.ListMergeRequestsAsync(request, options));
            foreach (var item in response.MergeRequests)
            {
                WriteObject(PgGitMergeRequest.FromProto(item));
                if (++written == First) break;
            }
            request.PageToken = response.NextPageToken;
        } while (request.PageToken.Length > 0 && written != First);
    }
}
