using Google.Protobuf.WellKnownTypes;
using PgGitV0.Api;
using PgGitV0.Server.Data;

namespace PgGitV0.Server.Services;

/// <summary>SQL rows to proto messages, and the object_type vocabulary both ways.</summary>
public static class ProtoMapping
{
    public static Timestamp ToTimestamp(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static Commit ToProto(this CommitRow row) => new()
    {
        Sha = row.CommitSha,
        TreeSha = row.TreeSha,
        ParentShas = { row.ParentShas },
        Author = row.Author,
        AuthorEmail = row.AuthorEmail,
        AuthoredAt = ToTimestamp(row.AuthoredAt),
        Committer = row.Committer,
        CommitterEmail = row.CommitterEmail,
        CommittedAt = ToTimestamp(row.CommittedAt),
        Message = row.Message,
        Generation = row.Generation,
    };

    public static Branch ToProto(this BranchRow row) => new()
    {
        Name = row.BranchName,
        HeadSha = row.HeadSha,
        CreatedAt = ToTimestamp(row.CreatedAt),
        CreatedBy = row.CreatedBy,
        UpdatedAt = ToTimestamp(row.UpdatedAt),
        CheckedOut = row.CheckedOut,
    };

    public static DatabaseObject ToProto(this ObjectRow row) => new()
    {
        SchemaName = row.SchemaName ?? "",
        ObjectName = row.ObjectName,
        ObjectType = ObjectTypeFromSql(row.ObjectType),
        Path = row.Path,
        BlobSha = row.BlobSha,
        Size = row.Size,
        LastModifiedAt = row.LastModifiedAt is { } at ? ToTimestamp(at) : null,
        LastModifiedBy = row.ModifiedBy ?? "",
        LastModifiedSha = row.LastModifiedSha ?? "",
    };

    public static GetObjectResponse ToProto(this ObjectDetailRow row) => new()
    {
        Object = ((ObjectRow)row).ToProto(),
        Definition = row.Definition,
        CommitSha = row.CommitSha,
    };

    public static ActivityEvent ToProto(this ActivityRow row) => new()
    {
        Id = row.Id,
        Kind = row.Kind,
        RefName = row.RefName ?? "",
        Sha = row.Sha ?? "",
        Actor = row.Actor,
        At = ToTimestamp(row.At),
        Details = Struct.Parser.ParseJson(row.Details),
    };

    // The object_type vocabulary of DESIGN.md section 2, as the SQL layer spells it.
    private static readonly Dictionary<ObjectType, string> SqlObjectTypes = new()
    {
        [ObjectType.Table] = "TABLE",
        [ObjectType.ForeignKey] = "FOREIGN KEY",
        [ObjectType.View] = "VIEW",
        [ObjectType.MaterializedView] = "MATERIALIZED VIEW",
        [ObjectType.Function] = "FUNCTION",
        [ObjectType.Procedure] = "PROCEDURE",
        [ObjectType.Aggregate] = "AGGREGATE",
        [ObjectType.Sequence] = "SEQUENCE",
        [ObjectType.Index] = "INDEX",
        [ObjectType.Trigger] = "TRIGGER",
        [ObjectType.Type] = "TYPE",
        [ObjectType.Policy] = "POLICY",
        [ObjectType.Schema] = "SCHEMA",
        [ObjectType.Extension] = "EXTENSION",
    };

    private static readonly Dictionary<string, ObjectType> ProtoObjectTypes
        = SqlObjectTypes.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>'FOREIGN KEY' → ForeignKey; unspecified for a type this server does not know yet.</summary>
    public static ObjectType ObjectTypeFromSql(string objectType) => ProtoObjectTypes.GetValueOrDefault(objectType, ObjectType.Unspecified);

    /// <summary>MaterializedView → 'MATERIALIZED VIEW'; null for unspecified.</summary>
    public static string? ObjectTypeToSql(ObjectType objectType) => SqlObjectTypes.GetValueOrDefault(objectType);
}
