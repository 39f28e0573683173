using System.Management.Automation;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Merges approved merge requests.</summary>
/// <remarks>
/// <para>Merges an approved merge request's source into its target, as pggit_v0.complete_merge_request()
/// does in SQL, and outputs the request, now merged, with its MergeCommitSha.</para>
/// <para>A request without the approvals it needs, or whose merge would conflict now, is refused with an
/// InvalidOperation error that says why (the approvals missing, or the conflicting paths); nothing is
/// merged. A target that is the checked-out branch is refused the same way. Requests piped from
/// Get-PgGitMergeRequest bind -Id. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitMergeRequest -Status approved | Complete-PgGitMergeRequest</code>
/// <para>Merges every approved request.</para>
/// </example>
/// <seealso cref="ApprovePgGitMergeRequestCommand"/>
/// <seealso cref="ClosePgGitMergeRequestCommand"/>
[Cmdlet(VerbsLifecycle.Complete, "PgGitMergeRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitMergeRequest))]
public sealed class CompletePgGitMergeRequestCommand : PgGitMergeRequestChangeCmdlet
{
    /// <inheritdoc />
    protected override string Action => "Merge the merge request's source into its target";

    /// <inheritdoc />
    private protected override AsyncUnaryCall<MergeRequest> Change(MergeService.MergeServiceClient client, CallOptions options) =>
        client.CompleteMergeRequestAsync(new CompleteMergeRequestRequest { Id = Id }, options);
}
