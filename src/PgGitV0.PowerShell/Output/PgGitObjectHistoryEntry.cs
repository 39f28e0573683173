namespace PgGitV0.PowerShell;

/// <summary>One commit in an object's history: the commit that created, altered or dropped it.</summary>
public sealed class PgGitObjectHistoryEntry
{
    /// <summary>The object's schema, as asked for.</summary>
    public required string Schema { get; init; }

    /// <summary>The object's name, as asked for.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the commit.</summary>
    public required string Commit { get; init; }

    /// <summary>The first 12 digits of <see cref="Commit"/>.</summary>
    public string ShortCommit => PgGitCommit.Abbreviate(Commit);

    /// <summary>What the commit did to the object: CREATE, ALTER or DROP.</summary>
    public required string Change { get; init; }

    /// <summary>The commit's author.</summary>
    public required string Author { get; init; }

    /// <summary>When the commit was made (UTC).</summary>
    public required DateTime? CommittedAt { get; init; }

    /// <summary>The commit's message.</summary>
    public required string Message { get; init; }

    /// <summary>The message's first line.</summary>
    public string Subject => Message.Split('\n', 2)[0];

    /// <summary>The change and the commit.</summary>
    public override string ToString() => $"{Change} {ShortCommit}";
}
