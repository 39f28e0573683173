using Dapper;
using PgGitV0.Sql.Tests.History;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Analytics;

/// <summary>validate_data_integrity: every check passes on a sound history and fails, naming what is
/// wrong, when that invariant is broken on purpose (each corruption in a transaction rolled back after;
/// session_replication_role = replica lets a corruption past the foreign keys).</summary>
public sealed class IntegrityTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private Dictionary<string, string> _tips = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = await _db.OpenAsync();
        var builder = new HistoryBuilder(db, seed: 11);
        _tips = await builder.BuildBranchyHistoryAsync(steps: 40, branches: 2);
        // Fold what is queued, then queue two more commits, so the rollups and the queue both hold some.
        await db.ExecuteAsync("SELECT pggit_v0._fold_rollups()");
        for (var i = 0; i < 2; i++) await builder.CommitAsync(_tips["b0"], null, builder.RandomChanges(10, 3));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<(string Check, string Status, string Details)>> ValidateAfterAsync(string corruption, object? param = null)
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("SET LOCAL session_replication_role = replica", transaction: tx);
        await db.ExecuteAsync(corruption, param, tx);
        var rows = (await db.QueryAsync<(string, string, string)>("SELECT * FROM pggit_v0.validate_data_integrity(NULL)", transaction: tx)).AsList();
        await tx.RollbackAsync();
        return rows;
    }

    private static void AssertOnlyFailure(List<(string Check, string Status, string Details)> rows, string check, string detail)
    {
        var failed = rows.Where(r => r.Status != "ok").ToList();
        Assert.True(failed.Count >= 1 && failed.Any(f => f.Check == check), $"expected '{check}' to fail; got {string.Join("; ", rows)}");
        var row = failed.Single(f => f.Check == check);
        Assert.Equal("failed", row.Status);
        Assert.Contains(detail, row.Details);
    }

    [Fact]
    public async Task A_sound_history_passes_every_check()
    {
        await using var db = await _db.OpenAsync();
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.trees WHERE base_sha IS NOT NULL") > 0, "the history has delta trees");
        var rows = (await db.QueryAsync<(string Check, string Status, string Details)>("SELECT * FROM pggit_v0.validate_data_integrity(NULL)")).AsList();
        Assert.Equal(11, rows.Count);
        Assert.All(rows, r => Assert.Equal("ok", r.Status));
        var objects = await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.objects");
        Assert.Equal($"{objects} checked", rows.Single(r => r.Check.StartsWith("object ids")).Details);
        var sampled = await db.QuerySingleAsync<(string, string, string)>("SELECT * FROM pggit_v0.validate_data_integrity(10) WHERE check_name LIKE 'object ids%'");
        Assert.Equal(("object ids match their payloads (sample)", "ok", "10 checked"), sampled);
    }

    [Fact]
    public async Task A_ref_at_a_blob_fails()
    {
        var rows = await ValidateAfterAsync("UPDATE pggit_v0.refs SET target_sha = (SELECT min(sha) FROM pggit_v0.objects WHERE type = 'blob') WHERE name = 'b0'");
        AssertOnlyFailure(rows, "refs point at commits", "b0 -> ");
    }

    [Fact]
    public async Task Head_on_a_missing_branch_fails()
    {
        var rows = await ValidateAfterAsync("UPDATE pggit_v0.head SET branch = 'gone'");
        AssertOnlyFailure(rows, "head branch exists", "HEAD names gone");
    }

    [Fact]
    public async Task A_commit_whose_object_is_not_a_commit_fails()
    {
        var rows = await ValidateAfterAsync("UPDATE pggit_v0.objects SET type = 'blob' WHERE sha = @sha", new { sha = _tips["main"] });
        AssertOnlyFailure(rows, "commits are commit objects with trees", _tips["main"][..12]);
    }

    [Fact]
    public async Task A_wrong_generation_or_a_missing_parent_fails()
    {
        var rows = await ValidateAfterAsync("UPDATE pggit_v0.commit_graph SET generation = generation + 3 WHERE commit_sha = @sha", new { sha = _tips["main"] });
        AssertOnlyFailure(rows, "parents exist and generations are 1 + max(parents)", _tips["main"][..12]);
        rows = await ValidateAfterAsync("UPDATE pggit_v0.commit_graph SET parent_shas = parent_shas || repeat('e', 64) WHERE commit_sha = @sha", new { sha = _tips["b1"] });
        AssertOnlyFailure(rows, "parents exist and generations are 1 + max(parents)", "a missing parent");
    }

    [Fact]
    public async Task Broken_first_parent_chains_fail()
    {
        var rows = await ValidateAfterAsync("UPDATE pggit_v0.commit_graph SET fp_depth = fp_depth + 1 WHERE commit_sha = @sha", new { sha = _tips["main"] });
        AssertOnlyFailure(rows, "first-parent chains are consistent", "fp_depth");
        rows = await ValidateAfterAsync(
            "UPDATE pggit_v0.fp_chains SET tip_sha = (SELECT parent_shas[1] FROM pggit_v0.commit_graph WHERE commit_sha = @sha) WHERE chain_id = (SELECT fp_chain FROM pggit_v0.commit_graph WHERE commit_sha = @sha)",
            new { sha = _tips["main"] });
        AssertOnlyFailure(rows, "first-parent chains are consistent", "is not that chain's last commit");
    }

    [Fact]
    public async Task A_delta_tree_at_the_wrong_depth_fails()
    {
        var rows = await ValidateAfterAsync("UPDATE pggit_v0.trees SET depth = depth + 1 WHERE sha = (SELECT min(sha) FROM pggit_v0.trees WHERE base_sha IS NOT NULL)");
        AssertOnlyFailure(rows, "tree deltas have their base one level down", "depth");
    }

    [Fact]
    public async Task Change_log_rows_of_a_missing_commit_fail()
    {
        var rows = await ValidateAfterAsync("UPDATE pggit_audit.change_log SET commit_sha = repeat('d', 64) WHERE id = (SELECT min(id) FROM pggit_audit.change_log)");
        AssertOnlyFailure(rows, "change_log rows name existing commits", "dddddddddddd");
    }

    [Fact]
    public async Task A_change_moved_to_another_commit_fails_the_index_check()
    {
        var rows = await ValidateAfterAsync(
            "UPDATE pggit_audit.change_log SET commit_sha = (SELECT commit_sha FROM pggit_v0.commit_graph WHERE generation = 1) WHERE id = (SELECT max(id) FROM pggit_audit.change_log WHERE commit_sha = @tip)",
            new { tip = _tips["main"] });
        AssertOnlyFailure(rows, "commits are indexed in change_log and compliance_log", _tips["main"][..12] + " (compliance_log ");
    }

    [Theory]
    [InlineData("UPDATE pggit_audit.object_change_rollup SET changes = changes - 1 WHERE (path, author) = (SELECT path, author FROM pggit_audit.object_change_rollup ORDER BY path, author LIMIT 1)")]
    [InlineData("UPDATE pggit_audit.daily_change_rollup SET commits = commits - 1 WHERE day = (SELECT min(day) FROM pggit_audit.daily_change_rollup)")]
    [InlineData("UPDATE pggit_audit.daily_change_rollup SET alters = alters + 1 WHERE day = (SELECT min(day) FROM pggit_audit.daily_change_rollup)")]
    [InlineData("DELETE FROM pggit_audit.rollup_queue WHERE commit_sha = (SELECT min(commit_sha) FROM pggit_audit.rollup_queue)")]
    [InlineData("UPDATE pggit_audit.author_rollup SET commits = commits + 1 WHERE (author, author_email) = (SELECT author, author_email FROM pggit_audit.author_rollup ORDER BY 1, 2 LIMIT 1)")]
    public async Task A_rollup_or_queue_that_lost_or_gained_something_fails(string corruption)
    {
        await using (var db = await _db.OpenAsync())
        {
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.daily_change_rollup") > 0, "the history has folded");
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.rollup_queue") > 0, "and queued commits");
        }
        var rows = await ValidateAfterAsync(corruption);
        AssertOnlyFailure(rows, "rollups + rollup_queue = change_log", "change_log has");
    }

    [Theory]
    [InlineData("UPDATE pggit_v0.commit_graph SET object_count = object_count + 1 WHERE commit_sha = @tip", "object_count ")]
    [InlineData("UPDATE pggit_v0.commit_graph SET objects_added = objects_added - 1, object_count = object_count - 1 WHERE commit_sha = @tip", "objects_added ")]
    [InlineData("UPDATE pggit_v0.commit_graph SET ancestors = ancestors + 1 WHERE commit_sha = (SELECT max(commit_sha) FROM pggit_v0.commit_graph WHERE cardinality(parent_shas) = 1)", "ancestors ")]
    [InlineData("UPDATE pggit_v0.commit_graph SET ancestors = 2 WHERE commit_sha = (SELECT max(commit_sha) FROM pggit_v0.commit_graph WHERE cardinality(parent_shas) > 1)", "not above its parents")]
    public async Task Wrong_commit_counts_fail(string corruption, string detail)
    {
        await using (var db = await _db.OpenAsync())
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph WHERE cardinality(parent_shas) > 1") > 0, "the history has merges");
        var rows = await ValidateAfterAsync(corruption, new { tip = _tips["main"] });
        AssertOnlyFailure(rows, "commit counts follow their parents", detail);
    }

    [Fact]
    public async Task Tampered_payloads_fail_the_rehash()
    {
        await using var db = await _db.OpenAsync();
        var blob = await db.ScalarAsync<string>("SELECT min(sha) FROM pggit_v0.objects WHERE type = 'blob'");
        var rows = await ValidateAfterAsync("UPDATE pggit_v0.objects SET data = convert_to('CREATE VIEW public.evil AS SELECT 1;' || E'\\n', 'UTF8') WHERE sha = @blob", new { blob });
        AssertOnlyFailure(rows, "object ids match their payloads (sample)", "blob " + blob[..12]);

        var tree = await db.ScalarAsync<string>("SELECT min(sha) FROM pggit_v0.trees WHERE base_sha IS NULL AND cardinality(shas) > 1");
        rows = await ValidateAfterAsync("UPDATE pggit_v0.trees SET shas[1] = shas[2] WHERE sha = @tree", new { tree });
        AssertOnlyFailure(rows, "object ids match their payloads (sample)", "tree " + tree[..12]);
    }

    [Fact]
    public async Task A_negative_sample_size_is_rejected()
    {
        await using var db = await _db.OpenAsync();
        var e = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT * FROM pggit_v0.validate_data_integrity(-1)"));
        Assert.Contains("-1", e.MessageText);
    }
}
