using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.History;

/// <summary>
/// most_changed_objects reads a per-author rollup of change_log plus the rows still queued for it:
/// it must always equal aggregating change_log directly, before and after folds, and folding must
/// never make a committer wait.
/// </summary>
public sealed class ObjectChangeRollupTests : IAsyncLifetime
{
    // The view's meaning, written as a direct aggregate over every change of all history.
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

    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static async Task<string?> CommitAsync(Npgsql.NpgsqlConnection db, string? parent, int step, Random random)
    {
        var authors = new[] { "Alice <alice@example.com>", "Bob <bob@example.com>", "Carol <carol@example.com>" };
        var changes = new Dictionary<string, string?>();
        for (var i = 0; i < 8; i++)
        {
            var n = random.Next(40);
            changes[$"public/views/v{n}.sql"] = step > 3 && random.Next(7) == 0 ? null : $"CREATE VIEW public.v{n} AS SELECT {step * 10 + i} AS x;";
        }
        var baseTree = parent is null ? null : await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @parent", new { parent });
        var tree = await db.ScalarAsync<string?>("SELECT pggit_v0.write_tree(@baseTree, @changes::jsonb)",
            new { baseTree, changes = System.Text.Json.JsonSerializer.Serialize(changes) });
        if (tree is null) return parent;
        // Three commits share each timestamp, so the latest change is decided by generation.
        var at = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(step / 3);
        return await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, @parents, @message, @author, NULL, @at, @at)",
            new { tree, parents = parent is null ? Array.Empty<string>() : new[] { parent }, message = $"step {step}", author = authors[random.Next(3)], at });
    }

    [Fact]
    public async Task The_view_equals_aggregating_the_change_log_before_and_after_folds()
    {
        await using var db = await _db.OpenAsync();
        var random = new Random(11);
        string? tip = null;
        for (var step = 0; step < 70; step++) tip = await CommitAsync(db, tip, step, random);

        // About 500 change rows: commits have folded some (every 256) and queued the rest.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.object_change_rollup") > 0);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.object_change_queue") > 0);
        var expected = (await db.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(Direct)).AsList();
        Assert.Equal(40, expected.Count(e => e.Item1.StartsWith("public/views/")));
        Assert.Equal(expected, await db.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));

        Assert.True(await db.ScalarAsync<long>("SELECT pggit_v0._fold_object_changes()") > 0);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.object_change_queue"));
        Assert.Equal(expected, await db.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
    }

    [Fact]
    public async Task A_fold_never_waits_for_another_and_is_left_alone_under_repeatable_read()
    {
        await using var a = await _db.OpenAsync();
        var random = new Random(5);
        string? tip = null;
        for (var step = 0; step < 10; step++) tip = await CommitAsync(a, tip, step, random);
        var expected = (await a.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(Direct)).AsList();

        await using var ta = await a.BeginTransactionAsync();
        Assert.True(await a.ScalarAsync<long>("SELECT pggit_v0._fold_object_changes()") > 0);

        // While a's fold is uncommitted, b neither waits nor folds, and still sees the old state whole.
        await using var b = await _db.OpenAsync();
        var fold = b.ScalarAsync<long>("SELECT pggit_v0._fold_object_changes()");
        Assert.Same(fold, await Task.WhenAny(fold, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(0, await fold);
        Assert.Equal(expected, await b.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
        await ta.RollbackAsync();

        await using (var tb = await b.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead))
        {
            Assert.Equal(0, await b.ScalarAsync<long>("SELECT pggit_v0._fold_object_changes()"));
            await tb.RollbackAsync();
        }
        Assert.True(await b.ScalarAsync<long>("SELECT pggit_v0._fold_object_changes()") > 0);
        Assert.Equal(expected, await b.QueryAsync<(string, string, string, string, long, long, long, DateTime, string)>(FromView));
    }
}
