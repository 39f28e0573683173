using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>The outcome of Update-PgGitBranch -Rebase.</summary>
public sealed class PgGitRebaseResult
{
    /// <summary>The branch rebased.</summary>
    public required string Branch { get; init; }

    /// <summary>Where it was replayed, as it was named; empty for the default branch.</summary>
    public required string Onto { get; init; }

    /// <summary>The branch's new tip; its unchanged tip when it was up to date; null on conflicts.</summary>
    public required string? HeadSha { get; init; }

    /// <summary>The first 12 digits of <see cref="HeadSha"/>.</summary>
    public string? ShortHeadSha => HeadSha is null ? null : PgGitCommit.Abbreviate(HeadSha);

    /// <summary>The tip before the rebase; it stays in the ref log.</summary>
    public required string OldHeadSha { get; init; }

    /// <summary>The first 12 digits of <see cref="OldHeadSha"/>.</summary>
    public string ShortOldHeadSha => PgGitCommit.Abbreviate(OldHeadSha);

    /// <summary>Commits replayed as new commits.</summary>
    public required int ReplayedCommits { get; init; }

    /// <summary>Commits dropped because the new base already had their change.</summary>
    public required int DroppedCommits { get; init; }

    /// <summary>True when the rebase stopped on conflicts; then the branch did not move.</summary>
    public required bool Conflicts { get; init; }

    /// <summary>The commit whose replay conflicted; null otherwise.</summary>
    public required string? ConflictCommitSha { get; init; }

    /// <summary>The conflicting paths; empty without conflicts.</summary>
    public required string[] ConflictObjects { get; init; }

    /// <summary>The branch and its new tip.</summary>
    public override string ToString() => $"{Branch} {HeadSha}";

    internal static PgGitRebaseResult FromProto(RebaseResult result, string branch, string onto) => new()
    {
        Branch = branch,
        Onto = onto,
        HeadSha = Optional.Text(result.RebasedCommitSha),
        OldHeadSha = result.OldTipSha,
        ReplayedCommits = result.ReplayedCommits,
        DroppedCommits = result.DroppedCommits,
        Conflicts = result.Conflicts,
        ConflictCommitSha = Optional.Text(result.ConflictCommitSha),
        ConflictObjects = [.. result.ConflictObjects],
    };
}
