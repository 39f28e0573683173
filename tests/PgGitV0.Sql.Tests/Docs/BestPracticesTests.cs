using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Docs;

/// <summary>
/// docs/pggit_v0_best_practices.md: every sql block runs as written, in order, through psql, and
/// between blocks the database is checked against what the document says the block did.
/// </summary>
public sealed class BestPracticesTests
{
    [Fact]
    public async Task Every_example_runs_in_order_and_does_what_the_document_says()
    {
        var document = await DocFiles.ReadAsync("docs/pggit_v0_best_practices.md");
        var blocks = DocFiles.SqlBlocks(document);
        Assert.True(blocks.Count >= 15, $"the document has {blocks.Count} sql examples");

        await using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.OpenAsync();
        var examples = new DocumentRun(blocks, db.ConnectionString);

        // 1. A migration and its commit in one transaction; an empty message is refused and writes nothing.
        await examples.RunThroughAsync("V2: accounts record");
        Assert.Equal(new[] { "V2: accounts record when they were created (retention report)", "V1: accounts, one row per sign-in" },
            await connection.QueryAsync<string>("SELECT message FROM pggit_v0.get_commit_history(10)"));
        var output = await examples.RunThroughAsync("commit_without_message");
        Assert.Contains("refused with 22023: commit message is empty", output);
        Assert.Equal(2, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph"));

        // 2. Branch names: feature branches keep their description; canonical DDL edited from get_object_definition.
        await examples.RunThroughAsync("create_feature_branch('soft-delete'");
        Assert.Equal("Support asked who changed an account last",
            await connection.ScalarAsync<string>("SELECT description FROM pggit_v0.refs WHERE name = 'feature/audit-columns'"));
        Assert.Contains("    created_at timestamp with time zone DEFAULT now() NOT NULL,\n    updated_by text,\n",
            await connection.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'accounts', 'feature/audit-columns')"));
        output = await examples.RunThroughAsync("feature/email length");
        Assert.Contains("refused with 22023: branch name 'feature/email length' is not a valid ref name", output);
        Assert.Contains("refused with 42710: tag 'v1.0.0' already exists", output);
        Assert.Equal("tag", await connection.ScalarAsync<string>("SELECT type FROM pggit_v0.refs WHERE name = 'v1.0.0'"));

        // 3. The author's own approval is refused; two others approve; the request merges; the branch goes.
        output = await examples.RunThroughAsync("complete_merge_request");
        Assert.Contains("refused with 42501: bob opened merge request", output);
        var request = await connection.QuerySingleAsync<(string Status, string CreatedBy, string[] ApprovedBy)>(
            "SELECT status, created_by, approved_by FROM pggit_v0.list_merge_requests() WHERE title = 'Audit columns'");
        Assert.Equal(("merged", "bob"), (request.Status, request.CreatedBy));
        Assert.Equal(new[] { "carol", "dave" }, request.ApprovedBy);
        Assert.Equal(0, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.refs WHERE name = 'feature/audit-columns'"));
        Assert.Contains("updated_by text", await connection.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'accounts', 'release/1.1')"));

        // detect_merge_conflicts finds the conflict and writes nothing: no pending merge, no event, no ref move.
        var writesBefore = await WritesAsync(connection);
        output = await examples.RunThroughAsync("detect_merge_conflicts");
        Assert.Matches(@"public/tables/accounts\.sql\s*\|\s*modify/modify", output);
        Assert.Equal(writesBefore, await WritesAsync(connection));
        Assert.Equal(0, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.merges"));

        // 4. The deployment's commit matches the release tag exactly, and did change the live schema.
        await examples.RunThroughAsync("Deploy v1.1.0");
        Assert.Equal("Deploy v1.1.0", await connection.ScalarAsync<string>("SELECT message FROM pggit_v0.get_commit('HEAD')"));
        Assert.Equal(0, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.diff_commits('v1.1.0', 'HEAD')"));
        Assert.Equal(1, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.diff_commits('HEAD~1', 'HEAD')"));

        // 5. The stale compare-and-swap is refused with 40001; the retry lands on top of the other commit, which is kept.
        output = await examples.RunThroughAsync("gave up after");
        Assert.Contains("attempt 1: refused with 40001, reading the branch again", output);
        Assert.Contains("attempt 2: release/1.2 is now at", output);
        Assert.Equal(new[] { "Newest accounts view for the retention report", "Active accounts view for support" },
            await connection.QueryAsync<string>("SELECT message FROM pggit_v0.list_commits('release/1.2', NULL, 2)"));
        Assert.Equal(new[] { "public/views/active_accounts.sql", "public/views/newest_accounts.sql" },
            await connection.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('release/1.2') WHERE path LIKE 'public/views/%' ORDER BY path"));

        // 6. A commit lands between two pages: page 2 by offset repeats the last commit shown, by keyset it does not.
        var lastShown = await connection.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('HEAD~1')");
        var beforeLastShown = await connection.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('HEAD~2')");
        output = await examples.RunThroughAsync("get_commit_history_after");
        Assert.Equal(2, Occurrences(output, lastShown[..12]));
        Assert.Equal(lastShown, (await connection.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history(2, 2)")).First());
        Assert.Equal(new[] { beforeLastShown },
            await connection.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history_after(@lastShown, 2)", new { lastShown }));

        // 7. merge_base in WHERE runs once per commit_graph row; computed once, it runs once per query.
        Assert.Equal("s", await connection.ScalarAsync<string>("SELECT provolatile::text FROM pg_proc WHERE oid = 'pggit_v0.resolve_ref(text)'::regprocedure"));
        Assert.Equal("v", await connection.ScalarAsync<string>("SELECT provolatile::text FROM pg_proc WHERE oid = 'pggit_v0.merge_base(text, text)'::regprocedure"));
        var calls = await MergeBaseCallsAsync(connection);
        var commits = await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph");
        await examples.RunThroughAsync("WHERE commit_sha = pggit_v0.merge_base(");
        Assert.True(commits > 5, $"{commits} commits are too few to tell once per row from once");
        Assert.Equal(calls + commits, await MergeBaseCallsAsync(connection));
        calls = await MergeBaseCallsAsync(connection);
        await examples.RunThroughAsync("WITH base AS");
        Assert.Equal(calls + 2, await MergeBaseCallsAsync(connection));

        // 8. The compliance log has every commit written (the losing attempt too) and refuses a DELETE.
        Assert.Equal(await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph"),
            await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.compliance_log"));
        var logged = await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.compliance_log");
        output = await examples.RunThroughAsync("DELETE FROM pggit_audit.compliance_log");
        Assert.Contains("refused with 42501: pggit_audit.compliance_log is append-only: DELETE is not allowed", output);
        Assert.Equal(logged, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_audit.compliance_log"));

        // 9. A setting of the wrong JSON type is refused and the setting keeps its value.
        output = await examples.RunThroughAsync("\"ninety\"");
        Assert.Contains("refused with 22023: setting 'reflog_expiry_days' takes a whole number of at least 0, not \"ninety\"", output);
        Assert.Equal("90", await connection.ScalarAsync<string>("SELECT value::text FROM pggit_v0.settings WHERE key = 'reflog_expiry_days'"));

        // An unmerged branch is refused without force; forced, ref_log keeps its commit until reflog_expiry_days
        // have passed; the commit that lost the compare-and-swap is orphaned at once.
        output = await examples.RunThroughAsync("orphaned_objects GROUP BY");
        Assert.Contains("refused with PGC01: branch 'feature/soft-delete' has commits no other branch or tag reaches", output);
        var abandoned = await connection.ScalarAsync<string>(
            "SELECT old_sha FROM pggit_v0.ref_log WHERE ref_name = 'feature/soft-delete' AND new_sha IS NULL");
        var lostAttempt = await connection.ScalarAsync<string>(
            "SELECT commit_sha FROM pggit_v0.commit_graph WHERE message = 'Newest accounts view for the retention report' AND commit_sha <> pggit_v0.resolve_ref('release/1.2')");
        Assert.Equal(new[] { lostAttempt }, await OrphanedCommitsAsync(connection));
        Assert.Equal("90", await connection.ScalarAsync<string>("SELECT value::text FROM pggit_v0.settings WHERE key = 'reflog_expiry_days'"));
        await using (var preview = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("SELECT pggit_v0.set_setting('reflog_expiry_days', '0')", transaction: preview);
            Assert.Equal(new[] { abandoned, lostAttempt }.Order(StringComparer.Ordinal), await OrphanedCommitsAsync(connection));
            await preview.RollbackAsync();
        }

        // operation_metrics is unlogged telemetry.
        await examples.RunThroughAsync("avg_ms");
        Assert.Equal("u", await connection.ScalarAsync<string>(
            "SELECT relpersistence::text FROM pg_class WHERE oid = 'pggit_v0.operation_metrics'::regclass"));

        // 10. A reader reads history but cannot create a branch.
        var onMain = await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.get_commit_history(100)");
        output = await examples.RunThroughAsync("SET ROLE pggit_reader");
        Assert.Contains("refused with 42501: role pggit_reader is not a member of pggit_writer", output);
        Assert.Matches($@"commits_on_main\s*\n-+\s*\n\s*{onMain}\s*\n", output);
        Assert.Equal(0, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.refs WHERE name = 'feature/readers-cannot'"));

        examples.AssertAllRan();
        Assert.Equal(0, await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_without_message"));
    }

    private static Task<(long, long, long)> WritesAsync(NpgsqlConnection connection) =>
        connection.QuerySingleAsync<(long, long, long)>(
            "SELECT (SELECT count(*) FROM pggit_v0.activity), (SELECT count(*) FROM pggit_v0.ref_log), (SELECT count(*) FROM pggit_v0.objects)");

    private static Task<long> MergeBaseCallsAsync(NpgsqlConnection connection) =>
        connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.operation_metrics WHERE operation = 'merge_base'");

    private static async Task<string[]> OrphanedCommitsAsync(NpgsqlConnection connection) =>
        (await connection.QueryAsync<string>("SELECT sha FROM pggit_v0.orphaned_objects WHERE type = 'commit' ORDER BY sha COLLATE \"C\"")).ToArray();

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>Runs a document's sql blocks through psql in order, each once, up to the block a check follows.</summary>
    private sealed class DocumentRun(List<string> blocks, string connectionString)
    {
        private int _next;

        /// <summary>Runs the blocks from the next one through the first that contains <paramref name="marker"/>; returns their psql output.</summary>
        public async Task<string> RunThroughAsync(string marker)
        {
            var last = blocks.FindIndex(_next, block => block.Contains(marker, StringComparison.Ordinal));
            Assert.True(last >= 0, $"no sql block from number {_next + 1} on contains '{marker}'");
            var output = "";
            for (; _next <= last; _next++) output += await Psql.RunAsync(connectionString, command: blocks[_next]);
            return output;
        }

        public void AssertAllRan() => Assert.True(_next == blocks.Count, $"sql blocks {_next + 1} to {blocks.Count} ran without a check after them");
    }
}
