using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Get-PgGitBranch, branch-name tab completion, and -Endpoint without a session connection.</summary>
public sealed class BranchTests(HistoryFixture server) : IClassFixture<HistoryFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task Lists_every_branch_in_name_order_with_the_checked_out_one_marked()
    {
        var result = _session.Run("Get-PgGitBranch").Succeeded();

        Assert.Equal(["dev", "feature/a", "feature/b", "main"], result.Values("Name"));
        Assert.All(result.Output, branch => Assert.Equal("PgGitV0.PowerShell.PgGitBranch", branch.TypeName()));
        Assert.Equal([false, false, false, true], result.Values("CheckedOut"));
        var devTip = await server.Database.ScalarAsync<string>("SELECT target_sha FROM pggit_v0.refs WHERE name = 'dev'");
        Assert.Equal(devTip, result.Output[0].Text("HeadSha"));
    }

    [Fact]
    public void Name_takes_wildcards_and_an_unknown_exact_name_is_ObjectNotFound()
    {
        Assert.Equal(["feature/a", "feature/b"], _session.Run("Get-PgGitBranch -Name 'FEATURE/*'").Succeeded().Values("Name"));
        Assert.Equal(["main"], _session.Run("'main' | Get-PgGitBranch").Succeeded().Values("Name"));

        var result = _session.Run("Get-PgGitBranch -Name dev, nope");
        Assert.Equal(["dev"], result.Values("Name"));
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
        Assert.Equal("NOT_FOUND,PgGitV0.PowerShell.Cmdlets.GetPgGitBranchCommand", error.FullyQualifiedErrorId);
        Assert.Equal("Branch 'nope' not found; list branches with Get-PgGitBranch.", error.Exception.Message);
    }

    [Theory]
    [InlineData("Get-PgGitCommit -Branch fea", new[] { "feature/a", "feature/b" })]
    [InlineData("Get-PgGitBranch ma", new[] { "main" })]
    [InlineData("Get-PgGitObject -Commit d", new[] { "dev" })]
    [InlineData("Watch-PgGitActivity -Branch 'feature/", new[] { "feature/a", "feature/b" })]
    public void Branch_names_complete_through_the_current_connection(string input, string[] expected)
    {
        using var shell = _session.Create("");
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Equal(expected, completion.CompletionMatches.Select(match => match.CompletionText));
    }

    [Fact]
    public void Endpoint_works_without_a_session_connection()
    {
        using var unconnected = ModuleSession.Start();

        var result = unconnected.Run("Get-PgGitBranch -Endpoint $args[0] -Name main", server.Endpoint).Succeeded();

        Assert.Equal(["main"], result.Values("Name"));
        var input = $"Get-PgGitBranch -Endpoint {server.Endpoint} -Name fe";
        using var shell = unconnected.Create("");
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);
        Assert.Equal(["feature/a", "feature/b"], completion.CompletionMatches.Select(match => match.CompletionText));
    }

    [Fact]
    public void The_default_table_view_fits_120_columns()
    {
        var lines = _session.RenderTable("Get-PgGitBranch");

        Assert.Matches(@"^\*\s+Name\s+Head\s+UpdatedAt \(UTC\)\s+CreatedBy\s*$", lines[0]);
        Assert.Contains(lines, line => line.StartsWith("* main "));
    }
}
