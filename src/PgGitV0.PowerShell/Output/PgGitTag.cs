using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>A tag: a fixed name for a commit, e.g. a release.</summary>
public sealed class PgGitTag
{
    /// <summary>The tag name, e.g. v1.0.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the commit the tag names.</summary>
    public required string Commit { get; init; }

    /// <summary>The first 12 digits of <see cref="Commit"/>.</summary>
    public string ShortCommit => PgGitCommit.Abbreviate(Commit);

    /// <summary>The tag's message; empty when none was given.</summary>
    public required string Message { get; init; }

    /// <summary>When the tag was created (UTC).</summary>
    public required DateTime? CreatedAt { get; init; }

    /// <summary>Who created the tag.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>The tag name.</summary>
    public override string ToString() => Name;

    internal static PgGitTag FromProto(Tag tag) => new()
    {
        Name = tag.Name,
        Commit = tag.CommitSha,
        Message = tag.Message,
        CreatedAt = Times.Utc(tag.CreatedAt),
        CreatedBy = tag.CreatedBy,
    };
}
