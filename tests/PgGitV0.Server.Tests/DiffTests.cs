using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

/// <summary>
/// From the root commit (orders, big_orders, calc(integer)): 'feature' alters big_orders, adds v_new, then drops
/// calc(integer); 'other' adds v_other. On main (checked out), big_orders is altered, dropped and recreated, and an
/// overload calc(text) is added. 'island' is a root commit that shares no history with the rest.
/// </summary>
public sealed class DiffFixture : IAsyncLifetime
{
    public const string BigOrders = "public/views/big_orders.sql";
    public const string Calc = "public/functions/calc(integer).sql";

    public ServerHost Host { get; private set; } = null!;
    public string Root { get; private set; } = "";
    public string FeatureTip { get; private set; } = "";
    public List<string> MainCommits { get; } = [];

    public async Task InitializeAsync()
    {
        Host = await ServerHost.StartAsync();
        var db = Host.Database;
        Root = await History.StartAsync(db);
        await db.ExecuteAsync("SELECT pggit_v0.create_branch('other')");
        await History.CommitAsync(db, "feature", new Dictionary<string, string?>
        {
            [BigOrders] = "CREATE VIEW public.big_orders AS SELECT id FROM public.orders WHERE total > 500;",
            ["public/views/v_new.sql"] = "CREATE VIEW public.v_new AS SELECT 1 AS n;",
        }, "alter big_orders, add v_new", "bob");
        FeatureTip = await History.CommitAsync(db, "feature", new Dictionary<string, string?> { [Calc] = null }, "drop calc", "bob");
        await History.CommitAsync(db, "other", new Dictionary<string, string?>
        {
            ["public/views/v_other.sql"] = "CREATE VIEW public.v_other AS SELECT 2 AS n;",
        }, "add v_other", "carol");

        foreach (var (ddl, message) in new[]
        {
            ("CREATE OR REPLACE VIEW public.big_orders AS SELECT id FROM public.orders WHERE total > 200", "raise to 200"),
            ("DROP VIEW public.big_orders", "drop big_orders"),
            ("CREATE VIEW public.big_orders AS SELECT id FROM public.orders", "recreate big_orders"),
            ("CREATE FUNCTION public.calc(a text) RETURNS text LANGUAGE sql AS 'SELECT a'", "overload calc"),
        })
        {
            await db.ExecuteAsync(ddl);
            MainCommits.Add(await db.ScalarAsync<string>("SELECT pggit_v0.commit(@message, 'alice')", new { message }));
        }
        await db.ExecuteAsync("""
            SELECT pggit_v0.update_ref('island', pggit_v0.commit_tree(g.tree_sha, ARRAY[]::text[], 'unrelated root', 'zed'), NULL)
            FROM pggit_v0.commit_graph g WHERE g.commit_sha = @root
            """, new { root = Root });
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class DiffTests(DiffFixture fixture) : IClassFixture<DiffFixture>
{
    private ServerHost Host => fixture.Host;
    private HistoryService.HistoryServiceClient Reader => Host.History(Host.ReaderKey);

    [Fact]
    public async Task DiffCommits_gives_one_entry_per_changed_object_with_both_definitions()
    {
        var diff = await Reader.DiffCommitsAsync(new DiffCommitsRequest { OldRef = fixture.Root, NewRef = "feature" });
        Assert.Equal(
            [(DiffFixture.Calc, ChangeType.Drop), (DiffFixture.BigOrders, ChangeType.Alter), ("public/views/v_new.sql", ChangeType.Create)],
            diff.Changes.Select(c => (c.ObjectPath, c.ChangeType)));
        var altered = diff.Changes[1];
        Assert.Contains("100", altered.OldDefinition);
        Assert.Contains("500", altered.NewDefinition);
        Assert.Equal("", diff.Changes[0].NewDefinition);
        Assert.StartsWith("CREATE OR REPLACE FUNCTION public.calc(a integer)", diff.Changes[0].OldDefinition);
        Assert.Equal("", diff.Changes[2].OldDefinition);

        var reversed = await Reader.DiffCommitsAsync(new DiffCommitsRequest { OldRef = fixture.FeatureTip[..10], NewRef = "feature~2" });
        Assert.Equal([ChangeType.Create, ChangeType.Alter, ChangeType.Drop], reversed.Changes.Select(c => c.ChangeType));
        Assert.Empty((await Reader.DiffCommitsAsync(new DiffCommitsRequest { OldRef = "feature", NewRef = fixture.FeatureTip })).Changes);
    }

    [Fact]
    public async Task DiffCommits_rejects_unknown_and_ambiguous_revisions()
    {
        var (_, unknown) = await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Reader.DiffCommitsAsync(new DiffCommitsRequest { OldRef = "no-such-branch", NewRef = "feature" }).ResponseAsync);
        Assert.Equal("no-such-branch", unknown.Metadata["value"]);
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Reader.DiffCommitsAsync(new DiffCommitsRequest { OldRef = "feature", NewRef = "0000dead" }).ResponseAsync);

        // Dangling commits until two share their first four hex digits (about 300 by the birthday bound).
        var prefix = await Host.Database.ScalarAsync<string>("""
            DO $$
            DECLARE
                v_tree text := (SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('main'));
            BEGIN
                FOR i IN 1..5000 LOOP
                    PERFORM pggit_v0.commit_tree(v_tree, ARRAY[]::text[], 'collision ' || i, 'zed');
                    EXIT WHEN EXISTS (SELECT 1 FROM pggit_v0.commit_graph GROUP BY left(commit_sha, 4) HAVING count(*) > 1);
                END LOOP;
            END $$;
            SELECT left(commit_sha, 4) FROM pggit_v0.commit_graph GROUP BY 1 HAVING count(*) > 1 LIMIT 1;
            """);
        var (ambiguous, info) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.DiffCommitsAsync(new DiffCommitsRequest { OldRef = prefix, NewRef = "feature" }).ResponseAsync);
        Assert.Contains("ambiguous", ambiguous.Status.Detail);
        Assert.Equal(prefix, info.Metadata["value"]);
    }

    [Fact]
    public async Task DiffBranches_compares_tips_or_what_branch2_brings_from_the_merge_base()
    {
        var tips = await Reader.DiffBranchesAsync(new DiffBranchesRequest { Branch1 = "other", Branch2 = "feature" });
        Assert.Equal(
            [(DiffFixture.Calc, ChangeType.Drop), (DiffFixture.BigOrders, ChangeType.Alter), ("public/views/v_new.sql", ChangeType.Create),
             ("public/views/v_other.sql", ChangeType.Drop)],
            tips.Changes.Select(c => (c.ObjectPath, c.ChangeType)));
        Assert.Contains("v_other", tips.Changes[3].OldDefinition);

        var fromBase = await Reader.DiffBranchesAsync(new DiffBranchesRequest { Branch1 = "other", Branch2 = "feature", FromMergeBase = true });
        Assert.Equal([DiffFixture.Calc, DiffFixture.BigOrders, "public/views/v_new.sql"], fromBase.Changes.Select(c => c.ObjectPath));
        Assert.Contains("100", fromBase.Changes[1].OldDefinition);

        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Reader.DiffBranchesAsync(new DiffBranchesRequest { Branch1 = "other", Branch2 = "no-such-branch" }).ResponseAsync);
        var (unrelated, _) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Reader.DiffBranchesAsync(new DiffBranchesRequest { Branch1 = "island", Branch2 = "feature", FromMergeBase = true }).ResponseAsync);
        Assert.Contains("share no history", unrelated.Status.Detail);
    }

    [Fact]
    public async Task GetMergeBase_finds_the_common_ancestor_and_is_empty_for_unrelated_histories()
    {
        Assert.Equal(fixture.Root, (await Reader.GetMergeBaseAsync(new GetMergeBaseRequest { Ref1 = "feature", Ref2 = "other" })).MergeBaseSha);
        Assert.Equal(fixture.Root, (await Reader.GetMergeBaseAsync(new GetMergeBaseRequest { Ref1 = "main", Ref2 = "feature" })).MergeBaseSha);
        Assert.Equal(fixture.FeatureTip, (await Reader.GetMergeBaseAsync(new GetMergeBaseRequest { Ref1 = "feature", Ref2 = "feature" })).MergeBaseSha);
        Assert.Equal("", (await Reader.GetMergeBaseAsync(new GetMergeBaseRequest { Ref1 = "island", Ref2 = "main" })).MergeBaseSha);
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Reader.GetMergeBaseAsync(new GetMergeBaseRequest { Ref1 = "island", Ref2 = "no-such-branch" }).ResponseAsync);
    }

    [Fact]
    public async Task GetObjectHistory_lists_creates_alters_and_drops_on_the_checked_out_line_newest_first()
    {
        var history = await Reader.GetObjectHistoryAsync(new GetObjectHistoryRequest { SchemaName = "public", ObjectName = "big_orders" });
        Assert.Equal(
            [(fixture.MainCommits[2], ChangeType.Create), (fixture.MainCommits[1], ChangeType.Drop), (fixture.MainCommits[0], ChangeType.Alter),
             (fixture.Root, ChangeType.Create)],
            history.Entries.Select(e => (e.CommitSha, e.ChangeType)));
        Assert.Equal(("alice", "recreate big_orders"), (history.Entries[0].Author, history.Entries[0].Message));

        var limited = await Reader.GetObjectHistoryAsync(new GetObjectHistoryRequest { SchemaName = "public", ObjectName = "big_orders", Limit = 2 });
        Assert.Equal(history.Entries.Take(2), limited.Entries);
        var overload = await Reader.GetObjectHistoryAsync(new GetObjectHistoryRequest { SchemaName = "public", ObjectName = "calc(text)" });
        Assert.Equal(fixture.MainCommits[3], Assert.Single(overload.Entries).CommitSha);
    }

    [Fact]
    public async Task GetObjectHistory_errors_map_to_their_codes()
    {
        var (_, missing) = await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Reader.GetObjectHistoryAsync(new GetObjectHistoryRequest { SchemaName = "public", ObjectName = "nope" }).ResponseAsync);
        Assert.Equal("public", missing.Metadata["value"]);
        var (ambiguous, _) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.GetObjectHistoryAsync(new GetObjectHistoryRequest { SchemaName = "public", ObjectName = "calc" }).ResponseAsync);
        Assert.Contains("calc(integer)", ambiguous.Status.Detail);
        Assert.Contains("calc(text)", ambiguous.Status.Detail);
        var (negative, _) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.GetObjectHistoryAsync(new GetObjectHistoryRequest { SchemaName = "public", ObjectName = "big_orders", Limit = -1 }).ResponseAsync);
        Assert.Contains("-1", negative.Status.Detail);
    }

    [Fact]
    public async Task ExportRepository_streams_every_object_with_gits_payload_then_the_refs_then_head()
    {
        using var call = Reader.ExportRepository(new ExportRepositoryRequest());
        var items = new List<ExportItem>();
        await foreach (var item in call.ResponseStream.ReadAllAsync()) items.Add(item);

        var objects = items.TakeWhile(i => i.ItemCase == ExportItem.ItemOneofCase.Object).Select(i => i.Object).ToList();
        Assert.Equal(await Host.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.objects"), objects.Count);
        foreach (var o in objects)
        {
            var header = System.Text.Encoding.ASCII.GetBytes($"{o.Type} {o.Payload.Length}\0");
            Assert.Equal(o.Sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. header, .. o.Payload.ToByteArray()])));
        }

        var refs = items.Skip(objects.Count).TakeWhile(i => i.ItemCase == ExportItem.ItemOneofCase.Ref).Select(i => i.Ref).ToList();
        Assert.Equal(await Host.Database.QueryAsync<string>("SELECT name FROM pggit_v0.refs ORDER BY name COLLATE \"C\""), refs.Select(r => r.Name));
        Assert.Equal(("branch", fixture.FeatureTip), (refs.Single(r => r.Name == "feature").Type, refs.Single(r => r.Name == "feature").TargetSha));
        Assert.Equal("main", items[^1].HeadBranch);
        Assert.Equal(objects.Count + refs.Count + 1, items.Count);
    }
}
