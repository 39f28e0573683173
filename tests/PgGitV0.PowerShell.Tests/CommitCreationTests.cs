using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>New-PgGitCommit: committing the live schema, -WhatIf, -Confirm, progress, nothing to commit.</summary>
public sealed class CommitCreationTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    private Task<long> CommitCountAsync() => server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph");

    [Fact]
    public async Task Commits_the_live_schema_and_outputs_the_typed_commit_with_progress()
    {
        await server.Database.ExecuteAsync("CREATE TABLE public.created_here (id integer)");
        _session.UI.Clear();

        var result = _session.Run("New-PgGitCommit -Message 'Add created_here' -Author 'alice <alice@example.com>'").Succeeded();

        var commit = Assert.Single(result.Output);
        Assert.Equal("PgGitV0.PowerShell.PgGitCommit", commit.TypeName());
        Assert.Equal("Add created_here", commit.Text("Message"));
        Assert.Equal("alice", commit.Text("Author"));
        Assert.Equal("alice@example.com", commit.Text("AuthorEmail"));
        Assert.Equal(commit.Text("Sha"), await server.Database.ScalarAsync<string>("SELECT target_sha FROM pggit_v0.refs WHERE name = 'main'"));
        var progress = _session.UI.Progress.Where(record => record.Activity == "New-PgGitCommit").ToList();
        Assert.Equal([ProgressRecordType.Processing, ProgressRecordType.Completed], progress.Select(record => record.RecordType));
    }

    [Fact]
    public async Task WhatIf_says_what_would_happen_and_commits_nothing()
    {
        await server.Database.ExecuteAsync("CREATE TABLE public.what_if (id integer)");
        var before = await CommitCountAsync();
        _session.UI.Clear();

        var result = _session.Run("New-PgGitCommit -Message 'Add what_if' -WhatIf").Succeeded();

        Assert.Empty(result.Output);
        Assert.Contains("What if: Performing the operation \"Commit the live schema with message 'Add what_if'\" on target \"the checked-out branch at "
                        + server.Endpoint.TrimEnd('/'), _session.UI.Text);
        Assert.Equal(before, await CommitCountAsync());
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph WHERE message LIKE 'Add what_if%'"));
    }

    [Fact]
    public async Task Confirm_asks_first_and_No_commits_nothing_while_Yes_commits()
    {
        await server.Database.ExecuteAsync("CREATE TABLE public.confirmed (id integer)");
        var before = await CommitCountAsync();

        _session.UI.AnswerNextPrompt("No");
        var declined = _session.Run("New-PgGitCommit -Message 'Add confirmed' -Confirm").Succeeded();
        Assert.Empty(declined.Output);
        Assert.Contains(_session.UI.Prompts, prompt => prompt.Contains("Commit the live schema with message 'Add confirmed'"));
        Assert.Equal(before, await CommitCountAsync());

        _session.UI.AnswerNextPrompt("Yes");
        var accepted = _session.Run("New-PgGitCommit -Message 'Add confirmed' -Confirm").Succeeded();
        Assert.Equal("Add confirmed", Assert.Single(accepted.Output).Text("Message"));
        Assert.Equal(before + 1, await CommitCountAsync());
    }

    [Fact]
    public async Task Nothing_to_commit_is_a_warning_and_no_output()
    {
        await server.Database.ExecuteAsync("CREATE TABLE public.twice (id integer)");
        _session.Run("New-PgGitCommit -Message 'Add twice'").Succeeded();
        var before = await CommitCountAsync();

        var again = _session.Run("New-PgGitCommit -Message 'Add twice again'").Succeeded();

        Assert.Empty(again.Output);
        Assert.StartsWith("Nothing to commit: the live schema matches branch 'main' at ", Assert.Single(again.Warnings).Message);
        Assert.Equal(before, await CommitCountAsync());
    }

    [Fact]
    public void A_malformed_author_is_an_InvalidArgument_error()
    {
        var result = _session.Run("New-PgGitCommit -Message 'x' -Author 'alice <alice@example.com'");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("INVALID_", error.FullyQualifiedErrorId);
        Assert.Contains("alice <alice@example.com", error.Exception.Message);
    }
}
