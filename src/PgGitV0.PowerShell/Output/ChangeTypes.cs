using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>The change_type vocabulary of DESIGN.md section 2, as cmdlets show it.</summary>
internal static class ChangeTypes
{
    public static string Name(ChangeType type) => type switch
    {
        ChangeType.Create => "CREATE",
        ChangeType.Alter => "ALTER",
        ChangeType.Drop => "DROP",
        _ => type.ToString().ToUpperInvariant(),
    };
}
