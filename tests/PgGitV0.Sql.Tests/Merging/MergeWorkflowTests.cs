using Dapper;
using Npgsql;
using PgGitV0.Testing;
using static PgGitV0.Sql.Tests.Merging.MergeRepository;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>Pending merges, resolutions, strategies, refusals and concurrency of merge_branch.</summary>
public sealed class MergeWorkflowTests(MergeRepository repository) : IClassFixture<MergeRepository>
{
    private sealed class MergeResult
    {
        public string? MergeCommitSha { get; init; }
        public bool Conflicts { get; init; }
        public string[] ConflictObjects { get; init; } = null!;
    }

    private static async Task<MergeResult> MergeAsync(NpgsqlConnection db, string source, string target, string strategy = "recursive")
        => await db.QuerySingleAsync<MergeResult>(
            "SELECT merge_commit_sha AS MergeCommitSha, conflicts AS Conflicts, conflict_objects AS ConflictObjects FROM pggit_v0.merge_branch(@source, @target, @strategy)",
            new { source, target, strategy });

    [Fact]
    public async Task A_conflicting_merge_moves_nothing_and_records_a_pending_merge_findable_by_source_and_target()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "pending");
        var (targetTip, sourceTip) = (Tip(db, target), Tip(db, source));
        var objects = (await CountsAsync(db))["objects"];

        var result = await MergeAsync(db, source, target);

        Assert.Null(result.MergeCommitSha);
        Assert.True(result.Conflicts);
        Assert.Equal([Orders, Totals], result.ConflictObjects);
        Assert.Equal(targetTip, Tip(db, target));
        Assert.Equal(objects, (await CountsAsync(db))["objects"]);
        var merge = await db.QuerySingleAsync<(Guid Id, string SourceSha, string TargetSha, int Conflicts, int Unresolved)>(
            "SELECT merge_id, source_sha, target_sha, conflicts, unresolved FROM pggit_v0.list_merges(@source, @target)", new { source, target });
        Assert.Equal((sourceTip, targetTip, 2, 2), (merge.SourceSha, merge.TargetSha, merge.Conflicts, merge.Unresolved));
        var conflicts = (await db.QueryAsync<(string Path, string Type, string? Base, string? Source, string? Target, string? Merged)>("""
            SELECT object_path, conflict_type, base_definition, source_definition, target_definition, merged_definition
            FROM pggit_v0.list_merge_conflicts(@id) ORDER BY object_path
            """, new { id = merge.Id })).ToList();
        Assert.Equal(("modify/modify", OrdersDdl), (conflicts[0].Type, conflicts[0].Base));
        Assert.Contains("amount bigint", conflicts[0].Source);
        Assert.Contains("amount numeric(12,2)", conflicts[0].Target);
        Assert.Equal($"CREATE TABLE public.orders (\n    id bigint NOT NULL,\n<<<<<<< {target}\n    amount numeric(12,2),\n=======\n    amount bigint,\n>>>>>>> {source}\n    note text,\n    placed date\n);\n",
            conflicts[0].Merged);
        Assert.Equal(("delete/modify", (string?)null), (conflicts[1].Type, conflicts[1].Source));   // deleted on the source, modified on the target
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.activity WHERE kind = 'merge_conflicts' AND details ->> 'merge_id' = @id",
            new { id = merge.Id.ToString() }));

        // Asking again gives the same answer; another strategy must wait for the pending merge.
        Assert.Equal(result.ConflictObjects, (await MergeAsync(db, source, target)).ConflictObjects);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.list_merges(@source, @target)", new { source, target }));
        var typo = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT * FROM pggit_v0.list_merges(@source, @target, 'complete')", new { source, target }));
        Assert.Contains("'complete'", typo.MessageText);
        var pending = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => MergeAsync(db, source, target, "theirs"));
        Assert.Contains(merge.Id.ToString(), pending.MessageText);
        await db.ExecuteAsync("SELECT pggit_v0.abort_merge(@id)", new { id = merge.Id });
    }

    [Fact]
    public async Task Resolving_the_last_conflict_writes_the_merge_commit_with_every_resolution()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "resolve");
        var (targetTip, sourceTip) = (Tip(db, target), Tip(db, source));
        await MergeAsync(db, source, target);
        var manual = OrdersDdl.Replace("amount numeric", "amount numeric(20,4)");

        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.resolve_conflict(@Orders, 'manual_ddl', @manual)", new { Orders, manual }));
        Assert.Equal(targetTip, Tip(db, target));   // one conflict is still open
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.resolve_conflict(@Totals, 'source')", new { Totals }));

        var tip = Tip(db, target);
        var commit = await db.QuerySingleAsync<(string[] Parents, string Message)>(
            "SELECT parent_shas, message FROM pggit_v0.commit_graph WHERE commit_sha = @tip", new { tip });
        Assert.Equal([targetTip, sourceTip], commit.Parents);
        Assert.StartsWith($"Merge branch '{source}' into '{target}'", commit.Message);
        Assert.Equal(manual, await FileAsync(db, target, Orders));
        Assert.Null(await FileAsync(db, target, Totals));                                // the source deleted it
        Assert.NotNull(await FileAsync(db, target, "public/tables/refunds.sql"));        // the clean part of the merge
        Assert.Equal(("completed", tip), await db.QuerySingleAsync<(string, string)>(
            "SELECT status, merge_commit_sha FROM pggit_v0.list_merges(@source, @target, NULL)", new { source, target }));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.activity WHERE kind = 'conflict_resolved' AND ref_name = @target", new { target }));
        Assert.Equal("merge", await db.ScalarAsync<string>("SELECT reason FROM pggit_v0.ref_log WHERE ref_name = @target ORDER BY id DESC LIMIT 1", new { target }));
    }

    [Fact]
    public async Task Resolutions_are_checked_and_an_ambiguous_call_names_the_candidates()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "ambiguous");
        await MergeAsync(db, source, target);
        await BranchAsync(db, "ambiguous/other", repository.Root);
        await CommitAsync(db, "ambiguous/other", new() { [Orders] = OrdersDdl.Replace("amount numeric", "amount real") });
        await MergeAsync(db, "ambiguous/other", target);
        var ids = (await db.QueryAsync<Guid>("SELECT merge_id FROM pggit_v0.list_merges(NULL, @target)", new { target })).ToList();
        Assert.Equal(2, ids.Count);

        var ambiguous = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.resolve_conflict(@Orders, 'source')", new { Orders }));
        Assert.All(ids, id => Assert.Contains(id.ToString(), ambiguous.MessageText));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.complete_merge()"));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.resolve_conflict(@Orders, 'mine', NULL, @id)", new { Orders, id = ids[0] }));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.resolve_conflict(@Orders, 'manual_ddl', NULL, @id)", new { Orders, id = ids[0] }));
        var syntax = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync(
            "SELECT pggit_v0.resolve_conflict(@Orders, 'manual_ddl', 'CREATE TABLE public.orders (id bigint', @id)", new { Orders, id = ids[0] }));
        Assert.Contains(Orders, syntax.MessageText);
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ExecuteAsync("SELECT pggit_v0.resolve_conflict('public/tables/none.sql', 'source', NULL, @id)", new { id = ids[0] }));

        // Only the first merge has a conflict on the view, so the path alone picks it.
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.resolve_conflict(@Totals, 'target')", new { Totals }));
        var unresolved = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.complete_merge(@id)", new { id = ids[0] }));
        Assert.Contains(Orders, unresolved.MessageText);
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.resolve_conflict(@Orders, 'target', NULL, @id)", new { Orders, id = ids[0] }));
        Assert.Equal(OrdersDdl.Replace("amount numeric", "amount numeric(12,2)"), await FileAsync(db, target, Orders));
        Assert.Contains("AS total", await FileAsync(db, target, Totals));            // target kept its version of the view
        await db.ExecuteAsync("SELECT pggit_v0.abort_merge()");                           // the other one is now the only pending merge
    }

    [Fact]
    public async Task Abort_leaves_nothing_of_the_merge_behind_and_a_moved_target_stops_completion()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "abort");
        var targetTip = Tip(db, target);
        await MergeAsync(db, source, target);
        var id = await db.ScalarAsync<Guid>("SELECT merge_id FROM pggit_v0.list_merges(@source, @target)", new { source, target });
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.abort_merge(@id)", new { id }));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.merges WHERE id = @id", new { id }));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.merge_conflicts WHERE merge_id = @id", new { id }));
        Assert.Equal(targetTip, Tip(db, target));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.activity WHERE kind = 'merge_aborted' AND details ->> 'merge_id' = @id",
            new { id = id.ToString() }));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ExecuteAsync("SELECT pggit_v0.abort_merge(@id)", new { id }));

        // Merge again, then let the target move before the last resolution.
        await MergeAsync(db, source, target);
        await db.ExecuteAsync("SELECT pggit_v0.resolve_conflict(@Orders, 'source', NULL, (SELECT merge_id FROM pggit_v0.list_merges(@source, @target)))",
            new { Orders, source, target });
        await CommitAsync(db, target, new() { ["public/tables/late.sql"] = "CREATE TABLE public.late (id int);" });
        var moved = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync(
            "SELECT pggit_v0.resolve_conflict(@Totals, 'source', NULL, (SELECT merge_id FROM pggit_v0.list_merges(@source, @target)))", new { Totals, source, target }));
        Assert.Contains("moved", moved.MessageText);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT unresolved FROM pggit_v0.list_merges(@source, @target)", new { source, target }));
        await db.ExecuteAsync("SELECT pggit_v0.abort_merge((SELECT merge_id FROM pggit_v0.list_merges(@source, @target)))", new { source, target });
    }

    [Fact]
    public async Task Ours_and_theirs_settle_each_conflicting_path_with_one_side_and_merge_the_rest()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "ours");
        await BranchAsync(db, "theirs/target", target);
        var (targetTip, sourceTip) = (Tip(db, target), Tip(db, source));

        var ours = await MergeAsync(db, source, target, "ours");
        Assert.False(ours.Conflicts);
        Assert.Equal([Orders, Totals], ours.ConflictObjects);
        Assert.Equal(await FileAsync(db, targetTip, Orders), await FileAsync(db, target, Orders));
        Assert.Equal(await FileAsync(db, targetTip, Totals), await FileAsync(db, target, Totals));
        Assert.NotNull(await FileAsync(db, target, "public/tables/refunds.sql"));
        Assert.Equal(new[] { targetTip, sourceTip }, await db.ScalarAsync<string[]>("SELECT parent_shas FROM pggit_v0.commit_graph WHERE commit_sha = @sha",
            new { sha = ours.MergeCommitSha }));

        var theirs = await MergeAsync(db, source, "theirs/target", "theirs");
        Assert.Equal(Tip(db, "theirs/target"), theirs.MergeCommitSha);
        Assert.Equal(await FileAsync(db, sourceTip, Orders), await FileAsync(db, "theirs/target", Orders));
        Assert.Null(await FileAsync(db, "theirs/target", Totals));

        var unknown = await SqlAssert.ThrowsSqlStateAsync("22023", () => MergeAsync(db, source, target, "octopus"));
        Assert.Contains("octopus", unknown.MessageText);
    }

    [Fact]
    public async Task The_checked_out_branch_is_never_merged_into_not_even_by_a_fast_forward()
    {
        await using var db = await repository.OpenAsync();
        await BranchAsync(db, "ahead", repository.Root);
        await CommitAsync(db, "ahead", new() { ["public/tables/ahead.sql"] = "CREATE TABLE public.ahead (id int);" });
        var counts = await CountsAsync(db);
        foreach (var call in new[]
                 {
                     "SELECT * FROM pggit_v0.merge_branch('ahead', 'main')",
                     "SELECT * FROM pggit_v0.merge_branch('ahead', 'main', 'theirs')",
                     "SELECT * FROM pggit_v0.rebase_branch('main', 'ahead')",
                     "SELECT * FROM pggit_v0.cherry_pick('ahead', 'main')",
                 })
        {
            var refused = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync(call));
            Assert.Contains("'main' is checked out", refused.MessageText);
            Assert.Contains("working-tree apply step", refused.MessageText);
        }
        Assert.Equal(counts, await CountsAsync(db));
        // Nothing to apply is fine: main already has its own history.
        Assert.Equal(repository.Root, await db.ScalarAsync<string>("SELECT merge_commit_sha FROM pggit_v0.merge_branch(@root, 'main')", new { root = repository.Root }));
        Assert.Empty(await db.QueryAsync("SELECT * FROM pggit_v0.detect_merge_conflicts('ahead', 'main')"));
    }

    [Fact]
    public async Task Unrelated_histories_and_unknown_branches_are_refused()
    {
        await using var db = await repository.OpenAsync();
        var tree = await db.ScalarAsync<string>("""SELECT pggit_v0.write_tree(NULL, '{"other/tables/x.sql": "CREATE TABLE other.x (id int);"}')""");
        var lonely = await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, '{}', 'another root')", new { tree });
        await db.ExecuteAsync("SELECT pggit_v0.update_ref('lonely', @lonely, NULL)", new { lonely });
        await BranchAsync(db, "unrelated/target", repository.Root);
        var unrelated = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => MergeAsync(db, "lonely", "unrelated/target"));
        Assert.Contains("share no history", unrelated.MessageText);
        await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT * FROM pggit_v0.detect_merge_conflicts('lonely', 'unrelated/target')"));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => MergeAsync(db, "no-such-branch", "unrelated/target"));
        await SqlAssert.ThrowsSqlStateAsync("P0002", () => MergeAsync(db, "lonely", "no-such-branch"));
    }

    [Fact]
    public async Task Detect_merge_conflicts_writes_nothing()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "detect");
        var before = await CountsAsync(db);
        var found = (await db.QueryAsync<(string Path, string Type)>("SELECT object_path, conflict_type FROM pggit_v0.detect_merge_conflicts(@source, @target)",
            new { source, target })).ToList();
        Assert.Equal([(Orders, "modify/modify"), (Totals, "delete/modify")], found);
        Assert.Equal(before, await CountsAsync(db));
    }

    [Fact]
    public async Task A_merge_that_fails_halfway_leaves_objects_and_refs_as_they_were()
    {
        await using var db = await repository.OpenAsync();
        await BranchAsync(db, "empty/target", repository.Root);
        await BranchAsync(db, "empty/source", repository.Root);
        await CommitAsync(db, "empty/target", new() { [Orders] = null });
        await CommitAsync(db, "empty/source", new() { [Totals] = null });
        var before = await CountsAsync(db);
        var failed = await SqlAssert.ThrowsSqlStateAsync("22023", () => MergeAsync(db, "empty/source", "empty/target"));
        Assert.Contains("empty", failed.MessageText);
        Assert.Equal(before, await CountsAsync(db));
    }

    [Fact]
    public async Task Concurrent_merges_into_one_target_queue_and_lose_no_commit()
    {
        await using var first = await repository.OpenAsync();
        await using var second = await repository.OpenAsync();
        await BranchAsync(first, "race/target", repository.Root);
        foreach (var side in new[] { "a", "b" })
        {
            await BranchAsync(first, $"race/{side}", repository.Root);
            await CommitAsync(first, $"race/{side}", new() { [$"public/tables/race_{side}.sql"] = $"CREATE TABLE public.race_{side} (id int);" });
        }
        await CommitAsync(first, "race/target", new() { ["public/tables/race_t.sql"] = "CREATE TABLE public.race_t (id int);" });

        await using var transaction = await first.BeginTransactionAsync();
        var a = await first.ExecuteScalarAsync<string>("SELECT merge_commit_sha FROM pggit_v0.merge_branch('race/a', 'race/target')", transaction: transaction);
        var waiting = Task.Run(() => second.ExecuteScalarAsync<string>("SELECT merge_commit_sha FROM pggit_v0.merge_branch('race/b', 'race/target')"));
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);   // queued on the target's ref row
        await transaction.CommitAsync();
        var b = await waiting;

        Assert.Equal(b, Tip(second, "race/target"));
        Assert.Equal(a, await second.ScalarAsync<string>("SELECT parent_shas[1] FROM pggit_v0.commit_graph WHERE commit_sha = @b", new { b }));
        foreach (var side in new[] { "a", "b", "t" })
            Assert.NotNull(await FileAsync(second, "race/target", $"public/tables/race_{side}.sql"));
    }

    [Fact]
    public async Task Pending_merges_and_active_merge_requests_keep_their_objects_alive()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "alive");
        await MergeAsync(db, source, target);
        var kept = (await db.QueryAsync<(string Sha, string Type)>("SELECT sha, object_type FROM pggit_v0._merge_state_shas()")).ToList();
        Assert.Contains((Tip(db, source), "commit"), kept);
        Assert.Contains((Tip(db, target), "commit"), kept);
        Assert.Contains((repository.Root, "commit"), kept);                               // the merge base
        var blobs = await db.QueryAsync<string>("""
            SELECT unnest(ARRAY[c.source_sha, c.target_sha, c.base_sha]) FROM pggit_v0.merge_conflicts c
            JOIN pggit_v0.merges m ON m.id = c.merge_id WHERE m.source_branch = @source AND m.status = 'conflicted'
            """, new { source });
        Assert.All(blobs.OfType<string>(), sha => Assert.Contains((sha, "blob"), kept));
        await db.ExecuteAsync("SELECT pggit_v0.abort_merge((SELECT merge_id FROM pggit_v0.list_merges(@source, @target)))", new { source, target });
        Assert.DoesNotContain((Tip(db, source), "commit"), await db.QueryAsync<(string, string)>("SELECT sha, object_type FROM pggit_v0._merge_state_shas()"));
    }

    [Fact]
    public async Task Feature_branches_start_at_head_and_keep_their_description()
    {
        await using var db = await repository.OpenAsync();
        Assert.Equal("feature/login", await db.ScalarAsync<string>("SELECT pggit_v0.create_feature_branch('login', 'Log in with a password')"));
        Assert.Equal("feature/signup", await db.ScalarAsync<string>("SELECT pggit_v0.create_feature_branch('feature/signup', NULL)"));
        Assert.Equal((Tip(db, "main"), "Log in with a password"), await db.QuerySingleAsync<(string, string)>(
            "SELECT target_sha, description FROM pggit_v0.refs WHERE name = 'feature/login'"));
        await SqlAssert.ThrowsSqlStateAsync("42710", () => db.ExecuteAsync("SELECT pggit_v0.create_feature_branch('login', 'again')"));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.create_feature_branch('', 'nameless')"));
    }
}
