namespace PgGitV0.PowerShell;

/// <summary>How a merge ended.</summary>
public enum PgGitMergeOutcome
{
    /// <summary>A merge commit with two parents was written.</summary>
    Merged,

    /// <summary>The target was an ancestor of the source and now points at the source's tip; no commit was written.</summary>
    FastForward,

    /// <summary>The source was already in the target; nothing changed.</summary>
    AlreadyMerged,

    /// <summary>The merge stopped on conflicts; it waits, under MergeId, for Resolve-PgGitConflict or Stop-PgGitMerge.</summary>
    Conflicts,
}

/// <summary>The outcome of Merge-PgGitBranch or Complete-PgGitMerge.</summary>
public sealed class PgGitMergeResult
{
    /// <summary>The branch merged in.</summary>
    public required string SourceBranch { get; init; }

    /// <summary>The branch merged into.</summary>
    public required string TargetBranch { get; init; }

    /// <summary>Merged, FastForward, AlreadyMerged or Conflicts.</summary>
    public required PgGitMergeOutcome Outcome { get; init; }

    /// <summary>The merge commit, the fast-forwarded tip, or the unchanged tip; null on conflicts.</summary>
    public required string? MergeCommitSha { get; init; }

    /// <summary>The first 12 digits of <see cref="MergeCommitSha"/>.</summary>
    public string? ShortMergeCommitSha => MergeCommitSha is null ? null : PgGitCommit.Abbreviate(MergeCommitSha);

    /// <summary>True when the merge stopped on conflicts.</summary>
    public bool Conflicts => Outcome == PgGitMergeOutcome.Conflicts;

    /// <summary>True when the target was fast-forwarded.</summary>
    public bool FastForward => Outcome == PgGitMergeOutcome.FastForward;

    /// <summary>True when there was nothing to merge.</summary>
    public bool AlreadyMerged => Outcome == PgGitMergeOutcome.AlreadyMerged;

    /// <summary>The conflicting paths, in path order; empty unless the merge stopped on conflicts.</summary>
    public required string[] ConflictObjects { get; init; }

    /// <summary>The pending merge recorded for the conflicts (Get-PgGitConflict -MergeId); null otherwise.</summary>
    public required string? MergeId { get; init; }

    /// <summary>The outcome and the commit or conflicting paths.</summary>
    public override string ToString() => Conflicts ? $"{Outcome}: {string.Join(", ", ConflictObjects)}" : $"{Outcome} {MergeCommitSha}";
}
