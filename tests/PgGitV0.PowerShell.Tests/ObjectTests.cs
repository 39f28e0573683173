using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Get-PgGitObject: listing a commit's objects, one object with its DDL, and binding from the pipeline.</summary>
public sealed class ObjectTests(HistoryFixture server) : IClassFixture<HistoryFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    private static readonly string[] MainTables = ["t1", "t2", "t3", "t4", "t5", "t6", "t7"];

    [Fact]
    public void Lists_typed_objects_of_HEAD_in_path_order_without_their_DDL()
    {
        var result = _session.Run("Get-PgGitObject -Schema public -Type TABLE").Succeeded();

        Assert.Equal(MainTables, result.Values("Name"));
        Assert.All(result.Output, item =>
        {
            Assert.Equal("PgGitV0.PowerShell.PgGitObject", item.TypeName());
            Assert.Equal("TABLE", item.Text("Type"));
            Assert.Equal($"public/tables/{item.Text("Name")}.sql", item.Text("Path"));
            Assert.Null(item.Get("Definition"));
        });
        Assert.Equal("bob", result.Output[1].Text("LastModifiedBy"));
    }

    [Fact]
    public void Wildcards_and_Commit_select_what_is_listed()
    {
        Assert.Equal(["t1", "t2"], _session.Run("Get-PgGitObject -Name 't[12]'").Succeeded().Values("Name"));
        Assert.Equal(["d1", .. MainTables], _session.Run("Get-PgGitObject -Schema pub* -Type table -Commit dev").Succeeded().Values("Name"));
        Assert.Equal(["t1"], _session.Run("Get-PgGitCommit -Commit HEAD~6 | Get-PgGitObject -Type TABLE").Succeeded().Values("Name"));
    }

    [Fact]
    public void An_exact_schema_and_name_get_the_object_with_its_DDL()
    {
        var item = _session.Run("Get-PgGitObject -Schema public -Name t3").Succeeded().Output.Single();

        Assert.StartsWith("CREATE TABLE public.t3 (", item.Text("Definition"));
        Assert.EndsWith("\n", item.Text("Definition"));
        Assert.Equal("alice", item.Text("LastModifiedBy"));
    }

    [Fact]
    public void Listed_objects_piped_back_in_get_their_DDL_from_the_same_commit()
    {
        var result = _session.Run("Get-PgGitObject -Name 't[45]' -Commit HEAD~1 | Get-PgGitObject").Succeeded();

        Assert.Equal(["t4", "t5"], result.Values("Name"));
        Assert.All(result.Output, item => Assert.Contains($"CREATE TABLE public.{item.Text("Name")}", item.Text("Definition")));
        var headMinusOne = _session.Run("(Get-PgGitCommit -Commit HEAD~1).Sha").Succeeded().Output.Single().BaseObject;
        Assert.All(result.Output, item => Assert.Equal(headMinusOne, item.Get("Commit")));
    }

    [Fact]
    public void IncludeDefinition_reads_each_DDL_and_reports_progress()
    {
        _session.UI.Clear();
        var result = _session.Run("Get-PgGitObject -Schema public -Type TABLE -IncludeDefinition").Succeeded();

        Assert.All(result.Output, item => Assert.StartsWith($"CREATE TABLE public.{item.Text("Name")} (", item.Text("Definition")));
        var progress = _session.UI.Progress.Where(record => record.Activity == "Get-PgGitObject").ToList();
        Assert.Equal(MainTables.Length + 1, progress.Count);
        Assert.Equal("public/tables/t1.sql (1 read)", progress[0].StatusDescription);
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
    }

    [Fact]
    public void An_unknown_object_is_ObjectNotFound()
    {
        var error = Assert.Single(_session.Run("Get-PgGitObject -Schema public -Name no_such_table").Errors);

        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("NOT_FOUND,", error.FullyQualifiedErrorId);
        Assert.Contains("no_such_table", error.Exception.Message);
    }

    [Fact]
    public void The_default_table_view_fits_120_columns()
    {
        var lines = _session.RenderTable("Get-PgGitObject -Commit dev");

        Assert.Matches(@"^Schema\s+Type\s+Name\s+Size\s+LastModifiedAt \(UTC\)\s+LastModifiedBy\s*$", lines[0]);
        Assert.Contains(lines, line => line.Contains("d1") && line.Contains("carol"));
    }
}
