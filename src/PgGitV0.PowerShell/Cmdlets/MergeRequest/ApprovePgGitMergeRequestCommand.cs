using System.Management.Automation;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Approves merge requests.</summary>
/// <remarks>
/// <para>Approves a merge request as the caller's identity (the API key's name), as
/// pggit_v0.approve_merge_request() does in SQL, and outputs the request with its approvals. It becomes
/// approved once it has the approvals the setting required_approvals asks for; approving twice counts
/// once.</para>
/// <para>Whoever opened a request cannot approve it (PermissionDenied); a merged or closed request cannot
/// be approved (InvalidOperation); an unknown id is ObjectNotFound. Requests piped from
/// Get-PgGitMergeRequest bind -Id. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitMergeRequest -Status open | Approve-PgGitMergeRequest</code>
/// <para>Approves every open merge request.</para>
/// </example>
/// <example>
/// <code>Approve-PgGitMergeRequest -Id $request.Id -Notes 'Checked the indexes'</code>
/// <para>Approves one request with a note.</para>
/// </example>
/// <seealso cref="GetPgGitMergeRequestCommand"/>
/// <seealso cref="CompletePgGitMergeRequestCommand"/>
[Cmdlet(VerbsLifecycle.Approve, "PgGitMergeRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitMergeRequest))]
public sealed class ApprovePgGitMergeRequestCommand : PgGitMergeRequestChangeCmdlet
{
    /// <summary>A note kept with the approval.</summary>
    [Parameter]
    public string? Notes { get; set; }

    /// <inheritdoc />
    protected override string Action => "Approve merge request";

    /// <inheritdoc />
    private protected override AsyncUnaryCall<MergeRequest> Change(MergeService.MergeServiceClient client, CallOptions options) =>
        client.ApproveMergeRequestAsync(new ApproveMergeRequestRequest { Id = Id, Notes = Notes ?? "" }, options);
}
