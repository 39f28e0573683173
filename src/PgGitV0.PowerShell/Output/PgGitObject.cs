using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>A database object as a commit holds it: one file per object, with its DDL when asked for one object.</summary>
public sealed class PgGitObject
{
    /// <summary>The object's schema; empty for extensions.</summary>
    public required string Schema { get; init; }

    /// <summary>The object's name; functions carry their argument types, triggers, policies and foreign keys their table.</summary>
    public required string Name { get; init; }

    /// <summary>The object's type: TABLE, VIEW, FUNCTION, FOREIGN KEY, ... (DESIGN.md section 2).</summary>
    public required string Type { get; init; }

    /// <summary>The object's path in the commit's tree, e.g. public/tables/orders.sql.</summary>
    public required string Path { get; init; }

    /// <summary>The id of the blob holding the object's DDL.</summary>
    public required string BlobSha { get; init; }

    /// <summary>The DDL's size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>When the object's current version was introduced (UTC).</summary>
    public required DateTime? LastModifiedAt { get; init; }

    /// <summary>The author of the commit that introduced the current version.</summary>
    public required string LastModifiedBy { get; init; }

    /// <summary>The id of the commit that introduced the current version.</summary>
    public required string LastModifiedSha { get; init; }

    /// <summary>The id of the commit the object was read from.</summary>
    public required string Commit { get; init; }

    /// <summary>The object's canonical DDL; filled when one object is asked for by name, or with -IncludeDefinition.</summary>
    public string? Definition { get; init; }

    /// <summary>The object's path.</summary>
    public override string ToString() => Path;

    internal static PgGitObject FromProto(DatabaseObject item, string commitSha, string? definition = null) => new()
    {
        Schema = item.SchemaName,
        Name = item.ObjectName,
        Type = ObjectTypes.Name(item.ObjectType),
        Path = item.Path,
        BlobSha = item.BlobSha,
        Size = item.Size,
        LastModifiedAt = Times.Utc(item.LastModifiedAt),
        LastModifiedBy = item.LastModifiedBy,
        LastModifiedSha = item.LastModifiedSha,
        Commit = commitSha,
        Definition = definition,
    };
}
