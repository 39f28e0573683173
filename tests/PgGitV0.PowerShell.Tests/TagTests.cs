using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Get-PgGitTag, New-PgGitTag and Remove-PgGitTag against tags checked in SQL.</summary>
public sealed class TagTests(HistoryFixture server) : IClassFixture<HistoryFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    private Task<string?> TargetAsync(string name) =>
        server.Database.ScalarAsync<string?>("SELECT target_sha FROM pggit_v0.refs WHERE name = @name AND type = 'tag'", new { name });

    [Fact]
    public async Task New_PgGitTag_tags_a_piped_commit_and_Get_PgGitTag_lists_it()
    {
        var created = Assert.Single(_session.Run("Get-PgGitCommit -Branch dev -First 1 | New-PgGitTag -Name v1.0 -Message 'First release'").Succeeded().Output);

        Assert.Equal("PgGitV0.PowerShell.PgGitTag", created.TypeName());
        var devTip = await server.Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('dev')");
        Assert.Equal(devTip, created.Text("Commit"));
        Assert.Equal(devTip, await TargetAsync("v1.0"));

        var listed = Assert.Single(_session.Run("Get-PgGitTag 'V1.*'").Succeeded().Output);
        Assert.Equal("v1.0", listed.Text("Name"));
        Assert.Equal("First release", listed.Text("Message"));
        var lines = _session.RenderTable("Get-PgGitTag v1.0");
        Assert.Matches(@"^Name\s+Commit\s+CreatedAt \(UTC\)\s+CreatedBy\s+Message\s*$", lines[0]);
    }

    [Fact]
    public async Task Remove_PgGitTag_asks_first_WhatIf_changes_nothing_and_piped_tags_are_deleted()
    {
        await server.Database.ExecuteAsync("SELECT pggit_v0.create_tag('rc-1'); SELECT pggit_v0.create_tag('rc-2', pggit_v0.resolve_ref('main~1'))");

        _session.UI.AnswerNextPrompt("No");
        _session.Run("Remove-PgGitTag rc-1").Succeeded();
        _session.Run("Remove-PgGitTag rc-1 -WhatIf").Succeeded();
        Assert.NotNull(await TargetAsync("rc-1"));
        Assert.Contains(_session.UI.Prompts, prompt => prompt.Contains("Delete tag") && prompt.Contains("rc-1"));

        _session.Run("Get-PgGitTag 'rc-*' | Remove-PgGitTag -Confirm:$false").Succeeded();
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.refs WHERE name LIKE 'rc-%'"));
    }

    [Fact]
    public void Unknown_tags_are_ObjectNotFound_and_a_taken_name_is_ResourceExists()
    {
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(_session.Run("Get-PgGitTag nope").Errors).CategoryInfo.Category);
        var removed = Assert.Single(_session.Run("Remove-PgGitTag nope -Confirm:$false").Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, removed.CategoryInfo.Category);
        Assert.Equal("nope", removed.TargetObject);
        Assert.Equal(ErrorCategory.ResourceExists, Assert.Single(_session.Run("New-PgGitTag -Name main").Errors).CategoryInfo.Category);
    }
}
