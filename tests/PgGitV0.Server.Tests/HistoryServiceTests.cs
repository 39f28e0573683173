using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

/// <summary>A history on branch 'feature': the root commit (alice), 24 views added by bob and carol in turn, big_orders changed by dave.</summary>
public sealed class HistoryFixture : IAsyncLifetime
{
    public ServerHost Host { get; private set; } = null!;
    public string Root { get; private set; } = "";
    public List<string> ViewCommits { get; private set; } = [];
    public string DaveCommit { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ServerHost.StartAsync();
        Root = await History.StartAsync(Host.Database);
        for (var i = 0; i < 24; i++)
        {
            var author = i % 2 == 0 ? "bob <bob@example.com>" : "carol <carol@example.com>";
            ViewCommits.AddRange(await History.AddViewsAsync(Host.Database, "feature", 1, $"v{i}", author));
        }
        DaveCommit = await History.CommitAsync(Host.Database, "feature",
            new Dictionary<string, string?> { ["public/views/big_orders.sql"] = "CREATE VIEW public.big_orders AS SELECT id FROM public.orders WHERE total > 500;" },
            "raise the threshold", "dave <dave@example.com>");
    }

    /// <summary>The first-parent line of a branch, newest first, walked straight from commit_graph.</summary>
    public async Task<List<string>> FirstParentLineAsync(string branch)
    {
        var line = new List<string>();
        var sha = await Host.Database.ScalarAsync<string?>("SELECT target_sha FROM pggit_v0.refs WHERE name = @branch", new { branch });
        while (sha is not null)
        {
            line.Add(sha);
            sha = await Host.Database.ScalarAsync<string?>("SELECT parent_shas[1] FROM pggit_v0.commit_graph WHERE commit_sha = @sha", new { sha });
        }
        return line;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class HistoryServiceTests(HistoryFixture fixture) : IClassFixture<HistoryFixture>
{
    private ServerHost Host => fixture.Host;
    private HistoryService.HistoryServiceClient Reader => Host.History(Host.ReaderKey);

    [Fact]
    public async Task Paging_returns_every_commit_of_the_first_parent_line_exactly_once_in_order()
    {
        var expected = await fixture.FirstParentLineAsync("feature");
        Assert.Equal(26, expected.Count);

        var seen = new List<string>();
        var pages = 0;
        string token = "";
        do
        {
            var page = await Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "feature", PageSize = 4, PageToken = token });
            Assert.InRange(page.Commits.Count, 1, 4);
            seen.AddRange(page.Commits.Select(c => c.Sha));
            token = page.NextPageToken;
            pages++;
        } while (token != "");

        Assert.Equal(expected, seen);
        Assert.Equal(7, pages);
    }

    [Fact]
    public async Task A_page_token_keeps_its_position_while_the_branch_moves()
    {
        await Host.Database.ExecuteAsync("SELECT pggit_v0.create_branch('moving', 'feature')");
        var first = await Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "moving", PageSize = 10 });
        await History.AddViewsAsync(Host.Database, "moving", 3, "late", "erin");

        var rest = new List<string>();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "moving", PageSize = 10, PageToken = token });
            rest.AddRange(page.Commits.Select(c => c.Sha));
            token = page.NextPageToken;
        }

        var all = first.Commits.Select(c => c.Sha).Concat(rest).ToList();
        Assert.Equal(await fixture.FirstParentLineAsync("feature"), all);
    }

    [Fact]
    public async Task ListCommits_filters_by_author_name_or_email_and_by_since()
    {
        var byCarol = await Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "feature", Author = "carol", PageSize = 100 });
        Assert.Equal(12, byCarol.Commits.Count);
        Assert.All(byCarol.Commits, c => Assert.Equal("carol", c.Author));

        var byEmail = await Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "feature", Author = "DAVE@example.com" });
        Assert.Equal(fixture.DaveCommit, Assert.Single(byEmail.Commits).Sha);

        await Host.Database.ExecuteAsync("""
            SELECT pggit_v0.update_ref('dated', pggit_v0.commit_tree(g.tree_sha, ARRAY[g.commit_sha], 'dated commit', 'frank', NULL, NULL, '2030-01-01T00:00:00Z'), NULL)
            FROM pggit_v0.commit_graph g WHERE g.commit_sha = pggit_v0.resolve_ref('feature')
            """);
        var since = await Reader.ListCommitsAsync(new ListCommitsRequest
        {
            Branch = "dated",
            Since = Timestamp.FromDateTime(new DateTime(2029, 12, 31, 0, 0, 0, DateTimeKind.Utc)),
        });
        Assert.Equal("dated commit", Assert.Single(since.Commits).Message);
    }

    [Fact]
    public async Task A_page_token_used_with_other_filters_is_rejected()
    {
        var first = await Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "feature", PageSize = 2 });
        var (_, info) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "feature", Author = "bob", PageSize = 2, PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal("INVALID_PAGE_TOKEN", info.Reason);

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "feature", PageToken = "not a token!" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.ListCommitsAsync(new ListCommitsRequest { Branch = "feature", PageSize = -1 }).ResponseAsync);
    }

    [Fact]
    public async Task ListCommits_without_a_branch_reads_the_checked_out_branch()
    {
        var page = await Reader.ListCommitsAsync(new ListCommitsRequest());
        Assert.Equal(fixture.Root, Assert.Single(page.Commits).Sha);
        Assert.Equal("", page.NextPageToken);
    }

    [Fact]
    public async Task GetCommit_resolves_branches_short_shas_and_ancestry_suffixes()
    {
        var tip = await Reader.GetCommitAsync(new GetCommitRequest { Ref = "feature" });
        Assert.Equal(fixture.DaveCommit, tip.Sha);
        Assert.Equal("dave", tip.Author);
        Assert.Equal("dave@example.com", tip.AuthorEmail);
        Assert.Equal("raise the threshold", tip.Message);
        Assert.Equal(fixture.ViewCommits[^1], Assert.Single(tip.ParentShas));
        Assert.Equal(26, tip.Generation);
        Assert.Matches("^[0-9a-f]{64}$", tip.TreeSha);

        Assert.Equal(fixture.ViewCommits[^1], (await Reader.GetCommitAsync(new GetCommitRequest { Ref = "feature~1" })).Sha);
        Assert.Equal(fixture.Root, (await Reader.GetCommitAsync(new GetCommitRequest { Ref = fixture.Root[..12] })).Sha);
        var head = await Reader.GetCommitAsync(new GetCommitRequest());
        Assert.Equal(fixture.Root, head.Sha);
        Assert.Empty(head.ParentShas);
        Assert.Equal(head.CommittedAt, head.AuthoredAt);
    }

    [Fact]
    public async Task ListObjects_pages_through_a_commits_tree_in_path_order_with_who_introduced_each_version()
    {
        var expected = await Host.Database.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('feature')");
        var objects = new List<DatabaseObject>();
        var token = "";
        string? commitSha = null;
        do
        {
            var page = await Reader.ListObjectsAsync(new ListObjectsRequest { Ref = "feature", PageSize = 7, PageToken = token });
            commitSha ??= page.CommitSha;
            Assert.Equal(commitSha, page.CommitSha);
            objects.AddRange(page.Objects);
            token = page.NextPageToken;
        } while (token != "");

        Assert.Equal(fixture.DaveCommit, commitSha);
        Assert.Equal(expected, objects.Select(o => o.Path));
        var bigOrders = objects.Single(o => o.ObjectName == "big_orders");
        Assert.Equal(("public", ObjectType.View, "dave", fixture.DaveCommit), (bigOrders.SchemaName, bigOrders.ObjectType, bigOrders.LastModifiedBy, bigOrders.LastModifiedSha));
        var orders = objects.Single(o => o.ObjectName == "orders");
        Assert.Equal((ObjectType.Table, "alice", fixture.Root), (orders.ObjectType, orders.LastModifiedBy, orders.LastModifiedSha));
        var v5 = objects.Single(o => o.ObjectName == "v5_0");
        Assert.Equal(("carol", fixture.ViewCommits[5]), (v5.LastModifiedBy, v5.LastModifiedSha));
        Assert.Contains(objects, o => o.ObjectType == ObjectType.Function && o.ObjectName == "calc(integer)");
        Assert.Contains(objects, o => o.ObjectType == ObjectType.Schema && o.Path == "public/schema.sql");
        Assert.All(objects, o => Assert.True(o.Size > 0));
    }

    [Fact]
    public async Task GetObject_returns_ddl_and_metadata_at_any_ref_by_name_or_path()
    {
        var now = await Reader.GetObjectAsync(new GetObjectRequest { Ref = "feature", SchemaName = "public", ObjectName = "big_orders" });
        Assert.Contains("total > 500", now.Definition);
        Assert.Equal(("public/views/big_orders.sql", ObjectType.View, "dave"), (now.Object.Path, now.Object.ObjectType, now.Object.LastModifiedBy));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(now.Definition), now.Object.Size);
        Assert.Equal(fixture.DaveCommit, now.CommitSha);

        var before = await Reader.GetObjectAsync(new GetObjectRequest { Ref = "feature~1", Path = "public/views/big_orders.sql" });
        Assert.Contains("100", before.Definition);
        Assert.DoesNotContain("500", before.Definition);
        Assert.Equal("alice", before.Object.LastModifiedBy);

        var function = await Reader.GetObjectAsync(new GetObjectRequest { SchemaName = "public", ObjectName = "calc" });
        Assert.Equal("calc(integer)", function.Object.ObjectName);
        Assert.StartsWith("CREATE OR REPLACE FUNCTION public.calc(a integer)", function.Definition);

        var typed = await Reader.GetObjectAsync(new GetObjectRequest { SchemaName = "public", ObjectName = "orders", ObjectType = ObjectType.Table });
        Assert.Contains("CREATE TABLE public.orders", typed.Definition);
    }
}
