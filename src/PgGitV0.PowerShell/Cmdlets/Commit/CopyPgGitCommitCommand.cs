using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Applies a commit's change to a branch (cherry-pick).</summary>
/// <remarks>
/// <para>Applies the change a commit made (its diff against its first parent) to -Branch as a new commit,
/// as pggit_v0.cherry_pick() does in SQL, with the same per-object rules as a merge. When the branch
/// already has the change, nothing is written and the result names the branch's unchanged tip.</para>
/// <para>When the change conflicts nothing is written: the command writes no result but a
/// non-terminating InvalidOperation error (id CherryPickConflict) naming the paths, whose TargetObject is
/// the result with Conflicts set. Commits from Get-PgGitCommit bind -Commit by their Sha; piped in,
/// they are applied in the order they arrive. The checked-out branch cannot be the target
/// (InvalidOperation). Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Copy-PgGitCommit -Commit 3f2a9c1d -Branch release</code>
/// <para>Applies commit 3f2a9c1d's change to release.</para>
/// </example>
/// <example>
/// <code>Get-PgGitCommit -Branch hotfix -First 1 | Copy-PgGitCommit -Branch release</code>
/// <para>Applies the newest commit of hotfix to release.</para>
/// </example>
/// <seealso cref="UpdatePgGitBranchCommand"/>
/// <seealso cref="MergePgGitBranchCommand"/>
[Cmdlet(VerbsCommon.Copy, "PgGitCommit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitCherryPickResult))]
public sealed class CopyPgGitCommitCommand : PgGitServerCmdlet
{
    /// <summary>The commit whose change to apply: a sha or unique prefix, a branch, a tag, HEAD, or name~n.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Sha")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Commit { get; set; } = "";

    /// <summary>The branch to apply it to; not the checked-out branch.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Branch { get; set; } = "";

    /// <inheritdoc />
    protected override object? ErrorTarget => Commit;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (!ShouldProcess($"branch '{Branch}' at {Connection.Endpoint}", $"Apply the change of commit {PgGitCommit.Abbreviate(Commit)}")) return;

        var response = Call(options => Connection.Merging.CherryPickAsync(new CherryPickRequest { Commit = Commit, Branch = Branch }, options));
        var result = new PgGitCherryPickResult
        {
            Commit = Commit,
            Branch = Branch,
            NewCommitSha = Optional.Text(response.NewCommitSha),
            Conflicts = response.Conflicts,
            ConflictObjects = [.. response.ConflictObjects],
        };
        if (result.Conflicts)
        {
            var message = $"Applying commit {PgGitCommit.Abbreviate(Commit)} to '{Branch}' conflicts on {string.Join(", ", result.ConflictObjects)}; " +
                "nothing was written. Merge the commit's branch with Merge-PgGitBranch instead, or change the branch first.";
            WriteError(new ErrorRecord(new InvalidOperationException(message), "CherryPickConflict", ErrorCategory.InvalidOperation, result));
            return;
        }
        WriteObject(result);
    }
}
