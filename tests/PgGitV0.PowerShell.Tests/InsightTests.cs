using System.Management.Automation;
using System.Xml.Linq;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Get-PgGitInsight: each of the nine insight views, row for row as SQL sees it, with a table view that fits.</summary>
public sealed class InsightTests(InsightFixture server) : IClassFixture<InsightFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    [Theory]
    [InlineData("RecentCommitsByAuthor", "recent_commits_by_author")]
    [InlineData("MostChangedObjects", "most_changed_objects")]
    [InlineData("BranchComparison", "branch_comparison")]
    [InlineData("DailyChangeSummary", "daily_change_summary")]
    [InlineData("SchemaGrowthHistory", "schema_growth_history")]
    [InlineData("AuthorActivity", "author_activity")]
    [InlineData("CommitWithoutMessage", "commit_without_message")]
    [InlineData("OrphanedObjects", "orphaned_objects")]
    [InlineData("LargeCommits", "large_commits")]
    public async Task Each_view_gives_its_rows_with_the_properties_its_table_view_shows(string name, string sqlView)
    {
        var result = _session.Run("Get-PgGitInsight -Name $args[0]", name).Succeeded();

        Assert.NotEmpty(result.Output);
        Assert.Equal(await server.Database.ScalarAsync<long>($"SELECT count(*) FROM pggit_v0.{sqlView}"), result.Output.Count);
        var typeName = "PgGitV0.PowerShell.Insight." + name;
        Assert.All(result.Output, row => Assert.Equal(typeName, row.TypeNames[0]));

        var format = XDocument.Load(Path.Combine(ModuleSession.ModuleFolder, "PgGitV0.format.ps1xml"));
        var view = format.Descendants("View").Single(view => (string)view.Element("ViewSelectedBy")!.Element("TypeName")! == typeName);
        var properties = result.Output[0].Properties.Select(property => property.Name).ToHashSet();
        Assert.All(view.Descendants("PropertyName").Select(property => property.Value), property => Assert.Contains(property, properties));
        _session.RenderTable("Get-PgGitInsight $args[0]", name);
    }

    [Fact]
    public async Task Rows_carry_the_views_values_and_First_and_Author_narrow_them()
    {
        var branches = _session.Run("Get-PgGitInsight BranchComparison").Succeeded();
        var expected = await server.Database.QueryAsync<(string Branch, long Ahead, bool Merged)>(
            "SELECT branch_name, ahead, merged FROM pggit_v0.branch_comparison ORDER BY branch_name");
        Assert.Equal(expected.Select(row => row.Branch), branches.Values("BranchName").Cast<string>());
        Assert.Equal(expected.Select(row => row.Ahead), branches.Values("Ahead").Cast<long>());
        Assert.Equal(expected.Select(row => row.Merged), branches.Values("Merged").Cast<bool>());

        var wip = Assert.Single(_session.Run("Get-PgGitInsight CommitWithoutMessage").Succeeded().Output);
        Assert.Equal("wip", wip.Text("Message"));
        Assert.Equal("dave", wip.Text("Author"));

        Assert.Equal(2, _session.Run("Get-PgGitInsight MostChangedObjects -First 2").Succeeded().Output.Count);
        var carol = _session.Run("Get-PgGitInsight AuthorActivity -Author carol").Succeeded();
        var change = Assert.Single(carol.Output);
        Assert.Equal("CREATE", change.Text("ChangeType"));
        Assert.Equal("public/tables/d1.sql", change.Text("ObjectPath"));
        Assert.IsType<DateTime>(change.Get("CommittedAt"));
    }

    [Fact]
    public void Author_on_another_view_and_an_unknown_view_are_InvalidArgument()
    {
        var author = Assert.Single(_session.Run("Get-PgGitInsight LargeCommits -Author carol").Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, author.CategoryInfo.Category);

        var unknown = _session.Catch("Get-PgGitInsight -Name Nope");
        Assert.NotNull(unknown);
        Assert.Equal(ErrorCategory.InvalidData, unknown.CategoryInfo.Category);
    }
}
