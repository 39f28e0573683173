namespace PgGitV0.Server.Data;

// Rows of the merging functions (sql/pggit_v0_branching.sql).

/// <summary>The row of pggit_v0.merge_branch.</summary>
public sealed class MergeOutcomeRow
{
    public string? MergeCommitSha { get; init; }
    public bool Conflicts { get; init; }
    public string[] ConflictObjects { get; init; } = [];
    public string Outcome { get; init; } = "";
    public Guid? MergeId { get; init; }
}

/// <summary>A row of pggit_v0.detect_merge_conflicts.</summary>
public sealed class PredictedConflictRow
{
    public string ObjectPath { get; init; } = "";
    public string ConflictType { get; init; } = "";
    public string? SourceDefinition { get; init; }
    public string? TargetDefinition { get; init; }
}

/// <summary>A row of pggit_v0.list_merges.</summary>
public sealed class MergeRow
{
    public Guid MergeId { get; init; }
    public string SourceBranch { get; init; } = "";
    public string TargetBranch { get; init; } = "";
    public string SourceSha { get; init; } = "";
    public string TargetSha { get; init; } = "";
    public string Strategy { get; init; } = "";
    public string Status { get; init; } = "";
    public int Conflicts { get; init; }
    public int Unresolved { get; init; }
    public string? MergeCommitSha { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}

/// <summary>A row of pggit_v0.list_merge_conflicts.</summary>
public sealed class ConflictRow
{
    public Guid MergeId { get; init; }
    public string SourceBranch { get; init; } = "";
    public string TargetBranch { get; init; } = "";
    public string ObjectPath { get; init; } = "";
    public string ConflictType { get; init; } = "";
    public string? BaseDefinition { get; init; }
    public string? SourceDefinition { get; init; }
    public string? TargetDefinition { get; init; }
    public string? MergedDefinition { get; init; }
    public string? Resolution { get; init; }
    public string? ResolvedBy { get; init; }
    public DateTime? ResolvedAt { get; init; }
}

/// <summary>The row of pggit_v0.rebase_branch_detailed.</summary>
public sealed class RebaseRow
{
    public string? RebasedCommitSha { get; init; }
    public bool Conflicts { get; init; }
    public string[] ConflictObjects { get; init; } = [];
    public string? ConflictCommitSha { get; init; }
    public int ReplayedCommits { get; init; }
    public int DroppedCommits { get; init; }
    public string OldTipSha { get; init; } = "";
}

/// <summary>The row of pggit_v0.cherry_pick.</summary>
public sealed class CherryPickRow
{
    public string? NewCommitSha { get; init; }
    public bool Conflicts { get; init; }
    public string[] ConflictObjects { get; init; } = [];
}

/// <summary>A row of pggit_v0.get_merge_request or list_merge_requests.</summary>
public sealed class MergeRequestRow
{
    public Guid MrId { get; init; }
    public string SourceBranch { get; init; } = "";
    public string TargetBranch { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string? Reviewer { get; init; }
    public string Status { get; init; } = "";
    public bool Conflicts { get; init; }
    public string[] ConflictObjects { get; init; } = [];
    public int Approvals { get; init; }
    public int RequiredApprovals { get; init; }
    public string[] ApprovedBy { get; init; } = [];
    public string SourceSha { get; init; } = "";
    public string TargetSha { get; init; } = "";
    public DateTime CheckedAt { get; init; }
    public string? MergeCommitSha { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? MergedBy { get; init; }
    public DateTime? MergedAt { get; init; }
    public string? ClosedBy { get; init; }
    public DateTime? ClosedAt { get; init; }
}
