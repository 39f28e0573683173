using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.History;

/// <summary>
/// most_changed_objects, daily_change_summary and recent_commits_by_author read rollups plus the
/// commits still queued for them: they must always equal aggregating all history directly, before
/// and after folds, and folding must never make a committer wait. schema_growth_history and
/// branch_comparison read counts each commit keeps: they must equal counting its tree, and an
/// install over a history without any of these must build them.
/// </summary>
public sealed class RollupTests : IAsyncLifetime
{
    // most_changed_objects' meaning, written as a direct aggregate over every change of all history.
    private const string Direct = """
        SELECT c.path, c.schema_name, c.object_name, c.object_type, count(*) AS change_count,
               count(*) FILTER (WHERE c.change_type = 'ALTER') AS alters, count(DISTINCT g.author) AS authors,
               max(g.committed_at) AS last_changed_at,
               (array_agg(g.author ORDER BY g.committed_at DESC, g.generation DESC))[1] AS last_changed_by
        FROM pggit_audit.change_log c JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha
        GROUP BY c.path, c.schema_name, c.object_name, c.object_type
        ORDER BY c.path
        """;
    private const string FromView = """
        SELECT object_path, schema_name, object_name, object_type, change_count, alters, authors, last_changed_at, last_changed_by
        FROM pggit_v0.most_changed_objects ORDER BY object_path
        """;

    // daily_change_summary's meaning: per UTC day, every commit and every change of all history.
    private const string DirectDaily = """
        SELECT d.day, d.commits, d.authors, coalesce(c.creates, 0) AS creates, coalesce(c.alters, 0) AS alters,
               coalesce(c.drops, 0) AS drops, coalesce(c.objects, 0) AS objectschanged
        FROM (SELECT (g.committed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS commits, count(DISTINCT g.author) AS authors
              FROM pggit_v0.commit_graph g GROUP BY 1) d
        LEFT JOIN (SELECT (g.committed_at AT TIME ZONE 'UTC')::date AS day,
                          count(*) FILTER (WHERE c.change_type = 'CREATE') AS creates, count(*) FILTER (WHERE c.change_type = 'ALTER') AS alters,
                          count(*) FILTER (WHERE c.change_type = 'DROP') AS drops, count(DISTINCT c.path) AS objects
                   FROM pggit_audit.change_log c JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha GROUP BY 1) c ON c.day = d.day
        ORDER BY d.day
        """;
    private const string DailyFromView = "SELECT day, commits, authors, creates, alters, drops, objects_changed AS objectschanged FROM pggit_v0.daily_change_summary ORDER BY day";

    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static async Task<string?> CommitAsync(NpgsqlConnection db, string? parent, int step, Random random)
    {
        var authors = new[] { "Alice <alice@example.com>", "Bob <bob@example.com>", "Carol <carol@example.com>" };
        var changes = new Dictionary<string, string?>();
        for (var i = 0; i < 8; i++)
        {
            var n = random.Next(40);
            changes[$"public/views/v{n}.sql"] = step > 3 && random.Next(7) == 0 ? null : $"CREATE VIEW public.v{n} AS SELECT {step * 10 + i} AS x;";
        }
        var baseTree = parent is null ? null : await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @parent", new { parent });
        // Every tenth commit changes nothing (its parent's tree): it counts as a commit of its day.
        var tree = step % 10 == 9 ? baseTree : await db.ScalarAsync<string?>("SELECT pggit_v0.write_tree(@baseTree, @changes::jsonb)",
            new { baseTree, changes = System.Text.Json.JsonSerializer.Serialize(changes) });
        if (tree is null) return parent;
        // Three commits share each timestamp, so the latest change is decided by generation; a
        // timestamp every 7 hours spreads them over several UTC days, each seen by several folds.
        var at = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).AddHours(step / 3 * 7);
        return await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, @parents, @message, @author, NULL, @at, @at)",
            new { tree, parents = parent is null ? Array.Empty<string>() : new[] { parent }, message = $"step {step}", author = authors[random.Next(3)], at });
    }

    [Fact]
    public async Task The_view_equals_aggregating_the_change_log_before_and_after_folds()
    {
        await using var db = await _db.OpenAsync();
        var random = new Random(11);
        string? tip = null;
        for (var step = 0; step < 70; step++)
        {
            tip = await CommitAsync(db, tip, step, random);
            if (step % 7 == 6)
                Assert.Equal(await db.QueryAsync<DailyRow>(DirectDaily), await db.QueryAsync<DailyRow>(DailyFromView));
        }

        // About 500 change rows: commits have folded some (every 256 changes) and queued the rest.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.object_change_rollup") > 0);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.rollup_queue") > 0);
        var expected = (await db.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(Direct)).AsList();
        Assert.Equal(40, expected.Count(e => e.Item1.StartsWith("public/views/")));
        Assert.Equal(expected, await db.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
        var expectedDaily = (await db.QueryAsync<DailyRow>(DirectDaily)).AsList();
        Assert.True(expectedDaily.Count >= 5, $"{expectedDaily.Count} days");
        Assert.Equal(expectedDaily, await db.QueryAsync<DailyRow>(DailyFromView));

        Assert.True(await db.ScalarAsync<long>("SELECT pggit_v0._fold_rollups()") > 0);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.rollup_queue"));
        Assert.Equal(expected, await db.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
        Assert.Equal(expectedDaily, await db.QueryAsync<DailyRow>(DailyFromView));
        Assert.Equal("ok", await db.ScalarAsync<string>("SELECT status FROM pggit_v0.validate_data_integrity() WHERE check_name LIKE 'rollups%'"));
    }

    // recent_commits_by_author's meaning: per author, every commit of all history.
    private const string DirectAuthors = """
        SELECT g.author, g.author_email, count(*) AS commits,
               count(*) FILTER (WHERE g.committed_at > now() - interval '7 days') AS last7,
               count(*) FILTER (WHERE g.committed_at > now() - interval '30 days') AS last30,
               max(g.committed_at) AS last_at,
               (array_agg(g.commit_sha ORDER BY g.committed_at DESC, g.generation DESC))[1] AS last_sha
        FROM pggit_v0.commit_graph g GROUP BY g.author, g.author_email ORDER BY g.author, g.author_email
        """;
    private const string AuthorsFromView = """
        SELECT author, author_email, commits, commits_last_7_days, commits_last_30_days, last_commit_at, last_commit_sha
        FROM pggit_v0.recent_commits_by_author ORDER BY author, author_email
        """;

    [Fact]
    public async Task Commits_per_author_equal_counting_every_commit_before_and_after_folds()
    {
        await using var db = await _db.OpenAsync();
        var random = new Random(29);
        string? tip = null;
        for (var step = 0; step < 20; step++) tip = await CommitAsync(db, tip, step, random);
        // Commits 1, 3, 6, 12, 20, 35 and 50 days old: some in the last 7 and 30 days, some not.
        var authors = new[] { "Alice <alice@example.com>", "Bob <bob@example.com>", "Alice <alice@other.example>" };
        var i = 0;
        foreach (var daysAgo in new[] { 50, 35, 20, 12, 6, 3, 1 })
        {
            var baseTree = await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @tip", new { tip });
            var tree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(@baseTree, @changes::jsonb)",
                new { baseTree, changes = $$"""{"public/views/recent{{i}}.sql": "CREATE VIEW public.recent{{i}} AS SELECT 1;"}""" });
            tip = await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, ARRAY[@tip], 'recent', @author, NULL, now() - make_interval(days => @daysAgo), now() - make_interval(days => @daysAgo))",
                new { tree, tip, author = authors[i % 3], daysAgo });
            i++;
        }
        var expected = (await db.QueryAsync<(string, string, long, long, long, DateTime, string)>(DirectAuthors)).AsList();
        // One name with two addresses is two authors.
        Assert.Equal(2, expected.Count(e => e.Item1 == "Alice"));
        Assert.Contains(expected, e => e.Item4 > 0);
        Assert.Contains(expected, e => e.Item5 > e.Item4);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.rollup_queue") > 0);
        Assert.Equal(expected, await db.QueryAsync<(string, string, long, long, long, DateTime, string)>(AuthorsFromView));
        Assert.True(await db.ScalarAsync<long>("SELECT pggit_v0._fold_rollups()") > 0);
        Assert.Equal(expected, await db.QueryAsync<(string, string, long, long, long, DateTime, string)>(AuthorsFromView));
    }

    // Each commit's object count, counted in its tree, and what it added: that minus the count in its first parent's tree.
    private const string CountedInTrees = """
        SELECT g.commit_sha, (SELECT count(*) FROM pggit_v0._tree_blobs(g.tree_sha))::int AS objects,
               ((SELECT count(*) FROM pggit_v0._tree_blobs(g.tree_sha))
                - coalesce((SELECT count(*) FROM pggit_v0.commit_graph p, pggit_v0._tree_blobs(p.tree_sha) WHERE p.commit_sha = g.parent_shas[1]), 0))::int AS added
        FROM pggit_v0.commit_graph g ORDER BY g.commit_sha
        """;
    private const string Ancestors = "SELECT commit_sha, ancestors FROM pggit_v0.commit_graph ORDER BY commit_sha";
    private const string KeptCounts = "SELECT commit_sha, object_count, objects_added FROM pggit_v0.commit_graph ORDER BY commit_sha";

    [Fact]
    public async Task Each_commit_keeps_the_object_count_of_its_tree()
    {
        await using var db = await _db.OpenAsync();
        var random = new Random(3);
        string? tip = null;
        for (var step = 0; step < 30; step++) tip = await CommitAsync(db, tip, step, random);
        // A merge keeps its first parent's count plus what it changes against it.
        var side = await CommitAsync(db, tip, 100, random);
        var mainTip = await CommitAsync(db, tip, 101, random);
        var merged = await db.ScalarAsync<string>("""
            SELECT pggit_v0.write_tree((SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @mainTip),
                                       '{"public/views/merged.sql": "CREATE VIEW public.merged AS SELECT 1;"}')
            """, new { mainTip });
        await db.ExecuteAsync("SELECT pggit_v0.commit_tree(@merged, ARRAY[@mainTip, @side], 'merge', 'Alice <alice@example.com>')", new { merged, mainTip, side });

        var counted = (await db.QueryAsync<(string, int, int)>(CountedInTrees)).AsList();
        Assert.Equal(33, counted.Count);
        Assert.Contains(counted, c => c.Item2 > 20);
        Assert.Contains(counted, c => c.Item3 < 0);
        Assert.Equal(counted, await db.QueryAsync<(string, int, int)>(KeptCounts));
    }

    [Fact]
    public async Task An_install_over_a_history_without_rollups_builds_them_all()
    {
        List<(string, string, string, string, long, long, long, DateTime, string)> expected;
        List<DailyRow> expectedDaily;
        List<(string, string, long, long, long, DateTime, string)> expectedAuthors;
        List<(string, int, int)> expectedCounts;
        List<(string, int)> ancestors;
        string stray;
        await using (var db = await _db.OpenAsync())
        {
            var random = new Random(17);
            string? tip = null;
            for (var step = 0; step < 40; step++) tip = await CommitAsync(db, tip, step, random);
            var side = await CommitAsync(db, tip, 100, random);
            var mainTip = await CommitAsync(db, tip, 101, random);
            var mainTree = await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @mainTip", new { mainTip });
            await db.ExecuteAsync("SELECT pggit_v0.commit_tree(@mainTree, ARRAY[@mainTip, @side], 'merge', 'Alice <alice@example.com>')", new { mainTree, mainTip, side });
            expected = (await db.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(Direct)).AsList();
            expectedDaily = (await db.QueryAsync<DailyRow>(DirectDaily)).AsList();
            expectedAuthors = (await db.QueryAsync<(string, string, long, long, long, DateTime, string)>(DirectAuthors)).AsList();
            expectedCounts = (await db.QueryAsync<(string, int, int)>(CountedInTrees)).AsList();
            ancestors = (await db.QueryAsync<(string, int)>(Ancestors)).AsList();
            Assert.Equal(43, ancestors.Max(a => a.Item2));  // the merge: 40 + both sides + itself
            stray = (await db.ScalarAsync<string[]>("SELECT pggit_v0._write_blobs(ARRAY['CREATE VIEW public.stray AS SELECT 0;'])"))[0];

            // What a database from before the rollups, the object counts and unnamed_blobs has.
            await db.ExecuteAsync("""
                DELETE FROM pggit_audit.rollup_queue; DELETE FROM pggit_audit.object_change_rollup; DROP TABLE pggit_audit.author_rollup CASCADE;
                DELETE FROM pggit_audit.daily_change_rollup; DELETE FROM pggit_audit.daily_authors; DELETE FROM pggit_audit.daily_objects;
                DROP TABLE pggit_audit.unnamed_blobs; UPDATE pggit_v0.commit_graph SET object_count = NULL, objects_added = NULL, ancestors = NULL;
                """);
        }
        NpgsqlConnection.ClearAllPools();
        await PgGitV0.Database.SqlInstaller.InstallAsync(_db.ConnectionString);

        await using var after = await _db.OpenAsync();
        Assert.Equal(0, await after.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.rollup_queue"));
        Assert.Equal(expected, await after.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
        Assert.Equal(expectedDaily, await after.QueryAsync<DailyRow>(DailyFromView));
        Assert.Equal(expectedAuthors, await after.QueryAsync<(string, string, long, long, long, DateTime, string)>(AuthorsFromView));
        Assert.Equal(expectedCounts, await after.QueryAsync<(string, int, int)>(KeptCounts));
        Assert.Equal(ancestors, await after.QueryAsync<(string, int)>(Ancestors));
        Assert.Equal(new[] { stray }, await after.QueryAsync<string>("SELECT sha FROM pggit_audit.unnamed_blobs"));
        Assert.Contains((stray, "blob"), await after.QueryAsync<(string, string)>("SELECT sha, type FROM pggit_v0.orphaned_objects"));
    }

    private sealed record DailyRow(DateOnly Day, long Commits, long Authors, long Creates, long Alters, long Drops, long ObjectsChanged);

    [Fact]
    public async Task A_fold_never_waits_for_another_and_is_left_alone_under_repeatable_read()
    {
        await using var a = await _db.OpenAsync();
        var random = new Random(5);
        string? tip = null;
        for (var step = 0; step < 10; step++) tip = await CommitAsync(a, tip, step, random);
        var expected = (await a.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(Direct)).AsList();

        await using var ta = await a.BeginTransactionAsync();
        Assert.True(await a.ScalarAsync<long>("SELECT pggit_v0._fold_rollups()") > 0);

        // While a's fold is uncommitted, b neither waits nor folds, and still sees the old state whole.
        await using var b = await _db.OpenAsync();
        var fold = b.ScalarAsync<long>("SELECT pggit_v0._fold_rollups()");
        Assert.Same(fold, await Task.WhenAny(fold, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(0, await fold);
        Assert.Equal(expected, await b.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
        await ta.RollbackAsync();

        await using (var tb = await b.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead))
        {
            Assert.Equal(0, await b.ScalarAsync<long>("SELECT pggit_v0._fold_rollups()"));
            await tb.RollbackAsync();
        }
        Assert.True(await b.ScalarAsync<long>("SELECT pggit_v0._fold_rollups()") > 0);
        Assert.Equal(expected, await b.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
    }
}
