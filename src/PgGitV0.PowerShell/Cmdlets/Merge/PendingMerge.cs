namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>What the cmdlets acting on a pending merge say they act on.</summary>
internal static class PendingMerge
{
    /// <summary>"merge &lt;id&gt;", or "the pending merge" when no id was given (the server takes the only one).</summary>
    public static string Describe(string? mergeId) => string.IsNullOrEmpty(mergeId) ? "the pending merge" : $"merge {mergeId}";
}
