using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>
/// One conflicting object of a merge: predicted by Test-PgGitMerge, or recorded for a pending merge
/// (Get-PgGitConflict) with the three versions and how it was resolved. Piped into
/// Resolve-PgGitConflict it binds -MergeId and -ObjectPath.
/// </summary>
public sealed class PgGitConflict
{
    /// <summary>The pending merge the conflict belongs to; empty for a prediction.</summary>
    public required string MergeId { get; init; }

    /// <summary>The branch being merged in.</summary>
    public required string SourceBranch { get; init; }

    /// <summary>The branch being merged into.</summary>
    public required string TargetBranch { get; init; }

    /// <summary>The object's path in the tree, e.g. public/tables/orders.sql.</summary>
    public required string ObjectPath { get; init; }

    /// <summary>modify/modify, modify/delete, delete/modify or add/add (the source's change first).</summary>
    public required string ConflictType { get; init; }

    /// <summary>The object's DDL at the merge base; null when it did not exist there, and in a prediction.</summary>
    public required string? BaseDefinition { get; init; }

    /// <summary>The source's DDL; null when the source deleted the object.</summary>
    public required string? SourceDefinition { get; init; }

    /// <summary>The target's DDL; null when the target deleted the object.</summary>
    public required string? TargetDefinition { get; init; }

    /// <summary>The line-level merge with git's conflict markers, when both sides have the object; null otherwise, and in a prediction.</summary>
    public required string? MergedDefinition { get; init; }

    /// <summary>How it was resolved (source, target or manual_ddl); null while unresolved.</summary>
    public required string? Resolution { get; init; }

    /// <summary>True once the conflict has a resolution.</summary>
    public bool Resolved => Resolution is not null;

    /// <summary>Who resolved it; null while unresolved.</summary>
    public required string? ResolvedBy { get; init; }

    /// <summary>When it was resolved (UTC); null while unresolved.</summary>
    public required DateTime? ResolvedAt { get; init; }

    /// <summary>The object's path.</summary>
    public override string ToString() => ObjectPath;

    internal static PgGitConflict FromProto(Conflict conflict) => new()
    {
        MergeId = conflict.MergeId,
        SourceBranch = conflict.SourceBranch,
        TargetBranch = conflict.TargetBranch,
        ObjectPath = conflict.ObjectPath,
        ConflictType = conflict.ConflictType,
        BaseDefinition = Optional.Text(conflict.BaseDefinition),
        SourceDefinition = Optional.Text(conflict.SourceDefinition),
        TargetDefinition = Optional.Text(conflict.TargetDefinition),
        MergedDefinition = Optional.Text(conflict.MergedDefinition),
        Resolution = Optional.Text(conflict.Resolution),
        ResolvedBy = Optional.Text(conflict.ResolvedBy),
        ResolvedAt = Times.Utc(conflict.ResolvedAt),
    };
}
