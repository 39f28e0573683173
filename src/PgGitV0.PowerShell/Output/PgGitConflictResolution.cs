namespace PgGitV0.PowerShell;

/// <summary>One conflict resolved by Resolve-PgGitConflict, and what remains of its merge.</summary>
public sealed class PgGitConflictResolution
{
    /// <summary>The pending merge the conflict belonged to.</summary>
    public required string MergeId { get; init; }

    /// <summary>The resolved object's path.</summary>
    public required string ObjectPath { get; init; }

    /// <summary>How it was resolved: Source, Target or Manual.</summary>
    public required string Strategy { get; init; }

    /// <summary>How many conflicts of the merge are still unresolved.</summary>
    public required int Unresolved { get; init; }

    /// <summary>The merge commit, when this resolution was the last and completed the merge; null otherwise.</summary>
    public required string? MergeCommitSha { get; init; }

    /// <summary>The first 12 digits of <see cref="MergeCommitSha"/>.</summary>
    public string? ShortMergeCommitSha => MergeCommitSha is null ? null : PgGitCommit.Abbreviate(MergeCommitSha);

    /// <summary>True when this resolution completed the merge.</summary>
    public bool Completed => MergeCommitSha is not null;

    /// <summary>The path and how it was resolved.</summary>
    public override string ToString() => $"{ObjectPath}: {Strategy}";
}
