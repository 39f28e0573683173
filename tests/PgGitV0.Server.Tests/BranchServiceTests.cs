using PgGitV0.Api;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

public sealed class BranchServiceTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListBranches_pages_in_name_order_and_marks_the_checked_out_branch()
    {
        await History.StartAsync(_host.Database, "feature/a");
        foreach (var name in new[] { "zeta", "feature/b", "alpha", "Beta" })
            await _host.Database.ExecuteAsync("SELECT pggit_v0.create_branch(@name)", new { name });
        var tip = await _host.Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('main')");

        var client = _host.Branches(_host.ReaderKey);
        var branches = new List<Branch>();
        var token = "";
        do
        {
            var page = await client.ListBranchesAsync(new ListBranchesRequest { PageSize = 2, PageToken = token });
            Assert.InRange(page.Branches.Count, 1, 2);
            branches.AddRange(page.Branches);
            token = page.NextPageToken;
        } while (token != "");

        Assert.Equal(["Beta", "alpha", "feature/a", "feature/b", "main", "zeta"], branches.Select(b => b.Name));
        Assert.All(branches, b => Assert.Equal(tip, b.HeadSha));
        Assert.Equal("main", Assert.Single(branches, b => b.CheckedOut).Name);
        Assert.All(branches, b => Assert.Equal("postgres", b.CreatedBy));
        Assert.All(branches, b => Assert.True(b.CreatedAt.ToDateTime() > DateTime.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task ListBranches_is_empty_before_the_first_commit()
    {
        var page = await _host.Branches(_host.ReaderKey).ListBranchesAsync(new ListBranchesRequest());
        Assert.Empty(page.Branches);
        Assert.Equal("", page.NextPageToken);
    }
}
