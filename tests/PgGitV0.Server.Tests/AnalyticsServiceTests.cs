using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

/// <summary>
/// The root commit by alice on main; on 'feature': six views by bob and carol in turn, big_orders altered twice by
/// dave, a 'wip' commit by bob, and one commit of 21 views by erin; one dangling commit nothing keeps.
/// </summary>
public sealed class AnalyticsFixture : IAsyncLifetime
{
    public ServerHost Host { get; private set; } = null!;
    public string WipCommit { get; private set; } = "";
    public string LargeCommit { get; private set; } = "";
    public string DanglingCommit { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ServerHost.StartAsync();
        var db = Host.Database;
        await History.StartAsync(db);
        for (var i = 0; i < 6; i++)
            await History.AddViewsAsync(db, "feature", 1, $"v{i}", i % 2 == 0 ? "bob <bob@example.com>" : "carol <carol@example.com>");
        foreach (var threshold in new[] { 200, 300 })
            await History.CommitAsync(db, "feature", new Dictionary<string, string?>
            {
                ["public/views/big_orders.sql"] = $"CREATE VIEW public.big_orders AS SELECT id FROM public.orders WHERE total > {threshold};",
            }, $"raise the threshold to {threshold}", "dave <dave@example.com>");
        WipCommit = await History.CommitAsync(db, "feature", new Dictionary<string, string?>
        {
            ["public/views/v0_0.sql"] = "CREATE VIEW public.v0_0 AS SELECT 42 AS n;",
        }, "wip", "bob <bob@example.com>");
        LargeCommit = await History.CommitAsync(db, "feature",
            Enumerable.Range(0, 21).ToDictionary(i => $"public/views/bulk_{i}.sql", i => (string?)$"CREATE VIEW public.bulk_{i} AS SELECT {i} AS n;"),
            "add the bulk views", "erin <erin@example.com>");
        DanglingCommit = await db.ScalarAsync<string>(
            "SELECT pggit_v0.commit_tree(tree_sha, ARRAY[commit_sha], 'dangling', 'zed') FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('main')");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class AnalyticsServiceTests(AnalyticsFixture fixture) : IClassFixture<AnalyticsFixture>
{
    private ServerHost Host => fixture.Host;
    private AnalyticsService.AnalyticsServiceClient Reader => Host.Analytics(Host.ReaderKey);

    [Fact]
    public async Task RecentCommitsByAuthor_counts_each_authors_commits()
    {
        var authors = (await Reader.ListRecentCommitsByAuthorAsync(new ListRecentCommitsByAuthorRequest())).Authors;
        var bob = Assert.Single(authors, a => a.Author == "bob");
        Assert.Equal(("bob@example.com", 4L, 4L, 4L, fixture.WipCommit, "wip"),
            (bob.AuthorEmail, bob.Commits, bob.CommitsLast7Days, bob.CommitsLast30Days, bob.LastCommitSha, bob.LastMessage));
        Assert.Equal(3, Assert.Single(authors, a => a.Author == "carol").Commits);
        Assert.Equal(["alice", "bob", "carol", "dave", "erin", "zed"], authors.Select(a => a.Author).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MostChangedObjects_pages_most_changes_first()
    {
        var objects = new List<ChangedObject>();
        var token = "";
        do
        {
            var page = await Reader.ListMostChangedObjectsAsync(new ListMostChangedObjectsRequest { PageSize = 4, PageToken = token });
            objects.AddRange(page.Objects);
            token = page.NextPageToken;
        } while (token != "");

        var expected = await Host.Database.QueryAsync<string>(
            "SELECT object_path FROM pggit_v0.most_changed_objects ORDER BY change_count DESC, object_path COLLATE \"C\"");
        Assert.Equal(expected, objects.Select(o => o.ObjectPath));
        var top = objects[0];
        Assert.Equal(("public/views/big_orders.sql", "big_orders", ObjectType.View, 3L, 2L, 2L, "dave"),
            (top.ObjectPath, top.ObjectName, top.ObjectType, top.ChangeCount, top.Alters, top.Authors, top.LastChangedBy));
        Assert.Equal(2, objects[1].ChangeCount);
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.ListMostChangedObjectsAsync(new ListMostChangedObjectsRequest { PageSize = -1 }).ResponseAsync);
    }

    [Fact]
    public async Task BranchComparison_shows_ahead_behind_and_merged_against_the_default_branch()
    {
        var branches = (await Reader.ListBranchComparisonAsync(new ListBranchComparisonRequest())).Branches;
        Assert.Equal(["feature", "main"], branches.Select(b => b.BranchName));
        var feature = branches[0];
        Assert.Equal(("main", 10L, 0L, false, false, "erin", "add the bulk views"),
            (feature.ComparedTo, feature.Ahead, feature.Behind, feature.Merged, feature.CheckedOut, feature.LastAuthor, feature.LastMessage));
        Assert.Equal((0L, 0L, true, true), (branches[1].Ahead, branches[1].Behind, branches[1].Merged, branches[1].CheckedOut));
    }

    [Fact]
    public async Task DailyChangeSummary_and_SchemaGrowthHistory_agree_with_their_views()
    {
        var today = Assert.Single((await Reader.ListDailyChangeSummaryAsync(new ListDailyChangeSummaryRequest())).Days);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), today.Day);
        Assert.Equal(await Host.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph"), today.Commits);
        Assert.Equal((6L, 3L), (today.Authors, today.Alters));

        var point = Assert.Single((await Reader.ListSchemaGrowthHistoryAsync(new ListSchemaGrowthHistoryRequest())).Points);
        Assert.Equal(1, point.CommitNumber);
        Assert.Equal(await Host.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.ls_tree('main')"), point.ObjectCount);
        Assert.Equal(point.ObjectCount, point.ObjectsAdded);
        Assert.Equal("initial schema", point.Message);
    }

    [Fact]
    public async Task AuthorActivity_pages_one_authors_changes_newest_first()
    {
        var activities = new List<AuthorActivity>();
        var token = "";
        do
        {
            var page = await Reader.ListAuthorActivityAsync(new ListAuthorActivityRequest { Author = "BOB@example.com", PageSize = 2, PageToken = token });
            Assert.InRange(page.Activities.Count, 1, 2);
            activities.AddRange(page.Activities);
            token = page.NextPageToken;
        } while (token != "");

        Assert.Equal(4, activities.Count);
        Assert.All(activities, a => Assert.Equal("bob", a.Author));
        Assert.Equal((fixture.WipCommit, ChangeType.Alter, "public/views/v0_0.sql"), (activities[0].CommitSha, activities[0].ChangeType, activities[0].ObjectPath));
        Assert.Equal(3, activities.Count(a => a.ChangeType == ChangeType.Create));

        var all = await Reader.ListAuthorActivityAsync(new ListAuthorActivityRequest { PageSize = 1000 });
        Assert.Equal(await Host.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.author_activity"), all.Activities.Count);
        var first = await Reader.ListAuthorActivityAsync(new ListAuthorActivityRequest { Author = "bob", PageSize = 1 });
        var (_, info) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.ListAuthorActivityAsync(new ListAuthorActivityRequest { Author = "carol", PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal("INVALID_PAGE_TOKEN", info.Reason);
    }

    [Fact]
    public async Task CommitsWithoutMessage_LargeCommits_and_OrphanedObjects_find_their_commits()
    {
        var uninformative = (await Reader.ListCommitsWithoutMessageAsync(new ListCommitsWithoutMessageRequest())).Commits;
        var wip = Assert.Single(uninformative);
        Assert.Equal((fixture.WipCommit, "wip", "uninformative", "bob"), (wip.CommitSha, wip.Message, wip.Problem, wip.Author));

        var large = Assert.Single((await Reader.ListLargeCommitsAsync(new ListLargeCommitsRequest())).Commits);
        Assert.Equal((fixture.LargeCommit, 21L, 21L, 0L, 0L), (large.CommitSha, large.ObjectsChanged, large.Creates, large.Alters, large.Drops));
        Assert.Equal("erin", large.Author);

        var orphans = new List<OrphanedObject>();
        var token = "";
        do
        {
            var page = await Reader.ListOrphanedObjectsAsync(new ListOrphanedObjectsRequest { PageSize = 1, PageToken = token });
            orphans.AddRange(page.Objects);
            token = page.NextPageToken;
        } while (token != "");
        Assert.Equal(await Host.Database.QueryAsync<string>("SELECT sha FROM pggit_v0.orphaned_objects ORDER BY sha COLLATE \"C\""), orphans.Select(o => o.Sha));
        var dangling = Assert.Single(orphans, o => o.Sha == fixture.DanglingCommit);
        Assert.Equal("commit", dangling.Type);
        Assert.True(dangling.Size > 0);
    }

    [Fact]
    public async Task Analytics_needs_an_api_key()
    {
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated,
            () => Host.Analytics(null).ListLargeCommitsAsync(new ListLargeCommitsRequest()).ResponseAsync);
    }
}
