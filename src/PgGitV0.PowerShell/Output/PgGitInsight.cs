using System.Management.Automation;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>
/// Rows of the insight views as PowerShell objects: one property per field of the view's message, named
/// as the message names it (commit_sha becomes CommitSha), timestamps as UTC DateTime, object and change
/// types in DESIGN.md's vocabulary. Each row's type name is PgGitV0.PowerShell.Insight.&lt;View&gt;, which
/// the format file gives a table view.
/// </summary>
internal static class PgGitInsight
{
    public const string TypeNamePrefix = "PgGitV0.PowerShell.Insight.";

    public static PSObject ToPSObject(string view, IMessage row)
    {
        var item = new PSObject();
        foreach (var field in row.Descriptor.Fields.InFieldNumberOrder())
        {
            item.Properties.Add(new PSNoteProperty(field.PropertyName, Value(field, field.Accessor.GetValue(row))));
        }
        item.TypeNames.Insert(0, TypeNamePrefix + view);
        return item;
    }

    private static object? Value(FieldDescriptor field, object? value) => value switch
    {
        Timestamp timestamp => Times.Utc(timestamp),
        ObjectType type => ObjectTypes.Name(type),
        ChangeType change => ChangeTypes.Name(change),
        null when field.FieldType == FieldType.Message => null,
        _ => value,
    };
}
