using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Rebases a branch onto another commit.</summary>
/// <remarks>
/// <para>With -Rebase, replays the branch's commits since its merge base with -Onto on top of -Onto, as
/// pggit_v0.rebase_branch_detailed() does in SQL, keeping each commit's author, message and time. Commits
/// whose change -Onto already has are dropped. The server reports each replayed commit, shown as
/// progress; the result says how many commits were replayed and dropped, with the new and the old tip
/// (the old one stays in the ref log).</para>
/// <para>On the first conflict nothing moves: the command writes no result but a non-terminating
/// InvalidOperation error (id RebaseConflict) naming the commit and the paths, whose TargetObject is the
/// result with Conflicts set. -ErrorAction Stop makes it end a script. The checked-out branch cannot be
/// rebased (InvalidOperation). -WhatIf says what would be rebased and writes nothing. Needs the writer
/// role.</para>
/// </remarks>
/// <example>
/// <code>Update-PgGitBranch -Name feature/orders -Rebase</code>
/// <para>Replays feature/orders onto the default branch's tip.</para>
/// </example>
/// <example>
/// <code>Get-PgGitBranch 'feature/*' | Update-PgGitBranch -Rebase -Onto release</code>
/// <para>Rebases every feature branch onto release.</para>
/// </example>
/// <seealso cref="MergePgGitBranchCommand"/>
/// <seealso cref="CopyPgGitCommitCommand"/>
[Cmdlet(VerbsData.Update, "PgGitBranch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = RebaseSet)]
[OutputType(typeof(PgGitRebaseResult))]
public sealed class UpdatePgGitBranchCommand : PgGitServerCmdlet
{
    private const string RebaseSet = "Rebase";

    /// <summary>The branch to update; not the checked-out branch.</summary>
    [Parameter(ParameterSetName = RebaseSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Branch")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Rebases the branch: replays its own commits on top of -Onto.</summary>
    [Parameter(ParameterSetName = RebaseSet, Mandatory = true)]
    public SwitchParameter Rebase { get; set; }

    /// <summary>Where to replay the branch: a branch, tag, sha or unique prefix, HEAD, or any of them followed by ~n.</summary>
    /// <value>the default branch</value>
    [Parameter(ParameterSetName = RebaseSet)]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Onto { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Name;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (!Rebase)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Update-PgGitBranch only rebases; pass -Rebase to replay '{Name}' onto -Onto."),
                "PgGitNoUpdate", ErrorCategory.InvalidArgument, Name));
            return;
        }
        var onto = Onto ?? "";
        if (!ShouldProcess($"branch '{Name}' at {Connection.Endpoint}", $"Rebase onto {(onto.Length == 0 ? "the default branch" : onto)}")) return;

        using var call = Connection.Merging.RebaseBranch(new RebaseBranchRequest { Branch = Name, Onto = onto }, Connection.Options(StopToken));
        var progress = new ProgressRecord(6, "Update-PgGitBranch", $"Rebasing '{Name}'");
        RebaseResult? result = null;
        while (Await(call.ResponseStream.MoveNext(StopToken)))
        {
            var message = call.ResponseStream.Current;
            if (message.EventCase == RebaseBranchEvent.EventOneofCase.Progress)
            {
                var (done, total) = (message.Progress.Done, message.Progress.Total);
                progress.StatusDescription = $"{done} of {total} commits replayed";
                progress.PercentComplete = total > 0 ? Math.Min(100, done * 100 / total) : -1;
                WriteProgress(progress);
            }
            else if (message.EventCase == RebaseBranchEvent.EventOneofCase.Result)
            {
                result = message.Result;
            }
        }
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);

        if (result is null)
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"The server ended the rebase of '{Name}' without a result; check the branch with Get-PgGitBranch -Name '{Name}'."),
                "PgGitRebaseWithoutResult", ErrorCategory.ProtocolError, Name));
            return;
        }
        var rebased = PgGitRebaseResult.FromProto(result, Name, onto);
        if (rebased.Conflicts)
        {
            var message = $"Rebasing '{Name}' stopped on conflicts replaying {PgGitCommit.Abbreviate(rebased.ConflictCommitSha ?? "")} " +
                $"({string.Join(", ", rebased.ConflictObjects)}); the branch did not move. Merge instead with Merge-PgGitBranch, or change the branch first.";
            WriteError(new ErrorRecord(new InvalidOperationException(message), "RebaseConflict", ErrorCategory.InvalidOperation, rebased));
            return;
        }
        WriteVerbose($"Rebased '{Name}': {rebased.ReplayedCommits} commits replayed, {rebased.DroppedCommits} dropped, now at {rebased.ShortHeadSha}");
        WriteObject(rebased);
    }
}
