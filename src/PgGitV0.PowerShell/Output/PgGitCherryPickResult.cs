namespace PgGitV0.PowerShell;

/// <summary>The outcome of Copy-PgGitCommit: a commit's change applied to a branch.</summary>
public sealed class PgGitCherryPickResult
{
    /// <summary>The commit whose change was applied, as it was named.</summary>
    public required string Commit { get; init; }

    /// <summary>The branch it was applied to.</summary>
    public required string Branch { get; init; }

    /// <summary>The new commit on the branch, or the branch's unchanged tip when it already had the change; null on conflicts.</summary>
    public required string? NewCommitSha { get; init; }

    /// <summary>The first 12 digits of <see cref="NewCommitSha"/>.</summary>
    public string? ShortNewCommitSha => NewCommitSha is null ? null : PgGitCommit.Abbreviate(NewCommitSha);

    /// <summary>True when the change conflicted; then nothing was written.</summary>
    public required bool Conflicts { get; init; }

    /// <summary>The conflicting paths; empty without conflicts.</summary>
    public required string[] ConflictObjects { get; init; }

    /// <summary>The branch and the new commit.</summary>
    public override string ToString() => $"{Branch} {NewCommitSha}";
}
