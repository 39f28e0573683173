using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Resolves a conflict of a pending merge.</summary>
/// <remarks>
/// <para>Resolves one conflicting object of a pending merge, as pggit_v0.resolve_conflict() does in SQL: with
/// the source's version (Source), the target's (Target), or DDL of your own (Manual with -Ddl; it is
/// syntax-checked, never executed). Resolving an object again replaces its resolution.</para>
/// <para>When it was the merge's last unresolved conflict, the merge completes: the merge commit is written
/// and reported in the result's MergeCommitSha. Conflicts from Get-PgGitConflict bind -MergeId and
/// -ObjectPath by property name. Without -MergeId the only pending merge with a conflict on -ObjectPath is
/// meant; when there are several that is an InvalidArgument error naming them, and so is an empty -MergeId,
/// e.g. from a Test-PgGitMerge prediction. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitConflict -MergeId $merge.MergeId | Resolve-PgGitConflict -Strategy Source</code>
/// <para>Takes the source's version of every conflicting object; the last one completes the merge.</para>
/// </example>
/// <example>
/// <code>Resolve-PgGitConflict -ObjectPath public/tables/orders.sql -Strategy Manual -Ddl 'CREATE TABLE public.orders (id bigint);'</code>
/// <para>Resolves orders in the only pending merge with a definition of your own.</para>
/// </example>
/// <seealso cref="GetPgGitConflictCommand"/>
/// <seealso cref="CompletePgGitMergeCommand"/>
/// <seealso cref="StopPgGitMergeCommand"/>
[Cmdlet(VerbsDiagnostic.Resolve, "PgGitConflict", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitConflictResolution))]
public sealed class ResolvePgGitConflictCommand : PgGitServerCmdlet
{
    /// <summary>The pending merge.</summary>
    /// <value>the only pending merge</value>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MergeId { get; set; }

    /// <summary>The conflicting object's path, e.g. public/tables/orders.sql.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string ObjectPath { get; set; } = "";

    /// <summary>Source takes the merged-in branch's version, Target keeps the target's, Manual uses -Ddl.</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet("Source", "Target", "Manual")]
    public string Strategy { get; set; } = "";

    /// <summary>The object's DDL, with -Strategy Manual only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Ddl { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => ObjectPath;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var manual = Strategy.Equals("Manual", StringComparison.OrdinalIgnoreCase);
        if (manual != Ddl is not null)
        {
            var message = manual
                ? $"-Strategy Manual needs the object's DDL in -Ddl; pass -Ddl, or resolve '{ObjectPath}' with -Strategy Source or Target."
                : $"-Ddl is used only with -Strategy Manual; drop -Ddl to resolve '{ObjectPath}' with {Strategy}.";
            WriteError(new ErrorRecord(new ArgumentException(message), "PgGitDdlWithoutManual", ErrorCategory.InvalidArgument, ObjectPath));
            return;
        }

        if (PendingMerge.BoundToNothing(this, MergeId))
        {
            WriteError(PendingMerge.NoMergeError(ObjectPath));
            return;
        }
        var merge = PendingMerge.Describe(MergeId);
        if (!ShouldProcess($"'{ObjectPath}' in {merge} at {Connection.Endpoint}", $"Resolve conflict with {Strategy}")) return;

        var response = Call(options => Connection.Merging.ResolveConflictAsync(new ResolveConflictRequest
        {
            MergeId = MergeId ?? "",
            ObjectPath = ObjectPath,
            Strategy = manual ? "manual_ddl" : Strategy.ToLowerInvariant(),
            ManualDdl = Ddl ?? "",
        }, options));
        var resolution = new PgGitConflictResolution
        {
            MergeId = response.MergeId,
            ObjectPath = ObjectPath,
            Strategy = Strategy,
            Unresolved = response.Unresolved,
            MergeCommitSha = Optional.Text(response.MergeCommitSha),
        };
        if (resolution.Completed) WriteVerbose($"Merge {resolution.MergeId} completed with commit {resolution.ShortMergeCommitSha}");
        WriteObject(resolution);
    }
}
