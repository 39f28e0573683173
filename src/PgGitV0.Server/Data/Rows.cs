namespace PgGitV0.Server.Data;

// Rows as the SQL layer returns them; Dapper maps snake_case columns onto these properties.

/// <summary>A pggit_v0.commit_graph row.</summary>
public class CommitRow
{
    public string CommitSha { get; init; } = "";
    public string TreeSha { get; init; } = "";
    public string[] ParentShas { get; init; } = [];
    public int Generation { get; init; }
    public string Author { get; init; } = "";
    public string AuthorEmail { get; init; } = "";
    public DateTime AuthoredAt { get; init; }
    public string Committer { get; init; } = "";
    public string CommitterEmail { get; init; } = "";
    public DateTime CommittedAt { get; init; }
    public string Message { get; init; } = "";
}

/// <summary>A commit made by pggit_v0.commit, with the branch it was made on.</summary>
public sealed class CreatedCommitRow : CommitRow
{
    public string Branch { get; init; } = "";
}

/// <summary>A row of pggit_v0.list_branches_after.</summary>
public sealed class BranchRow
{
    public string BranchName { get; init; } = "";
    public string HeadSha { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime UpdatedAt { get; init; }
    public bool CheckedOut { get; init; }
}

/// <summary>A row of pggit_v0.list_objects_after: an object of a commit and the commit that introduced its current version.</summary>
public class ObjectRow
{
    public string Path { get; init; } = "";
    public string? SchemaName { get; init; }
    public string ObjectName { get; init; } = "";
    public string ObjectType { get; init; } = "";
    public string BlobSha { get; init; } = "";
    public long Size { get; init; }
    public DateTime? LastModifiedAt { get; init; }
    public string? ModifiedBy { get; init; }
    public string? LastModifiedSha { get; init; }
    public string CommitSha { get; init; } = "";
}

/// <summary>The row of pggit_v0.get_object: the object with its DDL.</summary>
public sealed class ObjectDetailRow : ObjectRow
{
    public string Definition { get; init; } = "";
}

/// <summary>A pggit_v0.activity row.</summary>
public sealed class ActivityRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string? RefName { get; init; }
    public string? Sha { get; init; }
    public string Actor { get; init; } = "";
    public DateTime At { get; init; }
    public string Details { get; init; } = "{}";
}

/// <summary>A pggit_server.api_keys row (never the key itself, which is not stored).</summary>
public sealed class ApiKeyRow
{
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string KeyPrefix { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime? RevokedAt { get; init; }
}

/// <summary>A row of pggit_v0.list_tags.</summary>
public sealed class TagRow
{
    public string TagName { get; init; } = "";
    public string CommitSha { get; init; } = "";
    public string? Message { get; init; }
    public DateTime CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
}

/// <summary>A row of pggit_v0.get_object_history.</summary>
public sealed class ObjectHistoryRow
{
    public string CommitSha { get; init; } = "";
    public string ChangeType { get; init; } = "";
    public string Author { get; init; } = "";
    public DateTime CommittedAt { get; init; }
    public string Message { get; init; } = "";
}

/// <summary>A row of pggit_v0.diff_commits, diff_branches or diff_branches_from_base (definitions renamed old/new).</summary>
public sealed class ObjectDiffRow
{
    public string ObjectPath { get; init; } = "";
    public string ChangeType { get; init; } = "";
    public string? OldDefinition { get; init; }
    public string? NewDefinition { get; init; }
}

/// <summary>A pggit_v0.objects row with git's payload (pggit_v0.cat_object).</summary>
public sealed class GitObjectRow
{
    public string Sha { get; init; } = "";
    public string Type { get; init; } = "";
    public byte[] Payload { get; init; } = [];
}

/// <summary>A pggit_v0.refs row.</summary>
public sealed class GitRefRow
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string TargetSha { get; init; } = "";
}
