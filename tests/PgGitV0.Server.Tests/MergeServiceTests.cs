using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Security;
using PgGitV0.Server.Tests.Infrastructure;
using static PgGitV0.Server.Tests.Infrastructure.MergeHistory;

namespace PgGitV0.Server.Tests;

/// <summary>main (checked out) with the root commit; each test grows its own branches under its own prefix.
/// A second writer, "rita-reviewer", reviews merge requests.</summary>
public sealed class MergeServiceFixture : IAsyncLifetime
{
    public const string ReviewerName = "rita-reviewer";

    public ServerHost Host { get; private set; } = null!;
    public string Root { get; private set; } = "";
    public string ReviewerKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ServerHost.StartAsync();
        Root = await History.StartAsync(Host.Database, "unused");
        ReviewerKey = await Host.Service<ApiKeyStore>().AddAsync(ReviewerName, ApiRole.Writer, CancellationToken.None);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class MergeServiceTests(MergeServiceFixture fixture) : IClassFixture<MergeServiceFixture>
{
    private ServerHost Host => fixture.Host;
    private MergeService.MergeServiceClient Writer => new(Host.Invoker(Host.WriterKey));
    private MergeService.MergeServiceClient Reviewer => new(Host.Invoker(fixture.ReviewerKey));
    private MergeService.MergeServiceClient Reader => new(Host.Invoker(Host.ReaderKey));
    private Testing.TestDatabase Db => Host.Database;

    private async Task<Commit> CommitAsync(string sha)
        => await Host.History(Host.ReaderKey).GetCommitAsync(new GetCommitRequest { Ref = sha });

    [Fact]
    public async Task CreateFeatureBranch_starts_feature_name_at_HEAD_with_its_description()
    {
        var branch = await Writer.CreateFeatureBranchAsync(new CreateFeatureBranchRequest { Name = "login-form", Description = "the new login form" });
        Assert.Equal(("feature/login-form", fixture.Root, ServerHost.WriterName, false),
            (branch.Name, branch.HeadSha, branch.CreatedBy, branch.CheckedOut));
        Assert.Equal("the new login form",
            await Db.ScalarAsync<string>("SELECT description FROM pggit_v0.refs WHERE name = 'feature/login-form'"));

        var (exists, info) = await RpcAssert.FailsAsync(StatusCode.AlreadyExists,
            () => Writer.CreateFeatureBranchAsync(new CreateFeatureBranchRequest { Name = "feature/login-form" }).ResponseAsync);
        Assert.Equal("feature/login-form", info.Metadata["value"]);
        Assert.Contains("already exists", exists.Status.Detail);
    }

    [Fact]
    public async Task DetectConflicts_predicts_exactly_what_MergeBranch_stops_on_and_the_pending_merge_is_listed()
    {
        var (target, source) = await ConflictingPairAsync(Db, "detect", "alpha", "beta");
        var targetTip = await TipAsync(Db, target);

        var predicted = (await Reader.DetectConflictsAsync(new DetectConflictsRequest { SourceBranch = source, TargetBranch = target })).Conflicts;
        Assert.Equal([TablePath("alpha"), TablePath("beta")], predicted.Select(c => c.ObjectPath));
        Assert.All(predicted, c => Assert.Equal(("modify/modify", "", source, target), (c.ConflictType, c.MergeId, c.SourceBranch, c.TargetBranch)));
        Assert.Contains("on_source", predicted[0].SourceDefinition);
        Assert.Contains("on_target", predicted[0].TargetDefinition);

        var merged = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = source, TargetBranch = target });
        Assert.True(merged.Conflicts);
        Assert.Equal("conflicts", merged.Outcome);
        Assert.Equal("", merged.MergeCommitSha);
        Assert.Equal(predicted.Select(c => c.ObjectPath), merged.ConflictObjects);
        Assert.True(Guid.TryParse(merged.MergeId, out _));
        Assert.Equal(targetTip, await TipAsync(Db, target));

        var pending = Assert.Single((await Reader.ListMergesAsync(new ListMergesRequest { SourceBranch = source, TargetBranch = target })).Merges);
        Assert.Equal((merged.MergeId, "conflicted", "recursive", 2, 2, targetTip, ServerHost.WriterName),
            (pending.MergeId, pending.Status, pending.Strategy, pending.Conflicts, pending.Unresolved, pending.TargetSha, pending.CreatedBy));

        // The same merge again finds the pending one instead of recording a second.
        var again = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = source, TargetBranch = target });
        Assert.Equal((true, merged.MergeId), (again.Conflicts, again.MergeId));

        var conflicts = (await Reader.ListConflictsAsync(new ListConflictsRequest { MergeId = merged.MergeId })).Conflicts;
        Assert.Equal(predicted.Select(c => (c.ObjectPath, c.ConflictType, c.SourceDefinition, c.TargetDefinition)),
            conflicts.Select(c => (c.ObjectPath, c.ConflictType, c.SourceDefinition, c.TargetDefinition)));
        Assert.All(conflicts, c => Assert.Equal((merged.MergeId, "", "", false), (c.MergeId, c.Resolution, c.ResolvedBy, c.ResolvedAt is not null)));
        Assert.Contains("<<<<<<< " + target, conflicts[0].MergedDefinition);
        Assert.DoesNotContain("on_", conflicts[0].BaseDefinition);
    }

    [Fact]
    public async Task A_clean_merge_writes_a_commit_whose_first_parent_is_the_target_and_a_second_merge_is_up_to_date()
    {
        await BranchAsync(Db, "clean/target");
        await BranchAsync(Db, "clean/source");
        var targetTip = await AddTableAsync(Db, "clean/target", "clean_on_target");
        var sourceTip = await AddTableAsync(Db, "clean/source", "clean_on_source");
        Assert.Empty((await Reader.DetectConflictsAsync(new DetectConflictsRequest { SourceBranch = "clean/source", TargetBranch = "clean/target" })).Conflicts);

        var merged = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = "clean/source", TargetBranch = "clean/target", Message = "bring in the source" });
        Assert.Equal((false, 0, "", "merge"), (merged.Conflicts, merged.ConflictObjects.Count, merged.MergeId, merged.Outcome));
        Assert.Equal(merged.MergeCommitSha, await TipAsync(Db, "clean/target"));
        var commit = await CommitAsync(merged.MergeCommitSha);
        Assert.Equal([targetTip, sourceTip], commit.ParentShas);
        Assert.Equal(("bring in the source", ServerHost.WriterName), (commit.Message, commit.Author));
        Assert.NotNull(await FileAsync(Db, "clean/target", TablePath("clean_on_source")));

        var upToDate = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = "clean/source", TargetBranch = "clean/target" });
        Assert.Equal((merged.MergeCommitSha, false, "up_to_date"), (upToDate.MergeCommitSha, upToDate.Conflicts, upToDate.Outcome));
        Assert.Equal(merged.MergeCommitSha, await TipAsync(Db, "clean/target"));
    }

    [Fact]
    public async Task A_target_behind_the_source_is_fast_forwarded()
    {
        await BranchAsync(Db, "ff/target");
        await BranchAsync(Db, "ff/source", "ff/target");
        await AddTableAsync(Db, "ff/source", "ff_one");
        var sourceTip = await AddTableAsync(Db, "ff/source", "ff_two");

        var merged = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = "ff/source", TargetBranch = "ff/target" });
        Assert.Equal((sourceTip, false, "fast_forward"), (merged.MergeCommitSha, merged.Conflicts, merged.Outcome));
        Assert.Equal(sourceTip, await TipAsync(Db, "ff/target"));
    }

    [Fact]
    public async Task Resolving_each_conflict_with_source_target_and_manual_ddl_completes_the_merge_with_a_commit()
    {
        var (target, source) = await ConflictingPairAsync(Db, "resolve", "r_one", "r_two", "r_three");
        var (targetTip, sourceTip) = (await TipAsync(Db, target), await TipAsync(Db, source));
        var merged = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = source, TargetBranch = target });
        var conflicts = (await Reader.ListConflictsAsync(new ListConflictsRequest { MergeId = merged.MergeId })).Conflicts
            .ToDictionary(c => c.ObjectPath);

        var first = await Writer.ResolveConflictAsync(new ResolveConflictRequest { MergeId = merged.MergeId, ObjectPath = TablePath("r_one"), Strategy = "source" });
        Assert.Equal((merged.MergeId, 2, ""), (first.MergeId, first.Unresolved, first.MergeCommitSha));
        var resolved = (await Reader.ListConflictsAsync(new ListConflictsRequest { MergeId = merged.MergeId })).Conflicts.Single(c => c.ObjectPath == TablePath("r_one"));
        Assert.Equal(("source", ServerHost.WriterName), (resolved.Resolution, resolved.ResolvedBy));
        Assert.NotNull(resolved.ResolvedAt);

        // Without a merge id: the only pending merge with a conflict on that path.
        var second = await Writer.ResolveConflictAsync(new ResolveConflictRequest { ObjectPath = TablePath("r_two"), Strategy = "target" });
        Assert.Equal((merged.MergeId, 1, ""), (second.MergeId, second.Unresolved, second.MergeCommitSha));
        Assert.Equal(targetTip, await TipAsync(Db, target));

        var last = await Writer.ResolveConflictAsync(new ResolveConflictRequest
        {
            MergeId = merged.MergeId, ObjectPath = TablePath("r_three"), Strategy = "manual_ddl",
            ManualDdl = Table("r_three", "id bigint, on_target text, on_source text"),
        });
        Assert.Equal((merged.MergeId, 0), (last.MergeId, last.Unresolved));
        Assert.Equal(await TipAsync(Db, target), last.MergeCommitSha);
        Assert.Equal([targetTip, sourceTip], (await CommitAsync(last.MergeCommitSha)).ParentShas);

        Assert.Equal(conflicts[TablePath("r_one")].SourceDefinition, await FileAsync(Db, target, TablePath("r_one")));
        Assert.Equal(conflicts[TablePath("r_two")].TargetDefinition, await FileAsync(Db, target, TablePath("r_two")));
        var manual = await FileAsync(Db, target, TablePath("r_three"));
        Assert.Contains("on_target", manual);
        Assert.Contains("on_source", manual);
        Assert.NotNull(await FileAsync(Db, target, TablePath(Clean("resolve"))));

        Assert.Empty((await Reader.ListMergesAsync(new ListMergesRequest { SourceBranch = source, TargetBranch = target })).Merges);
        var completed = Assert.Single((await Reader.ListMergesAsync(new ListMergesRequest { SourceBranch = source, TargetBranch = target, Status = "all" })).Merges);
        Assert.Equal(("completed", last.MergeCommitSha, 0), (completed.Status, completed.MergeCommitSha, completed.Unresolved));
        Assert.Equal(merged.MergeId, Assert.Single((await Reader.ListMergesAsync(new ListMergesRequest { TargetBranch = target, Status = "completed" })).Merges).MergeId);
    }

    [Fact]
    public async Task CompleteMerge_waits_for_every_resolution_and_bad_resolutions_are_refused()
    {
        var (target, source) = await ConflictingPairAsync(Db, "complete", "c_one", "c_two");
        var merged = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = source, TargetBranch = target });

        var (early, _) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Writer.CompleteMergeAsync(new CompleteMergeRequest { MergeId = merged.MergeId }).ResponseAsync);
        Assert.Contains("unresolved conflicts", early.Status.Detail);

        var (_, unknown) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Writer.ResolveConflictAsync(
            new ResolveConflictRequest { MergeId = merged.MergeId, ObjectPath = TablePath("c_one"), Strategy = "mine" }).ResponseAsync);
        Assert.Equal("mine", unknown.Metadata["value"]);
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Writer.ResolveConflictAsync(new ResolveConflictRequest
        {
            MergeId = merged.MergeId, ObjectPath = TablePath("c_one"), Strategy = "manual_ddl", ManualDdl = "CREATE TABLE public.c_one (id bigint",
        }).ResponseAsync);
        var (ddlWithoutManual, _) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Writer.ResolveConflictAsync(new ResolveConflictRequest
        {
            MergeId = merged.MergeId, ObjectPath = TablePath("c_one"), Strategy = "source", ManualDdl = Table("c_one", "id bigint"),
        }).ResponseAsync);
        Assert.Contains("manual_ddl", ddlWithoutManual.Status.Detail);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Writer.ResolveConflictAsync(
            new ResolveConflictRequest { MergeId = merged.MergeId, ObjectPath = TablePath("no_such"), Strategy = "source" }).ResponseAsync);
        Assert.Equal(2, Assert.Single((await Reader.ListMergesAsync(new ListMergesRequest { TargetBranch = target })).Merges).Unresolved);

        // Re-resolving a conflict changes its resolution; the merge completes with the last one.
        await Writer.ResolveConflictAsync(new ResolveConflictRequest { MergeId = merged.MergeId, ObjectPath = TablePath("c_one"), Strategy = "source" });
        await Writer.ResolveConflictAsync(new ResolveConflictRequest { MergeId = merged.MergeId, ObjectPath = TablePath("c_one"), Strategy = "target" });
        var done = await Writer.ResolveConflictAsync(new ResolveConflictRequest { MergeId = merged.MergeId, ObjectPath = TablePath("c_two"), Strategy = "target" });
        Assert.Equal(await TipAsync(Db, target), done.MergeCommitSha);
        Assert.Contains("on_target", await FileAsync(Db, target, TablePath("c_one")));

        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Writer.CompleteMergeAsync(new CompleteMergeRequest { MergeId = merged.MergeId }).ResponseAsync);
    }

    [Fact]
    public async Task Without_a_merge_id_a_path_two_pending_merges_conflict_on_is_INVALID_ARGUMENT_naming_both()
    {
        var (firstTarget, firstSource) = await ConflictingPairAsync(Db, "ambiguous-1", "ambiguous_shared");
        var (secondTarget, secondSource) = await ConflictingPairAsync(Db, "ambiguous-2", "ambiguous_shared");
        var first = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = firstSource, TargetBranch = firstTarget });
        var second = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = secondSource, TargetBranch = secondTarget });

        var (ambiguous, _) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Writer.ResolveConflictAsync(
            new ResolveConflictRequest { ObjectPath = TablePath("ambiguous_shared"), Strategy = "source" }).ResponseAsync);
        Assert.Contains(first.MergeId, ambiguous.Status.Detail);
        Assert.Contains(second.MergeId, ambiguous.Status.Detail);

        var resolved = await Writer.ResolveConflictAsync(
            new ResolveConflictRequest { MergeId = second.MergeId, ObjectPath = TablePath("ambiguous_shared"), Strategy = "source" });
        Assert.Equal((second.MergeId, 0), (resolved.MergeId, resolved.Unresolved));
        Assert.Equal(await TipAsync(Db, secondTarget), resolved.MergeCommitSha);
        Assert.Equal(1, Assert.Single((await Reader.ListMergesAsync(new ListMergesRequest { TargetBranch = firstTarget })).Merges).Unresolved);
        await Writer.AbortMergeAsync(new AbortMergeRequest { MergeId = first.MergeId });
    }

    [Fact]
    public async Task AbortMerge_leaves_no_pending_merge_and_moves_nothing()
    {
        var (target, source) = await ConflictingPairAsync(Db, "abort", "a_one");
        var targetTip = await TipAsync(Db, target);
        var merged = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = source, TargetBranch = target });

        var aborted = await Writer.AbortMergeAsync(new AbortMergeRequest { MergeId = merged.MergeId });
        Assert.Equal(merged.MergeId, aborted.MergeId);
        Assert.Empty((await Reader.ListMergesAsync(new ListMergesRequest { SourceBranch = source, TargetBranch = target, Status = "all" })).Merges);
        Assert.Empty((await Reader.ListConflictsAsync(new ListConflictsRequest { MergeId = merged.MergeId })).Conflicts);
        Assert.Equal(targetTip, await TipAsync(Db, target));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Writer.AbortMergeAsync(new AbortMergeRequest { MergeId = merged.MergeId }).ResponseAsync);

        // Merging again records a new pending merge.
        var again = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = source, TargetBranch = target });
        Assert.True(again.Conflicts);
        Assert.NotEqual(merged.MergeId, again.MergeId);
        Assert.Equal(again.MergeId, (await Writer.AbortMergeAsync(new AbortMergeRequest { MergeId = again.MergeId })).MergeId);
    }

    [Theory]
    [InlineData("ours", "on_target")]
    [InlineData("theirs", "on_source")]
    public async Task Strategies_ours_and_theirs_settle_conflicts_with_one_side_and_merge_the_rest(string strategy, string kept)
    {
        var prefix = $"strategy-{strategy}";
        var (target, source) = await ConflictingPairAsync(Db, prefix, $"s_{strategy}");
        var (targetTip, sourceTip) = (await TipAsync(Db, target), await TipAsync(Db, source));

        var merged = await Writer.MergeBranchAsync(new MergeBranchRequest { SourceBranch = source, TargetBranch = target, Strategy = strategy });
        Assert.Equal((false, ""), (merged.Conflicts, merged.MergeId));
        Assert.Equal([TablePath($"s_{strategy}")], merged.ConflictObjects);
        Assert.Equal([targetTip, sourceTip], (await CommitAsync(merged.MergeCommitSha)).ParentShas);
        var file = await FileAsync(Db, target, TablePath($"s_{strategy}"));
        Assert.Contains(kept, file);
        Assert.DoesNotContain(kept == "on_target" ? "on_source" : "on_target", file);
        Assert.NotNull(await FileAsync(Db, target, TablePath(Clean(prefix))));
        Assert.Empty((await Reader.ListMergesAsync(new ListMergesRequest { TargetBranch = target, Status = "all" })).Merges);
    }

    [Fact]
    public async Task An_unknown_strategy_is_INVALID_ARGUMENT_and_merging_into_the_checked_out_branch_is_FAILED_PRECONDITION()
    {
        await BranchAsync(Db, "refused/source");
        await AddTableAsync(Db, "refused/source", "refused_table");

        var (unknown, info) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Writer.MergeBranchAsync(
            new MergeBranchRequest { SourceBranch = "refused/source", TargetBranch = "unused", Strategy = "octopus" }).ResponseAsync);
        Assert.Equal("octopus", info.Metadata["value"]);
        Assert.Contains("unknown", unknown.Status.Detail);

        var (checkedOut, _) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => Writer.MergeBranchAsync(
            new MergeBranchRequest { SourceBranch = "refused/source", TargetBranch = "main" }).ResponseAsync);
        Assert.Contains("checked out", checkedOut.Status.Detail);
        Assert.Equal(fixture.Root, await TipAsync(Db, "main"));
    }

    [Fact]
    public async Task A_reader_cannot_merge()
    {
        await BranchAsync(Db, "reader/target");
        await BranchAsync(Db, "reader/source");
        await AddTableAsync(Db, "reader/source", "reader_table");

        var (_, info) = await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Reader.MergeBranchAsync(
            new MergeBranchRequest { SourceBranch = "reader/source", TargetBranch = "reader/target" }).ResponseAsync);
        Assert.Equal("writer", info.Metadata["required_role"]);
        Assert.Equal(fixture.Root, await TipAsync(Db, "reader/target"));
    }

    [Fact]
    public async Task Ids_that_are_not_uuids_are_INVALID_ARGUMENT_naming_the_value()
    {
        var (listed, info) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.ListConflictsAsync(new ListConflictsRequest { MergeId = "merge-42" }).ResponseAsync);
        Assert.Equal(("merge_id", "merge-42"), (info.Metadata["field"], info.Metadata["value"]));
        Assert.Contains("'merge-42'", listed.Status.Detail);

        var (_, resolve) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Writer.ResolveConflictAsync(
            new ResolveConflictRequest { MergeId = "42", ObjectPath = TablePath("x"), Strategy = "source" }).ResponseAsync);
        Assert.Equal("42", resolve.Metadata["value"]);
        var (_, get) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Reader.GetMergeRequestAsync(new GetMergeRequestRequest { Id = "" }).ResponseAsync);
        Assert.Equal("id", get.Metadata["field"]);
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Writer.ApproveMergeRequestAsync(new ApproveMergeRequestRequest { Id = "not-a-uuid" }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => Reader.GetMergeRequestAsync(new GetMergeRequestRequest { Id = Guid.NewGuid().ToString() }).ResponseAsync);
    }

    [Fact]
    public async Task RebaseBranch_streams_progress_up_to_the_total_then_the_result()
    {
        await BranchAsync(Db, "rebase/onto");
        await BranchAsync(Db, "rebase/topic");
        var onto = await AddTableAsync(Db, "rebase/onto", "rebase_onto");
        var oldTip = "";
        for (var i = 0; i < 3; i++) oldTip = await AddTableAsync(Db, "rebase/topic", $"rebase_topic_{i}");

        var events = await RebaseAsync(new RebaseBranchRequest { Branch = "rebase/topic", Onto = "rebase/onto" });
        var progress = events.TakeWhile(e => e.EventCase == RebaseBranchEvent.EventOneofCase.Progress).Select(e => e.Progress).ToList();
        Assert.Equal([(1, 3), (2, 3), (3, 3)], progress.Select(p => (p.Done, p.Total)));
        Assert.Equal(progress.Count + 1, events.Count);
        var result = events[^1].Result;
        Assert.NotNull(result);
        Assert.Equal((false, 3, 0, oldTip, ""), (result.Conflicts, result.ReplayedCommits, result.DroppedCommits, result.OldTipSha, result.ConflictCommitSha));
        Assert.Equal(result.RebasedCommitSha, await TipAsync(Db, "rebase/topic"));
        Assert.Equal(onto, await Db.ScalarAsync<string>("SELECT pggit_v0.merge_base('rebase/topic', 'rebase/onto')"));
        Assert.Equal("add rebase_topic_2", (await CommitAsync(result.RebasedCommitSha)).Message);
    }

    [Fact]
    public async Task Concurrent_rebases_each_stream_only_their_own_progress()
    {
        var counts = new[] { 2, 5 };
        foreach (var (count, i) in counts.Select((c, i) => (c, i)))
        {
            await BranchAsync(Db, $"parallel/topic-{i}");
            await BranchAsync(Db, $"parallel/onto-{i}");
            await AddTableAsync(Db, $"parallel/onto-{i}", $"parallel_onto_{i}");
            for (var n = 0; n < count; n++) await AddTableAsync(Db, $"parallel/topic-{i}", $"parallel_{i}_{n}");
        }

        var streams = await Task.WhenAll(counts.Select((_, i) => RebaseAsync(new RebaseBranchRequest { Branch = $"parallel/topic-{i}", Onto = $"parallel/onto-{i}" })));
        foreach (var (events, count) in streams.Zip(counts))
        {
            Assert.Equal(Enumerable.Range(1, count).Select(done => (done, count)),
                events.Where(e => e.Progress is not null).Select(e => (e.Progress.Done, e.Progress.Total)));
            Assert.Equal(count, events[^1].Result.ReplayedCommits);
        }
    }

    [Fact]
    public async Task A_conflicting_rebase_names_the_commit_and_moves_nothing()
    {
        var (target, source) = await ConflictingPairAsync(Db, "rebase-conflict", "rc_one");
        var sourceTip = await TipAsync(Db, source);

        var events = await RebaseAsync(new RebaseBranchRequest { Branch = source, Onto = target });
        var result = Assert.Single(events).Result;
        Assert.Equal((true, "", sourceTip, sourceTip), (result.Conflicts, result.RebasedCommitSha, result.ConflictCommitSha, result.OldTipSha));
        Assert.Equal([TablePath("rc_one")], result.ConflictObjects);
        Assert.Equal(sourceTip, await TipAsync(Db, source));

        var (checkedOut, _) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => RebaseAsync(new RebaseBranchRequest { Branch = "main", Onto = target }));
        Assert.Contains("checked out", checkedOut.Status.Detail);
    }

    private async Task<List<RebaseBranchEvent>> RebaseAsync(RebaseBranchRequest request)
    {
        using var call = Writer.RebaseBranch(request);
        var events = new List<RebaseBranchEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync()) events.Add(e);
        return events;
    }

    [Fact]
    public async Task CherryPick_applies_one_commit_once_and_writes_nothing_on_conflicts()
    {
        await BranchAsync(Db, "pick/from");
        await BranchAsync(Db, "pick/onto");
        await AddTableAsync(Db, "pick/from", "pick_skipped");
        var picked = await AddTableAsync(Db, "pick/from", "pick_wanted");
        var ontoTip = await AddTableAsync(Db, "pick/onto", "pick_onto");

        var result = await Writer.CherryPickAsync(new CherryPickRequest { Commit = picked, Branch = "pick/onto" });
        Assert.Equal((false, 0), (result.Conflicts, result.ConflictObjects.Count));
        Assert.Equal(result.NewCommitSha, await TipAsync(Db, "pick/onto"));
        var commit = await CommitAsync(result.NewCommitSha);
        Assert.Equal([ontoTip], commit.ParentShas);
        Assert.Equal(("add pick_wanted", "Dev"), (commit.Message, commit.Author));
        Assert.NotNull(await FileAsync(Db, "pick/onto", TablePath("pick_wanted")));
        Assert.Null(await FileAsync(Db, "pick/onto", TablePath("pick_skipped")));

        var again = await Writer.CherryPickAsync(new CherryPickRequest { Commit = picked, Branch = "pick/onto" });
        Assert.Equal((result.NewCommitSha, false), (again.NewCommitSha, again.Conflicts));

        var (target, source) = await ConflictingPairAsync(Db, "pick-conflict", "pc_one");
        var targetTip = await TipAsync(Db, target);
        var conflicted = await Writer.CherryPickAsync(new CherryPickRequest { Commit = source, Branch = target });
        Assert.Equal((true, ""), (conflicted.Conflicts, conflicted.NewCommitSha));
        Assert.Equal([TablePath("pc_one")], conflicted.ConflictObjects);
        Assert.Equal(targetTip, await TipAsync(Db, target));
    }

    [Fact]
    public async Task A_merge_request_is_approved_by_someone_else_then_merged_and_another_is_closed()
    {
        await BranchAsync(Db, "mr/target");
        await BranchAsync(Db, "mr/source");
        await AddTableAsync(Db, "mr/target", "mr_on_target");
        var sourceTip = await AddTableAsync(Db, "mr/source", "mr_on_source");

        var opened = await Writer.CreateMergeRequestAsync(new CreateMergeRequestRequest
        {
            SourceBranch = "mr/source", TargetBranch = "mr/target", Title = "Add mr_on_source", Description = "needed by billing", Reviewer = MergeServiceFixture.ReviewerName,
        });
        Assert.Equal(("open", false, 0, 1, ServerHost.WriterName, sourceTip, "needed by billing", MergeServiceFixture.ReviewerName),
            (opened.Status, opened.Conflicts, opened.Approvals, opened.RequiredApprovals, opened.CreatedBy, opened.SourceSha, opened.Description, opened.Reviewer));
        Assert.Equal(opened, await Reader.GetMergeRequestAsync(new GetMergeRequestRequest { Id = opened.Id }));

        var (own, _) = await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => Writer.ApproveMergeRequestAsync(new ApproveMergeRequestRequest { Id = opened.Id }).ResponseAsync);
        Assert.Contains("cannot approve", own.Status.Detail);
        var (unapproved, info) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Writer.CompleteMergeRequestAsync(new CompleteMergeRequestRequest { Id = opened.Id }).ResponseAsync);
        Assert.Contains("is not approved: it has 0 of the 1 approvals required", unapproved.Status.Detail);
        Assert.Equal("PGC01", info.Metadata["sqlstate"]);

        var approved = await Reviewer.ApproveMergeRequestAsync(new ApproveMergeRequestRequest { Id = opened.Id, Notes = "looks right" });
        Assert.Equal(("approved", 1), (approved.Status, approved.Approvals));
        Assert.Equal([MergeServiceFixture.ReviewerName], approved.ApprovedBy);

        var merged = await Writer.CompleteMergeRequestAsync(new CompleteMergeRequestRequest { Id = opened.Id });
        Assert.Equal(("merged", ServerHost.WriterName), (merged.Status, merged.MergedBy));
        Assert.NotNull(merged.MergedAt);
        Assert.Equal(await TipAsync(Db, "mr/target"), merged.MergeCommitSha);
        var commit = await CommitAsync(merged.MergeCommitSha);
        Assert.Equal((2, sourceTip, ServerHost.WriterName), (commit.ParentShas.Count, commit.ParentShas[1], commit.Author));
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Reviewer.CloseMergeRequestAsync(new CloseMergeRequestRequest { Id = opened.Id }).ResponseAsync);

        await AddTableAsync(Db, "mr/source", "mr_later");
        var second = await Writer.CreateMergeRequestAsync(new CreateMergeRequestRequest { SourceBranch = "mr/source", TargetBranch = "mr/target", Title = "Later" });
        var closed = await Reviewer.CloseMergeRequestAsync(new CloseMergeRequestRequest { Id = second.Id });
        Assert.Equal(("closed", MergeServiceFixture.ReviewerName, ""), (closed.Status, closed.ClosedBy, closed.MergeCommitSha));
        Assert.NotNull(closed.ClosedAt);
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Reviewer.ApproveMergeRequestAsync(new ApproveMergeRequestRequest { Id = second.Id }).ResponseAsync);
        Assert.Equal(merged.MergeCommitSha, await TipAsync(Db, "mr/target"));
    }

    [Fact]
    public async Task A_merge_request_records_its_conflicts_and_an_empty_title_is_refused()
    {
        var (target, source) = await ConflictingPairAsync(Db, "mr-conflict", "mrc_one");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Writer.CreateMergeRequestAsync(
            new CreateMergeRequestRequest { SourceBranch = source, TargetBranch = target, Title = " " }).ResponseAsync);

        var opened = await Writer.CreateMergeRequestAsync(new CreateMergeRequestRequest { SourceBranch = source, TargetBranch = target, Title = "conflicting" });
        Assert.True(opened.Conflicts);
        Assert.Equal([TablePath("mrc_one")], opened.ConflictObjects);
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => Writer.CreateMergeRequestAsync(
            new CreateMergeRequestRequest { SourceBranch = source, TargetBranch = target, Title = "twice" }).ResponseAsync);

        await Reviewer.ApproveMergeRequestAsync(new ApproveMergeRequestRequest { Id = opened.Id });
        var (conflicts, _) = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Writer.CompleteMergeRequestAsync(new CompleteMergeRequestRequest { Id = opened.Id }).ResponseAsync);
        Assert.Contains("conflicts now", conflicts.Status.Detail);
    }

    [Fact]
    public async Task ListMergeRequests_pages_return_each_request_exactly_once_in_order()
    {
        await BranchAsync(Db, "paging/target");
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await BranchAsync(Db, $"paging/source-{i}");
            await AddTableAsync(Db, $"paging/source-{i}", $"paging_{i}");
            created.Add((await Writer.CreateMergeRequestAsync(new CreateMergeRequestRequest
                { SourceBranch = $"paging/source-{i}", TargetBranch = "paging/target", Title = $"request {i}" })).Id);
        }

        var seen = new List<string>();
        var pages = 0;
        var token = "";
        do
        {
            var page = await Reader.ListMergeRequestsAsync(new ListMergeRequestsRequest { TargetBranch = "paging/target", PageSize = 2, PageToken = token });
            Assert.InRange(page.MergeRequests.Count, 1, 2);
            seen.AddRange(page.MergeRequests.Select(r => r.Id));
            token = page.NextPageToken;
            pages++;
        } while (token != "");
        Assert.Equal(created, seen);
        Assert.Equal(3, pages);

        var all = await Reader.ListMergeRequestsAsync(new ListMergeRequestsRequest { TargetBranch = "paging/target" });
        Assert.Equal("", all.NextPageToken);
        Assert.Equal(created, all.MergeRequests.Select(r => r.Id));

        var firstPage = await Reader.ListMergeRequestsAsync(new ListMergeRequestsRequest { TargetBranch = "paging/target", PageSize = 2 });
        var (_, info) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Reader.ListMergeRequestsAsync(
            new ListMergeRequestsRequest { TargetBranch = "paging/target", Status = "open", PageSize = 2, PageToken = firstPage.NextPageToken }).ResponseAsync);
        Assert.Equal("INVALID_PAGE_TOKEN", info.Reason);
    }
}
