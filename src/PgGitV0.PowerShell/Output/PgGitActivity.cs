using System.Collections;
using Google.Protobuf.WellKnownTypes;
using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>One activity event: one write to the repository (a commit, a branch created, a ref moved, ...).</summary>
public sealed class PgGitActivity
{
    /// <summary>The event's id, increasing in commit order; pass it to Watch-PgGitActivity -AfterId to resume.</summary>
    public required long Id { get; init; }

    /// <summary>What happened: commit, create_branch, update_ref, ...</summary>
    public required string Kind { get; init; }

    /// <summary>The branch or tag concerned; empty when the event concerns no ref.</summary>
    public required string RefName { get; init; }

    /// <summary>The commit concerned, e.g. the ref's new target; empty when none.</summary>
    public required string Sha { get; init; }

    /// <summary>Who acted: the API key's name for calls through the server, else the database user.</summary>
    public required string Actor { get; init; }

    /// <summary>When the event's transaction ran (UTC).</summary>
    public required DateTime? At { get; init; }

    /// <summary>Kind-specific details, e.g. message and changed_paths for a commit.</summary>
    public required Hashtable Details { get; init; }

    /// <summary>The event's id and kind.</summary>
    public override string ToString() => $"{Id} {Kind}";

    internal static PgGitActivity FromProto(ActivityEvent activity) => new()
    {
        Id = activity.Id,
        Kind = activity.Kind,
        RefName = activity.RefName,
        Sha = activity.Sha,
        Actor = activity.Actor,
        At = Times.Utc(activity.At),
        Details = activity.Details is null ? new Hashtable() : ToHashtable(activity.Details),
    };

    private static Hashtable ToHashtable(Struct value)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, field) in value.Fields) table[key] = ToObject(field);
        return table;
    }

    private static object? ToObject(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => value.StringValue,
        // JSON numbers arrive as doubles; whole numbers read better as integers.
        Value.KindOneofCase.NumberValue when value.NumberValue == Math.Floor(value.NumberValue) && Math.Abs(value.NumberValue) < 9e15 => (long)value.NumberValue,
        Value.KindOneofCase.NumberValue => value.NumberValue,
        Value.KindOneofCase.BoolValue => value.BoolValue,
        Value.KindOneofCase.StructValue => ToHashtable(value.StructValue),
        Value.KindOneofCase.ListValue => value.ListValue.Values.Select(ToObject).ToArray(),
        _ => null,
    };
}
