using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>New-PgGitBranch, Remove-PgGitBranch and Restore-PgGitBranch: changes checked in SQL, -WhatIf, confirmation, pipelines, errors.</summary>
public sealed class BranchChangeTests(HistoryFixture server) : IClassFixture<HistoryFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    private Task<string?> TargetAsync(string name) =>
        server.Database.ScalarAsync<string?>("SELECT target_sha FROM pggit_v0.refs WHERE name = @name AND type = 'branch'", new { name });

    private Task<string> ResolveAsync(string revision) =>
        server.Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@revision)", new { revision });

    [Fact]
    public async Task New_PgGitBranch_creates_a_branch_at_the_named_commit_and_outputs_it()
    {
        var result = _session.Run("New-PgGitBranch -Name topic/new -Commit 'main~2'").Succeeded();

        var branch = Assert.Single(result.Output);
        Assert.Equal("PgGitV0.PowerShell.PgGitBranch", branch.TypeName());
        Assert.Equal("topic/new", branch.Text("Name"));
        var expected = await ResolveAsync("main~2");
        Assert.Equal(expected, branch.Text("HeadSha"));
        Assert.Equal(expected, await TargetAsync("topic/new"));

        var taken = _session.Run("New-PgGitBranch -Name topic/new");
        Assert.Equal(ErrorCategory.ResourceExists, Assert.Single(taken.Errors).CategoryInfo.Category);
    }

    [Fact]
    public async Task WhatIf_creates_and_deletes_nothing()
    {
        _session.UI.Clear();

        _session.Run("New-PgGitBranch -Name topic/what-if -WhatIf; Remove-PgGitBranch -Name dev -WhatIf").Succeeded();

        Assert.Contains("What if: Performing the operation \"Create branch at HEAD\" on target \"branch 'topic/what-if'", _session.UI.Text);
        Assert.Contains("What if: Performing the operation \"Delete branch\" on target \"branch 'dev'", _session.UI.Text);
        Assert.Null(await TargetAsync("topic/what-if"));
        Assert.NotNull(await TargetAsync("dev"));
    }

    [Fact]
    public async Task Remove_PgGitBranch_asks_first_and_No_deletes_nothing_while_Yes_deletes()
    {
        await server.Database.ExecuteAsync("SELECT pggit_v0.create_branch('asked/one')");

        _session.UI.AnswerNextPrompt("No");
        _session.Run("Remove-PgGitBranch -Name asked/one").Succeeded();
        Assert.Contains(_session.UI.Prompts, prompt => prompt.Contains("Delete branch") && prompt.Contains("asked/one"));
        Assert.NotNull(await TargetAsync("asked/one"));

        _session.UI.AnswerNextPrompt("Yes");
        _session.Run("Remove-PgGitBranch -Name asked/one").Succeeded();
        Assert.Null(await TargetAsync("asked/one"));
    }

    [Fact]
    public async Task Branches_piped_from_Get_PgGitBranch_are_deleted_with_Force_even_when_unmerged()
    {
        await server.Database.ExecuteAsync("SELECT pggit_v0.create_branch('feature/unmerged')");
        await server.Database.ExecuteAsync("""
            SELECT pggit_v0.commit_changes('feature/unmerged', '{"public/tables/u1.sql": "CREATE TABLE public.u1 (id integer);"}'::jsonb, 'Add u1', 'dave')
            """);

        _session.Run("Get-PgGitBranch 'feature/*' | Remove-PgGitBranch -Force -Confirm:$false").Succeeded();

        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.refs WHERE name LIKE 'feature/%'"));
        Assert.NotNull(await TargetAsync("main"));
    }

    [Fact]
    public async Task Unknown_branch_is_ObjectNotFound_and_an_unmerged_one_without_Force_is_InvalidOperation()
    {
        var unknown = _session.Run("Remove-PgGitBranch -Name nope -Confirm:$false");
        var notFound = Assert.Single(unknown.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, notFound.CategoryInfo.Category);
        Assert.Equal("nope", notFound.TargetObject);

        var unmerged = _session.Run("Remove-PgGitBranch -Name dev -Confirm:$false");
        var refused = Assert.Single(unmerged.Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, refused.CategoryInfo.Category);
        Assert.Equal("dev", refused.TargetObject);
        Assert.NotNull(await TargetAsync("dev"));
    }

    [Fact]
    public async Task Restore_PgGitBranch_brings_a_deleted_branch_back_at_its_commit()
    {
        await server.Database.ExecuteAsync("SELECT pggit_v0.create_branch('gone/x', pggit_v0.resolve_ref('main~1'))");
        var before = await TargetAsync("gone/x");
        _session.Run("Remove-PgGitBranch gone/x -Confirm:$false").Succeeded();
        Assert.Null(await TargetAsync("gone/x"));

        var restored = Assert.Single(_session.Run("Restore-PgGitBranch -Name gone/x").Succeeded().Output);

        Assert.Equal(before, restored.Text("HeadSha"));
        Assert.Equal(before, await TargetAsync("gone/x"));
        var never = _session.Run("Restore-PgGitBranch -Name never/existed");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(never.Errors).CategoryInfo.Category);
    }

    [Theory]
    [InlineData("Remove-PgGitBranch", "Get-PgGitBranch 'feature/*' | Remove-PgGitBranch -Force -Confirm:$false")]
    [InlineData("New-PgGitBranch", "New-PgGitBranch -Name feature/orders")]
    [InlineData("Restore-PgGitBranch", "Restore-PgGitBranch -Name feature/orders")]
    public void Get_Help_shows_the_description_and_examples(string command, string example)
    {
        var examples = _session.Run("(Get-Help $args[0]).examples.example.code", command).Succeeded();
        var description = _session.Run("(Get-Help $args[0]).description.Text -join ' '", command).Succeeded();

        Assert.Contains(example, examples.Output.Select(code => code.ToString()));
        Assert.Contains("Needs the writer role.", Assert.Single(description.Output).ToString());
    }
}
