using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets commits: a branch's history newest first, or one commit.</summary>
/// <remarks>
/// <para>Without -Commit, lists the commits along a branch's first-parent line, newest first (like
/// git log --first-parent), optionally only those of one author or since a time. Commits are fetched a
/// page at a time as the pipeline consumes them: when a later command stops the pipeline early, or
/// -First is reached, no further page is requested.</para>
/// <para>With -Commit, gets that one commit. Anything that names a commit is accepted: a branch, a tag,
/// a full or unique-prefix id, HEAD, or any of them followed by ~n. Commit objects bind -Commit by
/// their Sha property, branch objects bind -Branch by their Name.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitCommit -First 5 | Where-Object Author -eq 'alice'</code>
/// <para>Shows which of the five newest commits on the checked-out branch alice made.</para>
/// </example>
/// <example>
/// <code>Get-PgGitCommit -Branch dev -Since (Get-Date).AddDays(-7) -Author 'a*'</code>
/// <para>Lists last week's commits on dev by authors whose name or email starts with a.</para>
/// </example>
/// <example>
/// <code>Get-PgGitCommit -Commit HEAD~1</code>
/// <para>Gets the parent of the checked-out branch's head.</para>
/// </example>
/// <example>
/// <code>Get-PgGitBranch 'feature/*' | Get-PgGitCommit -First 1</code>
/// <para>Shows the newest commit of every feature branch.</para>
/// </example>
/// <seealso cref="NewPgGitCommitCommand"/>
/// <seealso cref="GetPgGitObjectCommand"/>
/// <seealso cref="GetPgGitBranchCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitCommit", DefaultParameterSetName = ListSet)]
[OutputType(typeof(PgGitCommit))]
public sealed class GetPgGitCommitCommand : PgGitServerCmdlet
{
    private const string ListSet = "List";
    private const string CommitSet = "Commit";

    /// <summary>Where the history starts: a branch name or any commit-naming revision.</summary>
    /// <value>HEAD, the checked-out branch</value>
    [Parameter(ParameterSetName = ListSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    public string? Branch { get; set; }

    /// <summary>The most commits to return.</summary>
    /// <value>all of them</value>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>Only commits whose author name or email matches (case-insensitive; wildcards allowed).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Author { get; set; }

    /// <summary>Only commits made at or after this time (local time unless the value says otherwise).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime? Since { get; set; }

    /// <summary>How many commits to request per call to the server (1 to 1000).</summary>
    /// <value>100</value>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>The one commit to get: a full or unique-prefix id, a branch, a tag, HEAD, or name~n.</summary>
    [Parameter(ParameterSetName = CommitSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Sha")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Commit { get; set; } = "";

    /// <inheritdoc />
    protected override object? ErrorTarget => ParameterSetName == CommitSet ? Commit : Branch;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (ParameterSetName == CommitSet)
        {
            WriteObject(PgGitCommit.FromProto(Call(options => Connection.History.GetCommitAsync(new GetCommitRequest { Ref = Commit }, options))));
            return;
        }
        WriteHistory();
    }

    private void WriteHistory()
    {
        // The server filters exact authors; a wildcard pattern is matched here, so -First counts matches.
        var authorPattern = Author is not null && WildcardPattern.ContainsWildcardCharacters(Author)
            ? new WildcardPattern(Author, WildcardOptions.IgnoreCase)
            : null;
        var request = new ListCommitsRequest
        {
            Branch = Branch ?? "",
            Author = authorPattern is null ? Author ?? "" : "",
            Since = Since is { } since ? Times.ToProto(since) : null,
        };
        var progress = new ProgressRecord(2, "Get-PgGitCommit", $"Reading the history of {(Branch is null or "" ? "HEAD" : Branch)}");
        var written = 0;
        var page = 0;
        do
        {
            // Never ask for more than -First still needs: the last page is exactly as large as required.
            request.PageSize = First is { } first && authorPattern is null ? Math.Min(PageSize, first - written) : PageSize;
            page++;
            WriteVerbose($"ListCommits page {page} (page size {request.PageSize}) from {Connection.Endpoint}");
            if (page > 1)
            {
                progress.StatusDescription = $"Page {page}, {written} commits so far";
                WriteProgress(progress);
            }
            var response = Call(options => Connection.History.ListCommitsAsync(request, options));
            foreach (var commit in response.Commits.Select(PgGitCommit.FromProto))
            {
                if (authorPattern is not null && !authorPattern.IsMatch(commit.Author) && !authorPattern.IsMatch(commit.AuthorEmail)) continue;
                WriteObject(commit);
                if (++written == First) break;
            }
            request.PageToken = response.NextPageToken;
        } while (request.PageToken.Length > 0 && written != First);

        if (page > 1)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
