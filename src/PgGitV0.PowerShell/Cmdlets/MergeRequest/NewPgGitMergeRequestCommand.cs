using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Opens a merge request.</summary>
/// <remarks>
/// <para>Proposes merging -Source into -Target, as pggit_v0.create_merge_request() does in SQL, and records
/// whether the merge would conflict. Another identity approves it (Approve-PgGitMergeRequest) and
/// Complete-PgGitMergeRequest merges it once it has the approvals the setting required_approvals asks
/// for. Only one open or approved request may exist per pair of branches (ResourceExists, naming it).</para>
/// <para>An empty title or a source equal to the target is InvalidArgument; an unknown branch is
/// ObjectNotFound. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>New-PgGitMergeRequest -Source feature/orders -Target main -Title 'Add orders' -Reviewer bob</code>
/// <para>Opens a request to merge feature/orders into main and asks bob to review it.</para>
/// </example>
/// <seealso cref="GetPgGitMergeRequestCommand"/>
/// <seealso cref="ApprovePgGitMergeRequestCommand"/>
/// <seealso cref="CompletePgGitMergeRequestCommand"/>
[Cmdlet(VerbsCommon.New, "PgGitMergeRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitMergeRequest))]
public sealed class NewPgGitMergeRequestCommand : PgGitBranchPairCmdlet
{
    /// <summary>A one-line title.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "";

    /// <summary>A longer description of the change.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>The identity (API key name) asked to review it.</summary>
    [Parameter]
    public string? Reviewer { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Source;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (!ShouldProcess($"'{Source}' into '{Target}' at {Connection.Endpoint}", $"Open merge request '{Title}'")) return;

        var request = Call(options => Connection.Merging.CreateMergeRequestAsync(new CreateMergeRequestRequest
        {
            SourceBranch = Source,
            TargetBranch = Target,
            Title = Title,
            Description = Description ?? "",
            Reviewer = Reviewer ?? "",
        }, options));
        var opened = PgGitMergeRequest.FromProto(request);
        if (opened.Conflicts) WriteWarning($"Merge request {opened.Id} conflicts on {string.Join(", ", opened.ConflictObjects)}; it cannot be completed until they are gone.");
        WriteObject(opened);
    }
}
