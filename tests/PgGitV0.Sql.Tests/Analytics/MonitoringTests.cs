using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Analytics;

/// <summary>The monitoring views, check_for_alerts and get_recommendations.</summary>
public sealed class MonitoringTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private string _tip = "";

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = await _db.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE public.a (id int)");
        await db.ExecuteAsync("SELECT pggit_v0.commit('Create a', 'Alice <alice@example.com>')");
        await db.ExecuteAsync("CREATE TABLE public.b (id int)");
        _tip = await db.ScalarAsync<string>("SELECT pggit_v0.commit('Create b', 'Alice <alice@example.com>')");
        await db.ExecuteAsync("SELECT pggit_v0.create_branch('feature')");
        await db.ExecuteAsync("SELECT pggit_v0.create_tag('v1', 'main')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_view_has_a_comment_saying_what_it_answers_and_runs()
    {
        await using var db = await _db.OpenAsync();
        foreach (var view in new[] { "current_state_summary", "health_check_summary", "recent_activity_summary" })
        {
            var comment = await db.ExecuteScalarAsync<string?>("SELECT obj_description(to_regclass(@v), 'pg_class')", new { v = "pggit_v0." + view });
            Assert.False(string.IsNullOrWhiteSpace(comment), $"{view} has no comment");
            await db.ExecuteAsync($"SELECT * FROM pggit_v0.{view}");
        }
    }

    [Fact]
    public async Task The_current_state_summary_describes_the_repository()
    {
        await using var db = await _db.OpenAsync();
        var row = await db.QuerySingleAsync<(string Head, string Commit, long Branches, long Tags, long Commits, long Objects, long Last24h, long Pending, long Open)>(
            "SELECT head_branch, head_commit, branches, tags, commits, objects, commits_last_24h, pending_merges, open_merge_requests FROM pggit_v0.current_state_summary");
        var objects = await db.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.objects");
        Assert.Equal(("main", _tip, 2L, 1L, 2L, objects, 2L, 0L, 0L), row);
    }

    [Fact]
    public async Task Recent_activity_is_summarised_per_kind_for_the_last_day()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("UPDATE pggit_v0.activity SET at = now() - interval '2 days' WHERE kind = 'create_tag'", transaction: tx);
        var rows = (await db.QueryAsync<(string Kind, long Events, string[] Actors, string[] Refs)>(
            "SELECT activity_kind, events, actors, refs FROM pggit_v0.recent_activity_summary ORDER BY activity_kind", transaction: tx)).AsList();
        var expected = (await db.QueryAsync<(string Kind, long Events)>(
            "SELECT kind, count(*) FROM pggit_v0.activity WHERE at >= now() - interval '24 hours' GROUP BY kind ORDER BY kind", transaction: tx)).AsList();
        Assert.Equal(expected, rows.Select(r => (r.Kind, r.Events)));
        Assert.DoesNotContain(rows, r => r.Kind == "create_tag");
        Assert.Contains(rows, r => r.Refs.Contains("feature"));
        Assert.Contains(rows, r => r.Refs.Contains("main") && r.Events >= 1);
        Assert.True(rows.Count >= 2, string.Join(", ", rows.Select(r => r.Kind)));
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task A_sound_repository_is_healthy_with_no_alerts()
    {
        await using var db = await _db.OpenAsync();
        Assert.Empty(await db.QueryAsync("SELECT * FROM pggit_v0.check_for_alerts()"));
        Assert.Equal(("healthy", 0L, 0L), await db.QuerySingleAsync<(string, long, long)>(
            "SELECT status, critical_alerts, warning_alerts FROM pggit_v0.health_check_summary"));
    }

    [Fact]
    public async Task Corruption_is_a_critical_alert_and_makes_health_critical()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("UPDATE pggit_v0.commit_graph SET generation = 7 WHERE commit_sha = @tip", new { tip = _tip }, tx);
        var alerts = (await db.QueryAsync<(string Level, string Message)>("SELECT * FROM pggit_v0.check_for_alerts()", transaction: tx)).AsList();
        var alert = Assert.Single(alerts);
        Assert.Equal("critical", alert.Level);
        Assert.Contains("parents exist and generations are 1 + max(parents)", alert.Message);
        Assert.Contains(_tip[..12], alert.Message);
        var health = await db.QuerySingleAsync<(string Status, long Critical, string[] Alerts)>(
            "SELECT status, critical_alerts, alerts FROM pggit_v0.health_check_summary", transaction: tx);
        Assert.Equal(("critical", 1L, alert.Message), (health.Status, health.Critical, Assert.Single(health.Alerts)));
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Slow_operations_and_warning_anomalies_are_warnings()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("""
            INSERT INTO pggit_v0.operation_metrics (operation, started_at, duration_ms, actor)
            SELECT 'crawling_op', now() - interval '1 hour', 1500, 't' FROM generate_series(1, 3);
            UPDATE pggit_v0.commit_graph SET committed_at = now() + interval '1 day' WHERE commit_sha = @tip;
            """, new { tip = _tip }, tx);
        var alerts = (await db.QueryAsync<(string Level, string Message)>("SELECT * FROM pggit_v0.check_for_alerts()", transaction: tx)).AsList();
        Assert.Equal(new[] { "warning", "warning" }, alerts.Select(a => a.Level));
        Assert.Contains(alerts, a => a.Message.StartsWith("commit_in_future: 1: " + _tip[..12]));
        Assert.Contains(alerts, a => a.Message == "crawling_op averaged 1500.0 ms over 3 calls in the last 24 hours (threshold 1000 ms)");
        Assert.DoesNotContain(await db.QueryAsync<string>("SELECT alert_message FROM pggit_v0.check_for_alerts(0, '2 seconds')", transaction: tx),
            m => m.StartsWith("crawling_op"));
        Assert.Equal("warning", await db.ExecuteScalarAsync<string>("SELECT status FROM pggit_v0.health_check_summary", transaction: tx));
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Recommendations_follow_the_data_most_urgent_first()
    {
        await using var db = await _db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        Assert.Empty(await db.QueryAsync("SELECT * FROM pggit_v0.get_recommendations()", transaction: tx));
        await db.ExecuteAsync("""
            UPDATE pggit_v0.refs SET updated_at = now() - interval '120 days' WHERE name = 'feature';
            INSERT INTO pggit_v0.merges (source_branch, target_branch, source_sha, target_sha, base_shas, strategy, status, created_by, created_at)
            VALUES ('feature', 'release', @tip, @tip, ARRAY[@tip], 'recursive', 'conflicted', 't', now() - interval '8 days');
            """, new { tip = _tip }, tx);
        var tree = await db.ExecuteScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @tip", new { tip = _tip }, tx);
        await db.ExecuteAsync("SELECT pggit_v0.commit_tree(@tree, ARRAY[@tip], '', 'Bob <bob@example.com>')", new { tree, tip = _tip }, tx);
        var rows = (await db.QueryAsync<(string Text, int Priority)>("SELECT * FROM pggit_v0.get_recommendations()", transaction: tx)).AsList();
        Assert.Equal(new[] { 1, 4, 5 }, rows.Select(r => r.Priority));
        Assert.StartsWith("Resolve or abort the merge of feature into release", rows[0].Text);
        Assert.Equal("Delete or merge 1 branches not moved in 90 days: feature", rows[1].Text);
        Assert.StartsWith("Write commit messages: 1 commits have an empty one", rows[2].Text);
        await tx.RollbackAsync();
    }

    [Theory]
    [InlineData("-1, '1 s'", "p_integrity_sample -1")]
    [InlineData("20, '0 s'", "p_slow_threshold 00:00:00")]
    public async Task Bad_alert_arguments_are_rejected_by_value(string arguments, string message)
    {
        await using var db = await _db.OpenAsync();
        var e = await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync($"SELECT * FROM pggit_v0.check_for_alerts({arguments})"));
        Assert.Contains(message, e.MessageText);
    }
}
