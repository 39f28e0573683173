using Google.Protobuf.WellKnownTypes;
using PgGitV0.Api;
using PgGitV0.Server.Data;

namespace PgGitV0.Server.Services;

/// <summary>SQL rows to proto messages, and the object_type and change_type vocabularies.</summary>
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

    public static Tag ToProto(this TagRow row) => new()
    {
        Name = row.TagName,
        CommitSha = row.CommitSha,
        Message = row.Message ?? "",
        CreatedAt = ToTimestamp(row.CreatedAt),
        CreatedBy = row.CreatedBy,
    };

    public static ObjectHistoryEntry ToProto(this ObjectHistoryRow row) => new()
    {
        CommitSha = row.CommitSha,
        ChangeType = ChangeTypeFromSql(row.ChangeType),
        Author = row.Author,
        CommittedAt = ToTimestamp(row.CommittedAt),
        Message = row.Message,
    };

    public static ObjectDiff ToProto(this ObjectDiffRow row) => new()
    {
        ObjectPath = row.ObjectPath,
        ChangeType = ChangeTypeFromSql(row.ChangeType),
        OldDefinition = row.OldDefinition ?? "",
        NewDefinition = row.NewDefinition ?? "",
    };

    public static AuthorCommitSummary ToProto(this AuthorCommitSummaryRow row) => new()
    {
        Author = row.Author,
        AuthorEmail = row.AuthorEmail,
        Commits = row.Commits,
        CommitsLast7Days = row.CommitsLast7Days,
        CommitsLast30Days = row.CommitsLast30Days,
        LastCommitAt = ToTimestamp(row.LastCommitAt),
        LastCommitSha = row.LastCommitSha,
        LastMessage = row.LastMessage,
    };

    public static ChangedObject ToProto(this ChangedObjectRow row) => new()
    {
        ObjectPath = row.ObjectPath,
        SchemaName = row.SchemaName ?? "",
        ObjectName = row.ObjectName ?? "",
        ObjectType = ObjectTypeFromSql(row.ObjectType),
        ChangeCount = row.ChangeCount,
        Alters = row.Alters,
        Authors = row.Authors,
        LastChangedAt = ToTimestamp(row.LastChangedAt),
        LastChangedBy = row.LastChangedBy,
    };

    public static BranchComparison ToProto(this BranchComparisonRow row) => new()
    {
        BranchName = row.BranchName,
        HeadSha = row.HeadSha,
        ComparedTo = row.ComparedTo ?? "",
        Ahead = row.Ahead ?? 0,
        Behind = row.Behind ?? 0,
        LastCommitAt = ToTimestamp(row.LastCommitAt),
        LastAuthor = row.LastAuthor,
        LastMessage = row.LastMessage,
        Merged = row.Merged ?? false,
        CheckedOut = row.CheckedOut ?? false,
    };

    public static DailyChangeSummary ToProto(this DailyChangeSummaryRow row) => new()
    {
        Day = row.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Commits = row.Commits,
        Authors = row.Authors,
        Creates = row.Creates,
        Alters = row.Alters,
        Drops = row.Drops,
        ObjectsChanged = row.ObjectsChanged,
    };

    public static SchemaGrowthPoint ToProto(this SchemaGrowthRow row) => new()
    {
        CommitNumber = row.CommitNumber,
        CommitSha = row.CommitSha,
        CommittedAt = ToTimestamp(row.CommittedAt),
        Message = row.Message,
        ObjectsAdded = row.ObjectsAdded,
        ObjectCount = row.ObjectCount,
    };

    public static AuthorActivity ToProto(this AuthorActivityRow row) => new()
    {
        Author = row.Author,
        AuthorEmail = row.AuthorEmail,
        CommittedAt = ToTimestamp(row.CommittedAt),
        CommitSha = row.CommitSha,
        ObjectPath = row.ObjectPath,
        SchemaName = row.SchemaName ?? "",
        ObjectName = row.ObjectName ?? "",
        ObjectType = ObjectTypeFromSql(row.ObjectType),
        ChangeType = ChangeTypeFromSql(row.ChangeType),
        Message = row.Message,
    };

    public static CommitWithoutMessage ToProto(this CommitWithoutMessageRow row) => new()
    {
        CommitSha = row.CommitSha,
        Author = row.Author,
        AuthorEmail = row.AuthorEmail,
        CommittedAt = ToTimestamp(row.CommittedAt),
        Message = row.Message,
        Problem = row.Problem,
    };

    public static OrphanedObject ToProto(this OrphanedObjectRow row) => new() { Sha = row.Sha, Type = row.Type, Size = row.Size };

    public static LargeCommit ToProto(this LargeCommitRow row) => new()
    {
        CommitSha = row.CommitSha,
        Author = row.Author,
        CommittedAt = ToTimestamp(row.CommittedAt),
        Message = row.Message,
        ObjectsChanged = row.ObjectsChanged,
        Creates = row.Creates,
        Alters = row.Alters,
        Drops = row.Drops,
    };

    public static GitObject ToProto(this GitObjectRow row)
        => new() { Sha = row.Sha, Type = row.Type, Payload = Google.Protobuf.ByteString.CopyFrom(row.Payload) };

    public static GitRef ToProto(this GitRefRow row) => new() { Name = row.Name, Type = row.Type, TargetSha = row.TargetSha };

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

    public static Conflict ToProto(this PredictedConflictRow row, string sourceBranch, string targetBranch) => new()
    {
        SourceBranch = sourceBranch,
        TargetBranch = targetBranch,
        ObjectPath = row.ObjectPath,
        ConflictType = row.ConflictType,
        SourceDefinition = row.SourceDefinition ?? "",
        TargetDefinition = row.TargetDefinition ?? "",
    };

    public static Conflict ToProto(this ConflictRow row) => new()
    {
        MergeId = row.MergeId.ToString(),
        SourceBranch = row.SourceBranch,
        TargetBranch = row.TargetBranch,
        ObjectPath = row.ObjectPath,
        ConflictType = row.ConflictType,
        BaseDefinition = row.BaseDefinition ?? "",
        SourceDefinition = row.SourceDefinition ?? "",
        TargetDefinition = row.TargetDefinition ?? "",
        MergedDefinition = row.MergedDefinition ?? "",
        Resolution = row.Resolution ?? "",
        ResolvedBy = row.ResolvedBy ?? "",
        ResolvedAt = row.ResolvedAt is { } at ? ToTimestamp(at) : null,
    };

    public static Merge ToProto(this MergeRow row) => new()
    {
        MergeId = row.MergeId.ToString(),
        SourceBranch = row.SourceBranch,
        TargetBranch = row.TargetBranch,
        SourceSha = row.SourceSha,
        TargetSha = row.TargetSha,
        Strategy = row.Strategy,
        Status = row.Status,
        Conflicts = row.Conflicts,
        Unresolved = row.Unresolved,
        MergeCommitSha = row.MergeCommitSha ?? "",
        CreatedBy = row.CreatedBy,
        CreatedAt = ToTimestamp(row.CreatedAt),
    };

    public static RebaseResult ToProto(this RebaseRow row) => new()
    {
        RebasedCommitSha = row.RebasedCommitSha ?? "",
        Conflicts = row.Conflicts,
        ConflictObjects = { row.ConflictObjects },
        ConflictCommitSha = row.ConflictCommitSha ?? "",
        ReplayedCommits = row.ReplayedCommits,
        DroppedCommits = row.DroppedCommits,
        OldTipSha = row.OldTipSha,
    };

    public static CherryPickResponse ToProto(this CherryPickRow row) => new()
    {
        NewCommitSha = row.NewCommitSha ?? "",
        Conflicts = row.Conflicts,
        ConflictObjects = { row.ConflictObjects },
    };

    public static MergeRequest ToProto(this MergeRequestRow row) => new()
    {
        Id = row.MrId.ToString(),
        SourceBranch = row.SourceBranch,
        TargetBranch = row.TargetBranch,
        Title = row.Title,
        Description = row.Description ?? "",
        Reviewer = row.Reviewer ?? "",
        Status = row.Status,
        Conflicts = row.Conflicts,
        ConflictObjects = { row.ConflictObjects },
        Approvals = row.Approvals,
        RequiredApprovals = row.RequiredApprovals,
        ApprovedBy = { row.ApprovedBy },
        SourceSha = row.SourceSha,
        TargetSha = row.TargetSha,
        CheckedAt = ToTimestamp(row.CheckedAt),
        MergeCommitSha = row.MergeCommitSha ?? "",
        CreatedBy = row.CreatedBy,
        CreatedAt = ToTimestamp(row.CreatedAt),
        UpdatedAt = ToTimestamp(row.UpdatedAt),
        MergedBy = row.MergedBy ?? "",
        MergedAt = row.MergedAt is { } mergedAt ? ToTimestamp(mergedAt) : null,
        ClosedBy = row.ClosedBy ?? "",
        ClosedAt = row.ClosedAt is { } closedAt ? ToTimestamp(closedAt) : null,
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

    /// <summary>'CREATE' → Create, 'ALTER' → Alter, 'DROP' → Drop (DESIGN.md section 2); unspecified for anything else.</summary>
    public static ChangeType ChangeTypeFromSql(string changeType) => changeType switch
    {
        "CREATE" => ChangeType.Create,
        "ALTER" => ChangeType.Alter,
        "DROP" => ChangeType.Drop,
        _ => ChangeType.Unspecified,
    };
}
