using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>A branch: a named, movable pointer to a commit.</summary>
public sealed class PgGitBranch
{
    /// <summary>The branch name, e.g. main or feature/orders.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the commit the branch points at.</summary>
    public required string HeadSha { get; init; }

    /// <summary>The first 12 digits of <see cref="HeadSha"/>.</summary>
    public string ShortHeadSha => PgGitCommit.Abbreviate(HeadSha);

    /// <summary>True for the checked-out branch, whose tree the live database is meant to match.</summary>
    public required bool CheckedOut { get; init; }

    /// <summary>When the branch was created (UTC).</summary>
    public required DateTime? CreatedAt { get; init; }

    /// <summary>Who created the branch.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When the branch last moved (UTC).</summary>
    public required DateTime? UpdatedAt { get; init; }

    /// <summary>The branch name.</summary>
    public override string ToString() => Name;

    internal static PgGitBranch FromProto(Branch branch) => new()
    {
        Name = branch.Name,
        HeadSha = branch.HeadSha,
        CheckedOut = branch.CheckedOut,
        CreatedAt = Times.Utc(branch.CreatedAt),
        CreatedBy = branch.CreatedBy,
        UpdatedAt = Times.Utc(branch.UpdatedAt),
    };
}
