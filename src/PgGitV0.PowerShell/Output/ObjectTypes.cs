using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>The object_type vocabulary of DESIGN.md section 2, as cmdlets show and accept it.</summary>
internal static class ObjectTypes
{
    private static readonly Dictionary<ObjectType, string> Names = new()
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

    private static readonly Dictionary<string, ObjectType> Types =
        Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    public static string Name(ObjectType type) => Names.TryGetValue(type, out var name) ? name : type.ToString().ToUpperInvariant();

    public static ObjectType Parse(string? name) =>
        name is null ? ObjectType.Unspecified : Types.TryGetValue(name, out var type) ? type : ObjectType.Unspecified;
}
