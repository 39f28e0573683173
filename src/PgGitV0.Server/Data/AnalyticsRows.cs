namespace PgGitV0.Server.Data;

// Rows of the insight views (sql/pggit_v0_views.sql), one class per view.

/// <summary>A pggit_v0.recent_commits_by_author row.</summary>
public sealed class AuthorCommitSummaryRow
{
    public string Author { get; init; } = "";
    public string AuthorEmail { get; init; } = "";
    public long Commits { get; init; }
    public long CommitsLast7Days { get; init; }
    public long CommitsLast30Days { get; init; }
    public DateTime LastCommitAt { get; init; }
    public string LastCommitSha { get; init; } = "";
    public string LastMessage { get; init; } = "";
}

/// <summary>A pggit_v0.most_changed_objects row.</summary>
public sealed class ChangedObjectRow
{
    public string ObjectPath { get; init; } = "";
    public string? SchemaName { get; init; }
    public string? ObjectName { get; init; }
    public string ObjectType { get; init; } = "";
    public long ChangeCount { get; init; }
    public long Alters { get; init; }
    public long Authors { get; init; }
    public DateTime LastChangedAt { get; init; }
    public string LastChangedBy { get; init; } = "";
}

/// <summary>A pggit_v0.branch_comparison row.</summary>
public sealed class BranchComparisonRow
{
    public string BranchName { get; init; } = "";
    public string HeadSha { get; init; } = "";
    public string? ComparedTo { get; init; }
    public long? Ahead { get; init; }
    public long? Behind { get; init; }
    public DateTime LastCommitAt { get; init; }
    public string LastAuthor { get; init; } = "";
    public string LastMessage { get; init; } = "";
    public bool? Merged { get; init; }
    public bool? CheckedOut { get; init; }
}

/// <summary>A pggit_v0.daily_change_summary row.</summary>
public sealed class DailyChangeSummaryRow
{
    public DateTime Day { get; init; }
    public long Commits { get; init; }
    public long Authors { get; init; }
    public long Creates { get; init; }
    public long Alters { get; init; }
    public long Drops { get; init; }
    public long ObjectsChanged { get; init; }
}

/// <summary>A pggit_v0.schema_growth_history row.</summary>
public sealed class SchemaGrowthRow
{
    public long CommitNumber { get; init; }
    public string CommitSha { get; init; } = "";
    public DateTime CommittedAt { get; init; }
    public string Message { get; init; } = "";
    public long ObjectsAdded { get; init; }
    public long ObjectCount { get; init; }
}

/// <summary>A pggit_v0.author_activity row.</summary>
public sealed class AuthorActivityRow
{
    public string Author { get; init; } = "";
    public string AuthorEmail { get; init; } = "";
    public DateTime CommittedAt { get; init; }
    public string CommitSha { get; init; } = "";
    public string ObjectPath { get; init; } = "";
    public string? SchemaName { get; init; }
    public string? ObjectName { get; init; }
    public string ObjectType { get; init; } = "";
    public string ChangeType { get; init; } = "";
    public string Message { get; init; } = "";
    public int Generation { get; init; }
}

/// <summary>A pggit_v0.commit_without_message row.</summary>
public sealed class CommitWithoutMessageRow
{
    public string CommitSha { get; init; } = "";
    public string Author { get; init; } = "";
    public string AuthorEmail { get; init; } = "";
    public DateTime CommittedAt { get; init; }
    public string Message { get; init; } = "";
    public string Problem { get; init; } = "";
}

/// <summary>A pggit_v0.orphaned_objects row.</summary>
public sealed class OrphanedObjectRow
{
    public string Sha { get; init; } = "";
    public string Type { get; init; } = "";
    public long Size { get; init; }
}

/// <summary>A pggit_v0.large_commits row.</summary>
public sealed class LargeCommitRow
{
    public string CommitSha { get; init; } = "";
    public string Author { get; init; } = "";
    public DateTime CommittedAt { get; init; }
    public string Message { get; init; } = "";
    public long ObjectsChanged { get; init; }
    public long Creates { get; init; }
    public long Alters { get; init; }
    public long Drops { get; init; }
}
