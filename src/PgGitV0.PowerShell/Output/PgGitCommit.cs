using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>A commit: a snapshot of the schema with its author, time, message and parents.</summary>
public sealed class PgGitCommit
{
    /// <summary>The length of <see cref="ShortSha"/>.</summary>
    public const int ShortShaLength = 12;

    /// <summary>The commit's id: git's SHA-256 object id, 64 hex digits.</summary>
    public required string Sha { get; init; }

    /// <summary>The first 12 digits of the id; any unique prefix names the commit.</summary>
    public string ShortSha => Abbreviate(Sha);

    /// <summary>The id of the commit's root tree.</summary>
    public required string TreeSha { get; init; }

    /// <summary>The parents' ids, first parent first; none for the first commit, two or more for a merge.</summary>
    public required string[] ParentShas { get; init; }

    /// <summary>The author's name.</summary>
    public required string Author { get; init; }

    /// <summary>The author's email; empty when the author was given as a bare name.</summary>
    public required string AuthorEmail { get; init; }

    /// <summary>When the change was authored (UTC).</summary>
    public required DateTime AuthoredAt { get; init; }

    /// <summary>The committer's name.</summary>
    public required string Committer { get; init; }

    /// <summary>When the commit was made (UTC).</summary>
    public required DateTime CommittedAt { get; init; }

    /// <summary>The full commit message.</summary>
    public required string Message { get; init; }

    /// <summary>The message's first line.</summary>
    public string Subject => Message.Split('\n', 2)[0];

    /// <summary>1 + the largest generation of the parents; the first commit has generation 1.</summary>
    public required int Generation { get; init; }

    /// <summary>The commit's id, so a commit can stand wherever a commit is named.</summary>
    public override string ToString() => Sha;

    internal static string Abbreviate(string sha) => sha.Length > ShortShaLength ? sha[..ShortShaLength] : sha;

    internal static PgGitCommit FromProto(Commit commit) => new()
    {
        Sha = commit.Sha,
        TreeSha = commit.TreeSha,
        ParentShas = [.. commit.ParentShas],
        Author = commit.Author,
        AuthorEmail = commit.AuthorEmail,
        AuthoredAt = Times.Utc(commit.AuthoredAt) ?? default,
        Committer = commit.Committer,
        CommittedAt = Times.Utc(commit.CommittedAt) ?? default,
        Message = commit.Message,
        Generation = commit.Generation,
    };
}
