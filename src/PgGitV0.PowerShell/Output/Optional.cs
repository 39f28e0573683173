namespace PgGitV0.PowerShell;

internal static class Optional
{
    /// <summary>proto3 strings cannot be null; an empty one means "none", which output objects show as null.</summary>
    public static string? Text(string value) => value.Length == 0 ? null : value;
}
