using System.Management.Automation;
using System.Text.RegularExpressions;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Get-PgGitCommit over a real history: filters, lazy paging, pipeline binding, errors, views.</summary>
public sealed partial class CommitHistoryTests(HistoryFixture server) : IClassFixture<HistoryFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task First_five_where_author_is_alice_are_typed_commits_newest_first()
    {
        var result = _session.Run("Get-PgGitCommit -First 5 | Where-Object Author -eq 'alice'").Succeeded();

        Assert.Equal(["Add t7", "Add t5", "Add t3"], result.Values("Subject"));
        Assert.All(result.Output, commit =>
        {
            Assert.Equal("PgGitV0.PowerShell.PgGitCommit", commit.TypeName());
            Assert.Matches(Sha(), commit.Text("Sha"));
            Assert.Equal(commit.Text("Sha")[..12], commit.Text("ShortSha"));
            Assert.Equal("alice", commit.Text("Author"));
            Assert.IsType<DateTime>(commit.Get("CommittedAt"));
        });
        var mainTip = await server.Database.ScalarAsync<string>("SELECT target_sha FROM pggit_v0.refs WHERE name = 'main'");
        Assert.Equal(mainTip, result.Output[0].Text("Sha"));
    }

    [Fact]
    public void Each_commit_names_its_parent_and_the_history_is_the_first_parent_line()
    {
        var result = _session.Run("Get-PgGitCommit").Succeeded();

        Assert.Equal(HistoryFixture.MainCommits, result.Output.Count);
        for (var i = 0; i < result.Output.Count - 1; i++)
            Assert.Equal([result.Output[i + 1].Text("Sha")], (string[])result.Output[i].Get("ParentShas")!);
        Assert.Empty((string[])result.Output[^1].Get("ParentShas")!);
        Assert.Equal(Enumerable.Range(1, HistoryFixture.MainCommits).Reverse().Select(n => HistoryFixture.AuthorOf(n)), result.Values("Author"));
    }

    [Fact]
    public void Stopping_the_pipeline_early_fetches_no_further_page()
    {
        var before = server.Requests("HistoryService/ListCommits");
        var stopped = _session.Run("""
            $n = 0
            do { Get-PgGitCommit -PageSize 2 | ForEach-Object { $_; if (++$n -eq 3) { break } } } while ($false)
            """).Succeeded();
        var afterStop = server.Requests("HistoryService/ListCommits");
        var all = _session.Run("Get-PgGitCommit -PageSize 2").Succeeded();
        var afterAll = server.Requests("HistoryService/ListCommits");

        Assert.Equal(3, stopped.Output.Count);
        // Three commits need pages one and two; the third and fourth page are never requested.
        Assert.Equal(2, afterStop - before);
        Assert.Equal(HistoryFixture.MainCommits, all.Output.Count);
        Assert.Equal(4, afterAll - afterStop);
    }

    [Fact]
    public void First_asks_for_no_more_than_it_needs()
    {
        var before = server.Requests("HistoryService/ListCommits");
        var result = _session.Run("Get-PgGitCommit -First 3 -PageSize 2 -Verbose").Succeeded();

        Assert.Equal(3, result.Output.Count);
        Assert.Equal(2, server.Requests("HistoryService/ListCommits") - before);
        Assert.Collection(result.Verbose,
            first => Assert.Contains("page 1 (page size 2)", first.Message),
            second => Assert.Contains("page 2 (page size 1)", second.Message));
    }

    [Fact]
    public void Reading_several_pages_reports_progress_to_the_host()
    {
        _session.UI.Clear();
        _session.Run("Get-PgGitCommit -PageSize 2").Succeeded();

        var progress = _session.UI.Progress.Where(record => record.Activity == "Get-PgGitCommit").ToList();
        Assert.Equal(["Page 2, 2 commits so far", "Page 3, 4 commits so far", "Page 4, 6 commits so far"],
            progress.Where(record => record.RecordType == ProgressRecordType.Processing).Select(record => record.StatusDescription));
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
    }

    [Fact]
    public void Branch_author_and_since_filter_the_history()
    {
        var dev = _session.Run("Get-PgGitCommit -Branch dev -First 2").Succeeded();
        Assert.Equal(["Add d1 on dev", "Add t7"], dev.Values("Subject"));
        Assert.Equal("carol@example.com", dev.Output[0].Text("AuthorEmail"));

        Assert.Equal(["Add d1 on dev"], _session.Run("Get-PgGitCommit -Branch dev -Author 'CAR*'").Succeeded().Values("Subject"));
        Assert.Equal(["Add d1 on dev"], _session.Run("Get-PgGitCommit -Branch dev -Author carol@example.com").Succeeded().Values("Subject"));
        Assert.Equal(4, _session.Run("Get-PgGitCommit -Author alice").Succeeded().Output.Count);
        Assert.Empty(_session.Run("Get-PgGitCommit -Since ([datetime]::UtcNow.AddHours(1))").Succeeded().Output);
        Assert.Equal(HistoryFixture.MainCommits, _session.Run("Get-PgGitCommit -Since ([datetime]::UtcNow.AddHours(-1))").Succeeded().Output.Count);
    }

    [Fact]
    public void Commit_gets_one_commit_by_revision_or_prefix()
    {
        var parent = _session.Run("Get-PgGitCommit -Commit HEAD~1").Succeeded().Output.Single();
        Assert.Equal("Add t6", parent.Text("Subject"));

        var byPrefix = _session.Run("Get-PgGitCommit -Commit $args[0]", parent.Text("ShortSha")).Succeeded().Output.Single();
        Assert.Equal(parent.Text("Sha"), byPrefix.Text("Sha"));
    }

    [Fact]
    public void Commits_bind_Commit_by_Sha_and_branches_bind_Branch_by_Name()
    {
        var commits = _session.Run("Get-PgGitCommit -First 2 | Get-PgGitCommit").Succeeded();
        Assert.Equal(["Add t7", "Add t6"], commits.Values("Subject"));

        var tips = _session.Run("Get-PgGitBranch 'feature/*', dev | Get-PgGitCommit -First 1").Succeeded();
        Assert.Equal(["Add d1 on dev", "Add t7", "Add t7"], tips.Values("Subject"));
    }

    [Fact]
    public void An_unknown_commit_is_a_non_terminating_ObjectNotFound_error_with_the_servers_message()
    {
        var missing = new string('f', 64);
        var result = _session.Run("Get-PgGitCommit -Commit $args[0]", missing);

        Assert.Null(_session.Catch("Get-PgGitCommit -Commit $args[0]", missing));
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("NOT_FOUND,PgGitV0.PowerShell.Cmdlets.GetPgGitCommitCommand", error.FullyQualifiedErrorId);
        Assert.Equal(missing, error.TargetObject);
        Assert.Equal("PgGitException", error.Exception.GetType().Name);
        Assert.Contains(missing[..12], error.Exception.Message);
    }

    [Fact]
    public void The_default_table_view_fits_120_columns()
    {
        var lines = _session.RenderTable("Get-PgGitCommit -Branch dev");

        Assert.Matches(@"^Commit\s+CommittedAt \(UTC\)\s+Author\s+Subject\s*$", lines[0]);
        Assert.Contains(lines, line => line.Contains("Add d1 on dev") && line.Contains("carol"));
        Assert.Equal(HistoryFixture.MainCommits + 1 + 2, lines.Count);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha();
}
