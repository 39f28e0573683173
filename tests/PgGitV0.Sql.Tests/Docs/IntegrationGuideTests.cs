using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Docs;

/// <summary>docs/pggit_v0_integration_guide.md: every sql block runs as written, in order, through psql, and ends where the guide says.</summary>
public sealed class IntegrationGuideTests
{
    [Fact]
    public async Task Every_example_runs_in_order_and_does_what_the_guide_says()
    {
        var guide = await DocFiles.ReadAsync("docs/pggit_v0_integration_guide.md");
        var blocks = DocFiles.SqlBlocks(guide);
        Assert.True(blocks.Count >= 20, $"the guide has {blocks.Count} sql examples");

        await using var db = await TestDatabase.CreateAsync();
        var output = "";
        foreach (var block in blocks) output += await Psql.RunAsync(db.ConnectionString, command: block);

        Assert.Contains("nothing to commit", output);
        Assert.Contains("refused as expected", output);
        Assert.Contains("refused: merge request", output);
        Assert.Contains("rejected: ", output);
        Assert.Contains("public/tables/refunds.sql", output);
        await using var connection = await db.OpenAsync();
        // 1.5: the loyalty request merged with carol's approval.
        Assert.Equal(("merged", 1), await connection.QuerySingleAsync<(string, int)>(
            "SELECT status, approvals FROM pggit_v0.list_merge_requests() WHERE title = 'Loyalty points'"));
        // 2.3: the hotfix fast-forwarded release/1.1 and is tagged; release/1.2 got it by cherry-pick.
        Assert.Equal(await connection.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('hotfix/email-length')"),
            await connection.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('v1.1.1')"));
        Assert.Contains("email varchar(320)", await connection.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'customers', 'release/1.2')"));
        // 2.4: the rollback restored orders on release/1.2, and the move is in ref_log.
        Assert.NotNull(await connection.ScalarAsync<string?>("SELECT pggit_v0.get_object_definition('public', 'orders', 'release/1.2')"));
        Assert.Equal(1, await connection.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.ref_log WHERE reason = 'rollback to the last good commit'"));
        // 3.4: two approvals required, one given: still open.
        Assert.Equal(("open", 1, 2), await connection.QuerySingleAsync<(string, int, int)>(
            "SELECT status, approvals, required_approvals FROM pggit_v0.list_merge_requests('open')"));
        // 4.3: the malformed migration wrote nothing.
        Assert.Equal(0, await connection.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.commit_graph WHERE message = 'Add refunds'"));
        // 4.4: the deployment was committed on main by the deploy bot.
        Assert.Equal(("Deploy 1.1.1", "deploy-bot"), await connection.QuerySingleAsync<(string, string)>(
            "SELECT message, author FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('main')"));
        Assert.Contains("public/tables/loyalty_points.sql", await connection.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')"));
    }
}
