using System.Management.Automation;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>How the cmdlets acting on a pending merge name it.</summary>
internal static class PendingMerge
{
    /// <summary>"merge &lt;id&gt;", or "the pending merge" when no id was given (the server takes the only one).</summary>
    public static string Describe(string? mergeId) => string.IsNullOrEmpty(mergeId) ? "the pending merge" : $"merge {mergeId}";

    /// <summary>
    /// True when -MergeId was bound, typically from the pipeline, to nothing: the input was a prediction
    /// (Test-PgGitMerge) or a merge that did not stop on conflicts. Leaving it out would mean "the only
    /// pending merge", which is some other merge, so such input must not act.
    /// </summary>
    public static bool BoundToNothing(PSCmdlet cmdlet, string? mergeId) =>
        string.IsNullOrEmpty(mergeId) && cmdlet.MyInvocation.BoundParameters.ContainsKey("MergeId");

    /// <summary>The error for input whose MergeId is empty.</summary>
    public static ErrorRecord NoMergeError(object? target) => new(
        new ArgumentException("The input names no pending merge (its MergeId is empty: a prediction from Test-PgGitMerge, or a merge that did not conflict); " +
            "pass the MergeId of a merge that stopped on conflicts, or leave -MergeId out to mean the only pending merge."),
        "PgGitNoPendingMerge", ErrorCategory.InvalidArgument, target);
}
