using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

/// <summary>main (checked out) with the root commit; 'feature' from it with one commit nothing else reaches.</summary>
public sealed class BranchManagementFixture : IAsyncLifetime
{
    public ServerHost Host { get; private set; } = null!;
    public string Root { get; private set; } = "";
    public string FeatureTip { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ServerHost.StartAsync();
        Root = await History.StartAsync(Host.Database);
        FeatureTip = (await History.AddViewsAsync(Host.Database, "feature", 1, "only_on_feature", "bob"))[0];
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class BranchManagementTests(BranchManagementFixture fixture) : IClassFixture<BranchManagementFixture>
{
    private ServerHost Host => fixture.Host;
    private BranchService.BranchServiceClient Writer => Host.Branches(Host.WriterKey);
    private BranchService.BranchServiceClient Reader => Host.Branches(Host.ReaderKey);

    [Fact]
    public async Task CreateBranch_starts_a_branch_at_any_revision_and_returns_it()
    {
        var created = await Writer.CreateBranchAsync(new CreateBranchRequest { Name = "topic/from-prefix", FromRef = fixture.Root[..12] });
        Assert.Equal(("topic/from-prefix", fixture.Root, ServerHost.WriterName, false),
            (created.Name, created.HeadSha, created.CreatedBy, created.CheckedOut));

        var fromFeature = await Writer.CreateBranchAsync(new CreateBranchRequest { Name = "topic/from-feature", FromRef = "feature" });
        Assert.Equal(fixture.FeatureTip, fromFeature.HeadSha);
        var atHead = await Writer.CreateBranchAsync(new CreateBranchRequest { Name = "topic/at-head" });
        Assert.Equal(fixture.Root, atHead.HeadSha);

        var listed = await Reader.ListBranchesAsync(new ListBranchesRequest());
        Assert.Contains(listed.Branches, b => b.Name == "topic/from-feature" && b.HeadSha == fixture.FeatureTip);
    }

    [Fact]
    public async Task CreateBranch_errors_map_to_their_codes()
    {
        var (exists, info) = await RpcAssert.FailsAsync(StatusCode.AlreadyExists,
            () => Writer.CreateBranchAsync(new CreateBranchRequest { Name = "feature" }).ResponseAsync);
        Assert.Equal("feature", info.Metadata["value"]);
        Assert.Contains("already exists", exists.Status.Detail);

        var (_, unknownSha) = await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Writer.CreateBranchAsync(new CreateBranchRequest { Name = "topic/nowhere", FromRef = "0000dead" }).ResponseAsync);
        Assert.Equal("0000dead", unknownSha.Metadata["value"]);
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Writer.CreateBranchAsync(new CreateBranchRequest { Name = "topic/nowhere", FromRef = "no-such-branch" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Writer.CreateBranchAsync(new CreateBranchRequest { Name = "bad..name" }).ResponseAsync);

        var (_, denied) = await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => Reader.CreateBranchAsync(new CreateBranchRequest { Name = "topic/by-reader" }).ResponseAsync);
        Assert.Equal("writer", denied.Metadata["required_role"]);
        Assert.DoesNotContain((await Reader.ListBranchesAsync(new ListBranchesRequest())).Branches, b => b.Name == "topic/by-reader");
    }

    [Fact]
    public async Task DeleteBranch_refuses_the_checked_out_and_unmerged_branches_and_RestoreBranch_brings_one_back()
    {
        var (checkedOut, _) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Writer.DeleteBranchAsync(new DeleteBranchRequest { Name = "main", Force = true }).ResponseAsync);
        Assert.Contains("checked out", checkedOut.Status.Detail);

        await Writer.CreateBranchAsync(new CreateBranchRequest { Name = "unmerged", FromRef = "feature" });
        await History.AddViewsAsync(Host.Database, "unmerged", 1, "only_on_unmerged", "carol");
        var tip = await Host.Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('unmerged')");
        var (unmerged, _) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Writer.DeleteBranchAsync(new DeleteBranchRequest { Name = "unmerged" }).ResponseAsync);
        Assert.Contains(tip[..12], unmerged.Status.Detail);

        Assert.Equal(tip, (await Writer.DeleteBranchAsync(new DeleteBranchRequest { Name = "unmerged", Force = true })).DeletedSha);
        Assert.DoesNotContain((await Reader.ListBranchesAsync(new ListBranchesRequest())).Branches, b => b.Name == "unmerged");

        var restored = await Writer.RestoreBranchAsync(new RestoreBranchRequest { Name = "unmerged" });
        Assert.Equal(("unmerged", tip), (restored.Name, restored.HeadSha));
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists,
            () => Writer.RestoreBranchAsync(new RestoreBranchRequest { Name = "unmerged" }).ResponseAsync);

        // A branch whose commits another ref reaches goes without force.
        await Writer.CreateBranchAsync(new CreateBranchRequest { Name = "merged", FromRef = fixture.Root });
        Assert.Equal(fixture.Root, (await Writer.DeleteBranchAsync(new DeleteBranchRequest { Name = "merged" })).DeletedSha);
    }

    [Fact]
    public async Task DeleteBranch_and_RestoreBranch_of_unknown_names_are_not_found_and_readers_may_not_delete()
    {
        var (_, info) = await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Writer.DeleteBranchAsync(new DeleteBranchRequest { Name = "no-such-branch" }).ResponseAsync);
        Assert.Equal("no-such-branch", info.Metadata["value"]);
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Writer.RestoreBranchAsync(new RestoreBranchRequest { Name = "never-deleted" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => Reader.DeleteBranchAsync(new DeleteBranchRequest { Name = "feature", Force = true }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => Reader.RestoreBranchAsync(new RestoreBranchRequest { Name = "feature" }).ResponseAsync);
        Assert.Contains((await Reader.ListBranchesAsync(new ListBranchesRequest())).Branches, b => b.Name == "feature");
    }

    [Fact]
    public async Task Tags_are_created_listed_in_pages_and_deleted()
    {
        var v1 = await Writer.CreateTagAsync(new CreateTagRequest { Name = "v1.0", Ref = fixture.Root, Message = "first release" });
        Assert.Equal(("v1.0", fixture.Root, "first release", ServerHost.WriterName), (v1.Name, v1.CommitSha, v1.Message, v1.CreatedBy));
        Assert.True(v1.CreatedAt.ToDateTime() > DateTime.UtcNow.AddMinutes(-5));
        var v2 = await Writer.CreateTagAsync(new CreateTagRequest { Name = "v2.0", Ref = "feature" });
        Assert.Equal((fixture.FeatureTip, ""), (v2.CommitSha, v2.Message));
        await Writer.CreateTagAsync(new CreateTagRequest { Name = "V0" });
        await Writer.CreateTagAsync(new CreateTagRequest { Name = "a-tag" });

        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => Writer.CreateTagAsync(new CreateTagRequest { Name = "v1.0" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => Writer.CreateTagAsync(new CreateTagRequest { Name = "feature" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Writer.CreateTagAsync(new CreateTagRequest { Name = "v9", Ref = "0000dead" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Reader.CreateTagAsync(new CreateTagRequest { Name = "v9" }).ResponseAsync);

        var tags = new List<Tag>();
        var token = "";
        do
        {
            var page = await Reader.ListTagsAsync(new ListTagsRequest { PageSize = 3, PageToken = token });
            Assert.InRange(page.Tags.Count, 1, 3);
            tags.AddRange(page.Tags);
            token = page.NextPageToken;
        } while (token != "");
        Assert.Equal(["V0", "a-tag", "v1.0", "v2.0"], tags.Select(t => t.Name));
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Reader.ListTagsAsync(new ListTagsRequest { PageSize = -1 }).ResponseAsync);

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Reader.DeleteTagAsync(new DeleteTagRequest { Name = "v1.0" }).ResponseAsync);
        Assert.Equal(fixture.Root, (await Writer.DeleteTagAsync(new DeleteTagRequest { Name = "v1.0" })).DeletedSha);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Writer.DeleteTagAsync(new DeleteTagRequest { Name = "v1.0" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Writer.DeleteTagAsync(new DeleteTagRequest { Name = "feature" }).ResponseAsync);
        Assert.Equal(["V0", "a-tag", "v2.0"], (await Reader.ListTagsAsync(new ListTagsRequest())).Tags.Select(t => t.Name));
    }
}
