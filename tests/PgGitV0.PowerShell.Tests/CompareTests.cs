using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Compare-PgGitCommit and Compare-PgGitBranch: the server's changes with both definitions and a unified diff of each.</summary>
public sealed class CompareTests(DiffFixture server) : IClassFixture<DiffFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task Compare_PgGitCommit_gives_the_servers_changes_with_both_definitions()
    {
        var result = _session.Run("Compare-PgGitCommit -ReferenceCommit HEAD~4").Succeeded();

        Assert.All(result.Output, change => Assert.Equal("PgGitV0.PowerShell.PgGitObjectChange", change.TypeName()));
        var expected = (await server.Database.QueryAsync<(string Path, string Change, string? Old, string? New)>(
            "SELECT object_path, change_type, old_definition, new_definition FROM pggit_v0.diff_commits('HEAD~4', 'HEAD') ORDER BY object_path")).ToList();
        Assert.Equal(["public/tables/later.sql", "public/tables/orders.sql"], expected.Select(row => row.Path));
        Assert.Equal(expected.Select(row => row.Path), result.Values("Path").Cast<string>());
        Assert.Equal(expected.Select(row => row.Change), result.Values("Change").Cast<string>());
        Assert.Equal(expected.Select(row => row.Old), result.Values("ReferenceDefinition").Cast<string?>());
        Assert.Equal(expected.Select(row => row.New), result.Values("DifferenceDefinition").Cast<string?>());
        Assert.Equal(["HEAD~4", "HEAD~4"], result.Values("Reference"));
        Assert.Equal(["HEAD", "HEAD"], result.Values("Difference"));
    }

    [Fact]
    public void The_Diff_property_is_a_unified_diff_of_the_two_definitions()
    {
        var changes = _session.Run("Compare-PgGitCommit -Commit 'HEAD~4', HEAD").Succeeded().Output;

        var created = changes.Single(change => change.Text("Change") == "CREATE");
        var createdLines = created.Text("DifferenceDefinition").TrimEnd('\n').Split('\n');
        var range = createdLines.Length == 1 ? "1" : $"1,{createdLines.Length}";
        Assert.Equal($"--- /dev/null\n+++ b/public/tables/later.sql\n@@ -0,0 +{range} @@\n" + string.Concat(createdLines.Select(line => "+" + line + "\n")),
            created.Text("Diff"));
        Assert.Equal(createdLines.Length, created.Get("LinesAdded"));

        var altered = changes.Single(change => change.Text("Change") == "ALTER");
        var diff = altered.Text("Diff").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["--- a/public/tables/orders.sql", "+++ b/public/tables/orders.sql"], diff[..2]);
        Assert.StartsWith("@@ -1", diff[2]);
        var oldLines = altered.Text("ReferenceDefinition").Split('\n');
        var newLines = altered.Text("DifferenceDefinition").Split('\n');
        Assert.All(diff[3..], line => Assert.Contains(line[1..], line[0] switch { '-' => oldLines, '+' => newLines, _ => oldLines.Intersect(newLines).ToArray() }));
        Assert.Contains(diff, line => line.StartsWith('+') && line.Contains("total numeric"));
        var lines = _session.RenderTable("Compare-PgGitCommit HEAD~4");
        Assert.Matches(@"^Change\s+Path\s+Lines\s*$", lines[0]);
        Assert.Contains(lines, line => line.StartsWith("CREATE public/tables/later.sql"));
    }

    [Fact]
    public void A_dropped_object_has_no_new_definition_and_a_commit_against_itself_gives_nothing()
    {
        var dropped = Assert.Single(_session.Run("Compare-PgGitCommit -Commit 'main~2', 'main~1'").Succeeded().Output);

        Assert.Equal("DROP", dropped.Text("Change"));
        Assert.Null(dropped.Get("DifferenceDefinition"));
        Assert.StartsWith("--- a/public/tables/gone.sql\n+++ /dev/null\n@@ -1", dropped.Text("Diff"));
        Assert.Empty(_session.Run("Get-PgGitCommit -First 1 | Compare-PgGitCommit -ReferenceCommit HEAD").Succeeded().Output);
    }

    [Fact]
    public void Compare_PgGitBranch_compares_tips_or_from_the_merge_base()
    {
        var tips = _session.Run("Compare-PgGitBranch -Branch main -OtherBranch feature/x").Succeeded();
        Assert.Equal(["public/tables/extra.sql", "public/tables/gone.sql", "public/tables/later.sql"], tips.Values("Path"));
        Assert.Equal(["CREATE", "CREATE", "DROP"], tips.Values("Change"));

        var fromBase = _session.Run("Get-PgGitBranch feature/x | Compare-PgGitBranch main -FromMergeBase").Succeeded();
        var change = Assert.Single(fromBase.Output);
        Assert.Equal("public/tables/extra.sql", change.Text("Path"));
        Assert.Equal("CREATE", change.Text("Change"));
        Assert.Equal("feature/x", change.Text("Difference"));
    }

    [Fact]
    public void Unknown_branches_and_commits_are_ObjectNotFound()
    {
        var branch = Assert.Single(_session.Run("Compare-PgGitBranch main nope").Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, branch.CategoryInfo.Category);
        Assert.Equal("main..nope", branch.TargetObject);

        var commit = Assert.Single(_session.Run("Compare-PgGitCommit -Commit main, 'ffffffffffff'").Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, commit.CategoryInfo.Category);
    }
}
