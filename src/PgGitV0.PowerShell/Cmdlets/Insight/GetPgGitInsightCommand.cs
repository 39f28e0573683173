using System.Management.Automation;
using Google.Protobuf;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Gets one of the insight views: who changed what, how the schema grew, what is unmerged or orphaned.</summary>
/// <remarks>
/// <para>Reads one of pggit_v0's nine insight views through the server, one object per row, with a table
/// view per insight. One command with -Name rather than a command per view, so the views are discovered
/// by tab completion on one name and share its parameters:</para>
/// <para>RecentCommitsByAuthor (commits per author, all time and the last 7 and 30 days);
/// MostChangedObjects (objects changed most often); BranchComparison (every branch ahead/behind the
/// default branch, merged or not); DailyChangeSummary (creates, alters and drops per UTC day);
/// SchemaGrowthHistory (object count after each commit of the default branch); AuthorActivity (one row
/// per object change, newest first; -Author filters); CommitWithoutMessage (commits whose message is empty
/// or uninformative); OrphanedObjects (git objects nothing keeps, which a garbage collection would remove); LargeCommits
/// (commits that change many objects).</para>
/// <para>-First limits the rows of every view. Needs the reader role.</para>
/// </remarks>
/// <example>
/// <code>Get-PgGitInsight -Name BranchComparison</code>
/// <para>Shows every branch against the default branch: commits ahead and behind, and whether it is merged.</para>
/// </example>
/// <example>
/// <code>Get-PgGitInsight MostChangedObjects -First 5</code>
/// <para>Shows the five objects changed most often.</para>
/// </example>
/// <example>
/// <code>Get-PgGitInsight AuthorActivity -Author alice</code>
/// <para>Lists every object change alice made, newest first.</para>
/// </example>
/// <seealso cref="GetPgGitCommitCommand"/>
/// <seealso cref="GetPgGitObjectHistoryCommand"/>
[Cmdlet(VerbsCommon.Get, "PgGitInsight")]
[OutputType(
    PgGitInsight.TypeNamePrefix + RecentCommitsByAuthor, PgGitInsight.TypeNamePrefix + MostChangedObjects,
    PgGitInsight.TypeNamePrefix + BranchComparison, PgGitInsight.TypeNamePrefix + DailyChangeSummary,
    PgGitInsight.TypeNamePrefix + SchemaGrowthHistory, PgGitInsight.TypeNamePrefix + AuthorActivity,
    PgGitInsight.TypeNamePrefix + CommitWithoutMessage, PgGitInsight.TypeNamePrefix + OrphanedObjects,
    PgGitInsight.TypeNamePrefix + LargeCommits)]
public sealed class GetPgGitInsightCommand : PgGitServerCmdlet
{
    private const string RecentCommitsByAuthor = nameof(RecentCommitsByAuthor);
    private const string MostChangedObjects = nameof(MostChangedObjects);
    private const string BranchComparison = nameof(BranchComparison);
    private const string DailyChangeSummary = nameof(DailyChangeSummary);
    private const string SchemaGrowthHistory = nameof(SchemaGrowthHistory);
    private const string AuthorActivity = nameof(AuthorActivity);
    private const string CommitWithoutMessage = nameof(CommitWithoutMessage);
    private const string OrphanedObjects = nameof(OrphanedObjects);
    private const string LargeCommits = nameof(LargeCommits);
    private const int PageSize = 1000;

    /// <summary>The insight view to read.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet(RecentCommitsByAuthor, MostChangedObjects, BranchComparison, DailyChangeSummary, SchemaGrowthHistory,
        AuthorActivity, CommitWithoutMessage, OrphanedObjects, LargeCommits)]
    public string Name { get; set; } = "";

    /// <summary>Only changes by this author (name or email, case-insensitive); AuthorActivity only.</summary>
    /// <value>every author</value>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Author { get; set; }

    /// <summary>The most rows to output.</summary>
    /// <value>every row</value>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Name;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        // ValidateSet matches case-insensitively; the type names use the canonical spelling.
        var view = new[] { RecentCommitsByAuthor, MostChangedObjects, BranchComparison, DailyChangeSummary, SchemaGrowthHistory,
            AuthorActivity, CommitWithoutMessage, OrphanedObjects, LargeCommits }.Single(name => name.Equals(Name, StringComparison.OrdinalIgnoreCase));
        if (Author is not null && view != AuthorActivity)
        {
            WriteError(new ErrorRecord(new ArgumentException($"-Author filters AuthorActivity only, not {view}; filter other views with Where-Object."),
                "AuthorNotSupported", ErrorCategory.InvalidArgument, view));
            return;
        }

        foreach (var row in Rows(view).Take(First ?? int.MaxValue)) WriteObject(PgGitInsight.ToPSObject(view, row));
    }

    private IEnumerable<IMessage> Rows(string view)
    {
        var analytics = Connection.Analytics;
        switch (view)
        {
            case RecentCommitsByAuthor:
                return Call(options => analytics.ListRecentCommitsByAuthorAsync(new(), options)).Authors;
            case BranchComparison:
                return Call(options => analytics.ListBranchComparisonAsync(new(), options)).Branches;
            case DailyChangeSummary:
                return Call(options => analytics.ListDailyChangeSummaryAsync(new(), options)).Days;
            case SchemaGrowthHistory:
                return Call(options => analytics.ListSchemaGrowthHistoryAsync(new(), options)).Points;
            case CommitWithoutMessage:
                return Call(options => analytics.ListCommitsWithoutMessageAsync(new(), options)).Commits;
            case LargeCommits:
                return Call(options => analytics.ListLargeCommitsAsync(new(), options)).Commits;
            case MostChangedObjects:
                return Pages(token =>
                {
                    var page = Call(options => analytics.ListMostChangedObjectsAsync(new() { PageSize = PageSize, PageToken = token }, options));
                    return (page.Objects, page.NextPageToken);
                });
            case AuthorActivity:
                return Pages(token =>
                {
                    var request = new ListAuthorActivityRequest { Author = Author ?? "", PageSize = PageSize, PageToken = token };
                    var page = Call(options => analytics.ListAuthorActivityAsync(request, options));
                    return (page.Activities, page.NextPageToken);
                });
            default:
                return Pages(token =>
                {
                    var page = Call(options => analytics.ListOrphanedObjectsAsync(new() { PageSize = PageSize, PageToken = token }, options));
                    return (page.Objects, page.NextPageToken);
                });
        }
    }

    /// <summary>Reads pages lazily, so -First stops asking for more.</summary>
    private static IEnumerable<IMessage> Pages<T>(Func<string, (IEnumerable<T> Rows, string NextPageToken)> read) where T : IMessage
    {
        var token = "";
        do
        {
            var (rows, next) = read(token);
            foreach (var row in rows) yield return row;
            token = next;
        } while (token.Length > 0);
    }
}
