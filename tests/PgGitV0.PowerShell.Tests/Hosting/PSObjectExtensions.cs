using System.Management.Automation;

namespace PgGitV0.PowerShell.Tests.Hosting;

public static class PSObjectExtensions
{
    public static object? Get(this PSObject item, string property) => item.Properties[property]?.Value;

    public static string Text(this PSObject item, string property) => item.Get(property)?.ToString() ?? "";

    /// <summary>The .NET type's full name, e.g. PgGitV0.PowerShell.PgGitCommit.</summary>
    public static string TypeName(this PSObject item) => item.BaseObject.GetType().FullName!;
}
