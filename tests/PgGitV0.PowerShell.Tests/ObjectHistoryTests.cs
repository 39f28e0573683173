using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Get-PgGitObjectHistory: the commits that changed one object, newest first.</summary>
public sealed class ObjectHistoryTests(DiffFixture server) : IClassFixture<DiffFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task Lists_the_commits_that_created_altered_and_dropped_an_object()
    {
        var orders = _session.Run("Get-PgGitObjectHistory -Schema public -Name orders").Succeeded();

        Assert.All(orders.Output, entry => Assert.Equal("PgGitV0.PowerShell.PgGitObjectHistoryEntry", entry.TypeName()));
        Assert.Equal(["ALTER", "CREATE"], orders.Values("Change"));
        Assert.Equal(["Add total to orders", "Add orders"], orders.Values("Subject"));
        Assert.Equal(["bob", "alice"], orders.Values("Author"));
        Assert.Equal(await server.Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('main~3')"), orders.Output[0].Text("Commit"));

        Assert.Equal(["DROP", "CREATE"], _session.Run("Get-PgGitObjectHistory public gone").Succeeded().Values("Change"));
    }

    [Fact]
    public void First_limits_the_count_and_objects_bind_from_the_pipeline()
    {
        var result = _session.Run("Get-PgGitObject -Schema public -Name orders | Get-PgGitObjectHistory -First 1").Succeeded();

        var entry = Assert.Single(result.Output);
        Assert.Equal("ALTER", entry.Text("Change"));
        Assert.Equal("orders", entry.Text("Name"));
        var lines = _session.RenderTable("Get-PgGitObjectHistory public orders");
        Assert.Matches(@"^Commit\s+Change\s+CommittedAt \(UTC\)\s+Author\s+Subject\s*$", lines[0]);
    }

    [Fact]
    public void An_object_without_history_is_ObjectNotFound()
    {
        var error = Assert.Single(_session.Run("Get-PgGitObjectHistory -Schema public -Name nope").Errors);

        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("public.nope", error.TargetObject);
    }
}
