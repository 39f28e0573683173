using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;
using PgGitV0.Testing;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Export-PgGitRepository, with git as the judge of what it wrote.</summary>
public sealed class ExportTests(ExportFixture server) : IClassFixture<ExportFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "pggit-export-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        _session.Dispose();
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }

    private GitRepository Exported => GitRepository.Open(_path);

    private static async Task<List<string>> LinesAsync(GitRepository git, params string[] arguments)
        => [.. GitRepository.Lines(await git.RunAsync(arguments))];

    [Fact]
    public async Task The_whole_repository_is_a_git_repository_with_the_same_history_trees_and_refs()
    {
        var result = _session.Run("Export-PgGitRepository -Path $args[0]", _path).Succeeded();

        var exported = Assert.Single(result.Output);
        Assert.Equal("PgGitV0.PowerShell.PgGitExportResult", exported.TypeName());
        Assert.Equal(_path, exported.Text("Path"));
        Assert.Equal(await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.objects"), Convert.ToInt64(exported.Get("Objects")));
        Assert.Equal(["feature/x", "integration", "main"], (string[])exported.Get("Branches")!);
        Assert.Equal(["v0", "v1", "v3"], (string[])exported.Get("Tags")!);
        Assert.Equal("main", exported.Text("Head"));
        Assert.Contains(result.Progress, p => p.Activity == "Export-PgGitRepository" && p.StatusDescription.EndsWith("objects written"));

        var git = Exported;
        await git.RunAsync("fsck", "--full", "--strict");
        Assert.Equal("sha256", (await git.RunAsync("rev-parse", "--show-object-format")).Trim());
        Assert.Equal("refs/heads/main", (await git.RunAsync("symbolic-ref", "HEAD")).Trim());
        Assert.Equal(2, (await LinesAsync(git, "log", "--merges", "--format=%H", "integration")).Count);

        foreach (var branch in new[] { "integration", "main", "feature/x" })
        {
            var firstParent = _session.Run("Get-PgGitCommit -Branch $args[0] | ForEach-Object Sha", branch).Succeeded().Output.Select(o => (string)o.BaseObject);
            Assert.Equal(firstParent, await LinesAsync(git, "log", "--first-parent", "--format=%H", branch));
            var history = await server.Database.QueryAsync<string>(
                "SELECT sha FROM pggit_v0.reachable_objects(ARRAY[@branch]) WHERE type = 'commit' ORDER BY sha", new { branch });
            Assert.Equal(history, (await LinesAsync(git, "log", "--format=%H", branch)).Order(StringComparer.Ordinal));

            var tree = await server.Database.QueryAsync<(string Path, string Mode, string Sha)>("SELECT path, mode, object_sha FROM pggit_v0.ls_tree(@branch)", new { branch });
            Assert.Equal(tree.Select(e => $"{e.Mode} blob {e.Sha}\t{e.Path}"), await LinesAsync(git, "ls-tree", "-r", branch));
        }
        foreach (var tag in new[] { "v0", "v1", "v3" })
            Assert.Equal(await server.Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@tag)", new { tag }), (await git.RunAsync("rev-parse", tag)).Trim());
    }

    [Fact]
    public async Task Branch_writes_only_that_branch_what_it_reaches_and_the_tags_inside_it()
    {
        var exported = Assert.Single(_session.Run("Export-PgGitRepository $args[0] -Branch feature/x", _path).Succeeded().Output);

        var git = Exported;
        await git.RunAsync("fsck", "--full", "--strict", "--no-dangling");
        Assert.Equal(["refs/heads/feature/x", "refs/tags/v0", "refs/tags/v1"], await LinesAsync(git, "for-each-ref", "--format=%(refname)"));
        Assert.Equal("refs/heads/feature/x", (await git.RunAsync("symbolic-ref", "HEAD")).Trim());
        Assert.Equal("feature/x", exported.Text("Head"));
        // Nothing but what feature/x reaches: every object file written is listed by rev-list.
        var objectFiles = Directory.EnumerateFiles(Path.Combine(_path, "objects"), "*", SearchOption.AllDirectories).Count();
        Assert.Equal((await LinesAsync(git, "rev-list", "--objects", "--all")).Count, objectFiles);
        Assert.Equal(objectFiles, Convert.ToInt32(exported.Get("Objects")));
        Assert.True(objectFiles < await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.objects"));
    }

    [Fact]
    public void WhatIf_writes_nothing_and_asks_the_server_nothing()
    {
        var before = server.Requests("HistoryService/ExportRepository");
        var result = _session.Run("Export-PgGitRepository -Path $args[0] -WhatIf", _path).Succeeded();
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(_path));
        Assert.Equal(before, server.Requests("HistoryService/ExportRepository"));
    }

    [Fact]
    public async Task A_folder_with_files_is_refused_without_Force_and_written_into_with_it()
    {
        Directory.CreateDirectory(Path.Combine(_path, "refs", "heads"));
        await File.WriteAllTextAsync(Path.Combine(_path, "refs", "heads", "stale"), new string('a', 64) + "\n");

        var refused = Assert.Single(_session.Run("Export-PgGitRepository -Path $args[0]", _path).Errors);
        Assert.Equal(ErrorCategory.ResourceExists, refused.CategoryInfo.Category);
        Assert.Equal(_path, refused.TargetObject);
        Assert.Contains("-Force", refused.Exception.Message);
        Assert.False(File.Exists(Path.Combine(_path, "HEAD")));

        _session.Run("Export-PgGitRepository -Path $args[0] -Branch main -Force", _path).Succeeded();
        var git = Exported;
        await git.RunAsync("fsck", "--full", "--strict");
        Assert.Equal(["refs/heads/main", "refs/tags/v0", "refs/tags/v3"], await LinesAsync(git, "for-each-ref", "--format=%(refname)"));
    }

    [Fact]
    public void An_unknown_branch_is_ObjectNotFound_and_writes_nothing()
    {
        var error = Assert.Single(_session.Run("Export-PgGitRepository -Path $args[0] -Branch main, feature/nope", _path).Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("feature/nope", error.Exception.Message);
        Assert.False(Directory.Exists(_path));
    }
}

/// <summary>Export-PgGitRepository against a server that sends an object whose content is not what its id says.</summary>
public sealed class CorruptExportTests(FailingServerFixture server) : IClassFixture<FailingServerFixture>, IDisposable
{
    private readonly ModuleSession _session = ModuleSession.Start();
    private readonly string _path = Path.Combine(Path.GetTempPath(), "pggit-export-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        _session.Dispose();
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }

    [Fact]
    public void A_corrupt_object_is_an_InvalidData_error_naming_it_and_is_not_written()
    {
        var result = _session.Run("Export-PgGitRepository -Path $args[0] -Endpoint $args[1]", _path, server.Endpoint);
        var error = Assert.Single(result.AllErrors);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains(FailingServerFixture.CorruptSha, error.Exception.Message);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_path, "objects"), "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(_path, "HEAD")));
    }
}
