using System.Management.Automation;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Closes merge requests without merging.</summary>
/// <remarks>
/// <para>Closes a merge request, as pggit_v0.close_merge_request() does in SQL, and outputs it. A closed
/// request cannot be approved or completed; a new request for the same branches can be opened. A merged
/// request cannot be closed (InvalidOperation). Requests piped from Get-PgGitMergeRequest bind -Id. Needs
/// the writer role.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitMergeRequest -SourceBranch feature/old | Close-PgGitMergeRequest</code>
/// <para>Closes the requests from feature/old.</para>
/// </example>
/// <seealso cref="NewPgGitMergeRequestCommand"/>
/// <seealso cref="GetPgGitMergeRequestCommand"/>
[Cmdlet(VerbsCommon.Close, "PgGitMergeRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitMergeRequest))]
public sealed class ClosePgGitMergeRequestCommand : PgGitMergeRequestChangeCmdlet
{
    /// <inheritdoc />
    protected override string Action => "Close merge request without merging";

    /// <inheritdoc />
    private protected override AsyncUnaryCall<MergeRequest> Change(MergeService.MergeServiceClient client, CallOptions options) =>
        client.CloseMergeRequestAsync(new CloseMergeRequestRequest { Id = Id }, options);
}
