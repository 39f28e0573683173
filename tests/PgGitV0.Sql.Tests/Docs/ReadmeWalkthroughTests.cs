using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Docs;

/// <summary>The README's psql walkthrough runs as written, block by block, through psql.</summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task Every_sql_block_of_the_walkthrough_runs_in_order_and_does_what_it_says()
    {
        var readme = await DocFiles.ReadAsync("README.md");
        var walkthrough = readme[readme.IndexOf("## A five-minute psql walkthrough", StringComparison.Ordinal)..];
        var blocks = DocFiles.SqlBlocks(walkthrough);
        Assert.True(blocks.Count >= 6, "the walkthrough should have its sql blocks");

        await using var db = await TestDatabase.CreateAsync();
        var output = "";
        foreach (var block in blocks) output += await Psql.RunAsync(db.ConnectionString, command: block);

        Assert.Contains("nothing to commit", output);
        await using var connection = await db.OpenAsync();
        Assert.Equal(4, await connection.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.commit_graph"));
        Assert.Contains("public/views/customer_totals.sql", await connection.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('feature/reports')"));
        Assert.Equal("CREATE INDEX public.orders_customer_idx",
            await connection.ScalarAsync<string>("SELECT message FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('main')"));
        foreach (var path in new[] { "public/tables/customers.sql", "public/tables/orders.sql", "public/schema.sql" })
            Assert.Contains(path, await connection.QueryAsync<string>("SELECT path FROM pggit_v0.ls_tree('main')"));
    }
}
