using Dapper;
using PgGitV0.Sql.Tests.Docs;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>docs/merging.md's walkthrough runs as written, block by block, through psql.</summary>
public sealed class MergingDocTests
{
    [Fact]
    public async Task The_walkthrough_runs_in_order_and_ends_where_it_says()
    {
        var doc = await DocFiles.ReadAsync("docs/merging.md");
        var start = doc.IndexOf("## A walkthrough", StringComparison.Ordinal);
        var walkthrough = doc[start..doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var blocks = DocFiles.SqlBlocks(walkthrough);
        Assert.Equal(6, blocks.Count);

        await using var db = await TestDatabase.CreateAsync();
        var output = "";
        foreach (var block in blocks) output += await Psql.RunAsync(db.ConnectionString, command: block);

        Assert.Contains("feature/cents", output);
        Assert.Contains("last conflict resolved", output);
        await using var connection = await db.OpenAsync();
        Assert.Equal("CREATE TABLE public.orders (\n    id bigint NOT NULL,\n    amount bigint,\n    placed date,\n    note varchar(200),\n    CONSTRAINT orders_pkey PRIMARY KEY (id)\n);\n",
            await connection.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'orders', 'release')"));
        Assert.Equal(["Merge branch 'feature/notes' into 'release'", "Merge branch 'feature/money' into 'release'"], await connection.QueryAsync<string>(
            "SELECT split_part(message, E'\\n', 1) FROM pggit_v0.commit_graph WHERE cardinality(parent_shas) = 2 ORDER BY generation"));
        Assert.Equal(("merged", 1, "frank"), await connection.QuerySingleAsync<(string, int, string)>(
            "SELECT status, approvals, merged_by FROM pggit_v0.list_merge_requests()"));
        Assert.Equal(await connection.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('feature/index')"),
            await connection.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('release')"));
        Assert.Equal("Erin", await connection.ScalarAsync<string>("SELECT author FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref('feature/cents')"));
        Assert.Equal("Amounts in cents", await connection.ScalarAsync<string>("SELECT description FROM pggit_v0.refs WHERE name = 'feature/cents'"));
    }
}
