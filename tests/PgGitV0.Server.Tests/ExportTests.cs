using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Tests.Infrastructure;
using PgGitV0.Testing;

namespace PgGitV0.Server.Tests;

/// <summary>
/// From the root commit (main, tagged v-root): 'feature' adds two views (tip tagged v-feature), 'other' adds
/// one (tagged v-other), then main merges other with a two-parent commit. main is checked out.
/// </summary>
public sealed class ExportFixture : IAsyncLifetime
{
    public ServerHost Host { get; private set; } = null!;

    /// <summary>Every object of a whole export, written with git hash-object, and every ref: the oracle.</summary>
    public GitRepository Git { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await ServerHost.StartAsync();
        var db = Host.Database;
        var root = await History.StartAsync(db);
        await db.ExecuteAsync("SELECT pggit_v0.create_branch('other')");
        var feature = (await History.AddViewsAsync(db, "feature", 2, "f", "bob"))[^1];
        var other = (await History.AddViewsAsync(db, "other", 1, "o", "carol"))[^1];
        await db.ExecuteAsync("""
            SELECT pggit_v0.update_ref('main', pggit_v0.commit_tree(g.tree_sha, ARRAY[@root, @other], 'merge other', 'zed'), @root)
            FROM pggit_v0.commit_graph g WHERE g.commit_sha = @other
            """, new { root, other });
        foreach (var (tag, commit) in new[] { ("v-root", root), ("v-feature", feature), ("v-other", other) })
            await db.ExecuteAsync("SELECT pggit_v0.create_tag(@tag, @commit)", new { tag, commit });

        Git = await GitRepository.InitAsync();
        await ExportTests.WriteAsync(await ExportTests.ExportAsync(Host.History(Host.ReaderKey), []), Git);
    }

    public async Task DisposeAsync()
    {
        Git.Dispose();
        await Host.DisposeAsync();
    }
}

public sealed class ExportTests(ExportFixture fixture) : IClassFixture<ExportFixture>
{
    private HistoryService.HistoryServiceClient Reader => fixture.Host.History(fixture.Host.ReaderKey);

    internal sealed record Export(List<GitObject> Objects, List<GitRef> Refs, string Head);

    internal static async Task<Export> ExportAsync(HistoryService.HistoryServiceClient client, string[] branches)
    {
        var request = new ExportRepositoryRequest();
        request.Branches.AddRange(branches);
        using var call = client.ExportRepository(request);
        var items = new List<ExportItem>();
        await foreach (var item in call.ResponseStream.ReadAllAsync()) items.Add(item);
        var objects = items.TakeWhile(i => i.ItemCase == ExportItem.ItemOneofCase.Object).Select(i => i.Object).ToList();
        var refs = items.Skip(objects.Count).TakeWhile(i => i.ItemCase == ExportItem.ItemOneofCase.Ref).Select(i => i.Ref).ToList();
        Assert.Equal(objects.Count + refs.Count + 1, items.Count);
        return new Export(objects, refs, items[^1].HeadBranch);
    }

    /// <summary>Writes an export's objects with git hash-object (which must compute the same ids) and its refs.</summary>
    internal static async Task WriteAsync(Export export, GitRepository git)
    {
        foreach (var o in export.Objects) Assert.Equal(o.Sha, await git.WriteObjectAsync(o.Type, o.Payload.ToByteArray()));
        foreach (var r in export.Refs) await git.RunAsync("update-ref", (r.Type == "tag" ? "refs/tags/" : "refs/heads/") + r.Name, r.TargetSha);
    }

    [Theory]
    [InlineData(new[] { "feature" }, "feature", new[] { "v-feature", "v-root" })]
    [InlineData(new[] { "other", "main" }, "main", new[] { "v-other", "v-root" })]
    [InlineData(new[] { "other" }, "other", new[] { "v-other", "v-root" })]
    public async Task A_branch_export_holds_only_what_the_branches_reach_and_their_refs(string[] branches, string head, string[] tags)
    {
        var export = await ExportAsync(Reader, branches);

        var revList = GitRepository.Lines(await fixture.Git.RunAsync(new[] { "rev-list", "--objects" }.Concat(branches).ToArray()));
        Assert.Equal(revList.Select(l => l.Split(' ')[0]).Order(StringComparer.Ordinal), export.Objects.Select(o => o.Sha));
        Assert.Equal(branches.Concat(tags).Order(StringComparer.Ordinal), export.Refs.Select(r => r.Name));
        foreach (var r in export.Refs)
        {
            Assert.Equal(branches.Contains(r.Name) ? "branch" : "tag", r.Type);
            Assert.Equal((await fixture.Git.RunAsync("rev-parse", r.Name)).Trim(), r.TargetSha);
        }
        Assert.Equal(head, export.Head);

        // What was streamed is a complete repository on its own.
        using var alone = await GitRepository.InitAsync();
        await WriteAsync(export, alone);
        await alone.RunAsync("fsck", "--full", "--strict", "--no-dangling");
    }

    [Fact]
    public async Task An_unknown_branch_is_not_found_by_name()
    {
        var (error, _) = await RpcAssert.FailsAsync(StatusCode.NotFound, () => ExportAsync(Reader, ["feature", "feature/nope"]));
        Assert.Contains("'feature/nope'", error.Status.Detail);
        // A tag is not a branch.
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => ExportAsync(Reader, ["v-root"]));
    }
}
