using System.Management.Automation;
using System.Net;
using System.Security;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;
using static PgGitV0.PowerShell.Tests.Hosting.HelpText;

namespace PgGitV0.PowerShell.Tests;

/// <summary>
/// The merge-request cmdlets against a server that requires API keys: alice opens requests in her
/// session, bob reviews them with -ApiKey; identities, refusals and paging are checked.
/// </summary>
public sealed class MergeRequestTests(MergeRequestFixture server) : IClassFixture<MergeRequestFixture>, IAsyncLifetime
{
    private ModuleSession _alice = null!;
    private SecureString _bob = null!;

    private static SecureString Secure(string text)
    {
        var secure = new NetworkCredential("", text).SecurePassword;
        secure.MakeReadOnly();
        return secure;
    }

    public async Task InitializeAsync()
    {
        // Key names are identities; each test instance gets keys of its own (a name is unique).
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var alice = await server.AddApiKeyAsync("alice-" + suffix, "writer");
        _bob = Secure(await server.AddApiKeyAsync("bob-" + suffix, "writer"));
        _alice = ModuleSession.Start();
        _alice.Run("Connect-PgGit -Endpoint $args[0] -ApiKey $args[1]", server.Endpoint, Secure(alice)).Succeeded();
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_lifecycle_open_refused_self_approval_refused_completion_approval_by_another_key_merged()
    {
        var (target, source) = await server.CleanPairAsync("life");
        var sourceTip = await server.TipAsync(source);

        var opened = Assert.Single(_alice.Run("New-PgGitMergeRequest -Source $args[0] -Target $args[1] -Title 'Add the life tables' -Reviewer bob",
            source, target).Succeeded().Output);
        Assert.Equal("PgGitV0.PowerShell.PgGitMergeRequest", opened.TypeName());
        Assert.Equal(("open", false, "0/1"), (opened.Text("Status"), (bool)opened.Get("Conflicts")!, opened.Text("ApprovalState")));
        Assert.StartsWith("alice-", opened.Text("CreatedBy"));
        var id = opened.Text("Id");

        var self = Assert.Single(_alice.Run("Approve-PgGitMergeRequest -Id $args[0]", id).Errors);
        Assert.Equal(ErrorCategory.PermissionDenied, self.CategoryInfo.Category);
        Assert.Equal(id, self.TargetObject);

        var unapproved = Assert.Single(_alice.Run("Complete-PgGitMergeRequest -Id $args[0]", id).Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, unapproved.CategoryInfo.Category);
        Assert.Contains("approval", unapproved.Exception.Message);
        Assert.Equal(sourceTip, await server.TipAsync(source));

        var approved = Assert.Single(_alice.Run("Get-PgGitMergeRequest -Status open -SourceBranch $args[0] | Approve-PgGitMergeRequest -ApiKey $args[1] -Notes 'fine'",
            source, _bob).Succeeded().Output);
        Assert.Equal(("approved", "1/1"), (approved.Text("Status"), approved.Text("ApprovalState")));
        Assert.StartsWith("bob-", Assert.Single((string[])approved.Get("ApprovedBy")!));

        var merged = Assert.Single(_alice.Run("Get-PgGitMergeRequest -Id $args[0] | Complete-PgGitMergeRequest", id).Succeeded().Output);
        Assert.Equal("merged", merged.Text("Status"));
        var commit = merged.Text("MergeCommitSha");
        Assert.Equal(commit, await server.TipAsync(target));
        Assert.StartsWith("alice-", merged.Text("MergedBy"));
        var table = _alice.RenderTable("Get-PgGitMergeRequest -Id $args[0]", id);
        Assert.Contains(table, line => line.Contains(id) && line.Contains("merged"));
    }

    [Fact]
    public async Task WhatIf_opens_nothing_Close_closes_and_an_unknown_id_is_ObjectNotFound()
    {
        var (target, source) = await server.CleanPairAsync("closing");
        var before = await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.merge_requests");

        _alice.Run("New-PgGitMergeRequest $args[0] $args[1] 'not yet' -WhatIf", source, target).Succeeded();
        Assert.Equal(before, await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.merge_requests"));

        var id = _alice.Run("(New-PgGitMergeRequest $args[0] $args[1] 'to close').Id", source, target).Succeeded().Output.Single().ToString();
        var closed = Assert.Single(_alice.Run("Get-PgGitMergeRequest -SourceBranch $args[0] | Close-PgGitMergeRequest", source).Succeeded().Output);
        Assert.Equal((id, "closed"), (closed.Text("Id"), closed.Text("Status")));
        var approveClosed = Assert.Single(_alice.Run("Approve-PgGitMergeRequest -Id $args[0] -ApiKey $args[1]", id, _bob).Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, approveClosed.CategoryInfo.Category);

        var unknown = Assert.Single(_alice.Run("Get-PgGitMergeRequest -Id $args[0]", Guid.NewGuid().ToString()).Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, unknown.CategoryInfo.Category);
    }

    [Fact]
    public async Task Listing_pages_lazily_and_stopping_the_pipeline_fetches_no_further_page()
    {
        for (var i = 0; i < 4; i++)
        {
            var (target, source) = await server.CleanPairAsync($"paged{i}");
            _alice.Run("New-PgGitMergeRequest $args[0] $args[1] $args[2]", source, target, $"paged {i}").Succeeded();
        }
        var all = _alice.Run("Get-PgGitMergeRequest -PageSize 1 | Where-Object Title -like 'paged *' | ForEach-Object Title").Succeeded();
        Assert.Equal(["paged 0", "paged 1", "paged 2", "paged 3"], all.Output.Select(title => title.ToString()));

        var before = server.Requests("MergeService/ListMergeRequests");
        var stopped = _alice.Run("""
            $n = 0
            do { Get-PgGitMergeRequest -PageSize 1 -Status open | ForEach-Object { $_; if (++$n -eq 2) { break } } } while ($false)
            """).Succeeded();
        Assert.Equal(2, stopped.Output.Count);
        Assert.Equal(2, server.Requests("MergeService/ListMergeRequests") - before);

        before = server.Requests("MergeService/ListMergeRequests");
        Assert.Equal(3, _alice.Run("Get-PgGitMergeRequest -First 3 -PageSize 2").Succeeded().Output.Count);
        Assert.Equal(2, server.Requests("MergeService/ListMergeRequests") - before);
    }

    [Theory]
    [InlineData("New-PgGitMergeRequest", "Opens a merge request.")]
    [InlineData("Get-PgGitMergeRequest", "Gets merge requests.")]
    [InlineData("Approve-PgGitMergeRequest", "Approves merge requests.")]
    [InlineData("Complete-PgGitMergeRequest", "Merges approved merge requests.")]
    [InlineData("Close-PgGitMergeRequest", "Closes merge requests without merging.")]
    public void Get_Help_Full_shows_the_synopsis_and_an_example_and_OutputType_is_PgGitMergeRequest(string command, string synopsis)
    {
        _alice.UI.Clear();
        _alice.Run("Get-Help $args[0] -Full | Out-Host", command).Succeeded();
        // Get-Help wraps text at the host's width, even inside words; compare without whitespace.
        var text = WithoutWhitespace(_alice.UI.Text);
        var examples = _alice.Run("@((Get-Help $args[0]).examples.example).Count", command).Succeeded();
        var outputType = _alice.Run("(Get-Command $args[0]).OutputType.Type.FullName", command).Succeeded();

        Assert.Contains(WithoutWhitespace(synopsis), text);
        Assert.Contains(WithoutWhitespace("Needs the"), text);
        Assert.True((int)examples.Output.Single().BaseObject >= 1);
        Assert.Equal("PgGitV0.PowerShell.PgGitMergeRequest", outputType.Output.Single().ToString());
    }
}
