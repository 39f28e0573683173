using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>A merge request: a proposal to merge one branch into another, with its reviews and state.</summary>
public sealed class PgGitMergeRequest
{
    /// <summary>The request's id; Approve-, Complete- and Close-PgGitMergeRequest bind it from the pipeline.</summary>
    public required string Id { get; init; }

    /// <summary>The branch to merge in.</summary>
    public required string SourceBranch { get; init; }

    /// <summary>The branch to merge into.</summary>
    public required string TargetBranch { get; init; }

    /// <summary>A one-line title.</summary>
    public required string Title { get; init; }

    /// <summary>A longer description; null when none was given.</summary>
    public required string? Description { get; init; }

    /// <summary>The reviewer asked to look at it; null when none.</summary>
    public required string? Reviewer { get; init; }

    /// <summary>open, approved, merged or closed.</summary>
    public required string Status { get; init; }

    /// <summary>True when the last check found conflicts.</summary>
    public required bool Conflicts { get; init; }

    /// <summary>The conflicting paths of the last check.</summary>
    public required string[] ConflictObjects { get; init; }

    /// <summary>Approvals received.</summary>
    public required int Approvals { get; init; }

    /// <summary>Approvals needed (the setting required_approvals).</summary>
    public required int RequiredApprovals { get; init; }

    /// <summary>Approvals received out of those needed, e.g. 1/2.</summary>
    public string ApprovalState => $"{Approvals}/{RequiredApprovals}";

    /// <summary>Who approved it.</summary>
    public required string[] ApprovedBy { get; init; }

    /// <summary>The source's tip at the last check.</summary>
    public required string SourceSha { get; init; }

    /// <summary>The target's tip at the last check.</summary>
    public required string TargetSha { get; init; }

    /// <summary>When conflicts were last checked (UTC).</summary>
    public required DateTime? CheckedAt { get; init; }

    /// <summary>The merge commit once merged; null otherwise.</summary>
    public required string? MergeCommitSha { get; init; }

    /// <summary>Who opened it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it was opened (UTC).</summary>
    public required DateTime? CreatedAt { get; init; }

    /// <summary>When it last changed (UTC).</summary>
    public required DateTime? UpdatedAt { get; init; }

    /// <summary>Who merged it; null until merged.</summary>
    public required string? MergedBy { get; init; }

    /// <summary>When it was merged (UTC); null until merged.</summary>
    public required DateTime? MergedAt { get; init; }

    /// <summary>Who closed it; null unless closed.</summary>
    public required string? ClosedBy { get; init; }

    /// <summary>When it was closed (UTC); null unless closed.</summary>
    public required DateTime? ClosedAt { get; init; }

    /// <summary>The request's id.</summary>
    public override string ToString() => Id;

    internal static PgGitMergeRequest FromProto(MergeRequest request) => new()
    {
        Id = request.Id,
        SourceBranch = request.SourceBranch,
        TargetBranch = request.TargetBranch,
        Title = request.Title,
        Description = Optional.Text(request.Description),
        Reviewer = Optional.Text(request.Reviewer),
        Status = request.Status,
        Conflicts = request.Conflicts,
        ConflictObjects = [.. request.ConflictObjects],
        Approvals = request.Approvals,
        RequiredApprovals = request.RequiredApprovals,
        ApprovedBy = [.. request.ApprovedBy],
        SourceSha = request.SourceSha,
        TargetSha = request.TargetSha,
        CheckedAt = Times.Utc(request.CheckedAt),
        MergeCommitSha = Optional.Text(request.MergeCommitSha),
        CreatedBy = request.CreatedBy,
        CreatedAt = Times.Utc(request.CreatedAt),
        UpdatedAt = Times.Utc(request.UpdatedAt),
        MergedBy = Optional.Text(request.MergedBy),
        MergedAt = Times.Utc(request.MergedAt),
        ClosedBy = Optional.Text(request.ClosedBy),
        ClosedAt = Times.Utc(request.ClosedAt),
    };
}
