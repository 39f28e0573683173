using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Docs;

/// <summary>docs/monitoring.md: every sql block runs as written, in order, through psql, on a short history, and shows what the text says.</summary>
public sealed class MonitoringDocTests
{
    [Fact]
    public async Task Every_query_template_runs_and_answers()
    {
        var doc = await DocFiles.ReadAsync("docs/monitoring.md");
        var blocks = DocFiles.SqlBlocks(doc);
        Assert.True(blocks.Count >= 9, $"the monitoring guide has {blocks.Count} sql examples");

        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync("CREATE TABLE public.customers (id bigint PRIMARY KEY)");
            await connection.ExecuteAsync("SELECT pggit_v0.commit('Customers', 'Alice <alice@example.com>')");
            await connection.ExecuteAsync("CREATE TABLE public.orders (id bigint PRIMARY KEY)");
            await connection.ExecuteAsync("SELECT pggit_v0.commit('Orders', 'Bob <bob@example.com>')");
            await connection.ExecuteAsync("SELECT pggit_v0.create_branch('feature/reports')");
        }
        var outputs = new List<string>();
        foreach (var block in blocks) outputs.Add(await Psql.RunAsync(db.ConnectionString, command: block));
        var all = string.Join("\n", outputs);

        Assert.Contains(" main ", outputs[0]);           // the status line names the checked-out branch
        Assert.Contains(" healthy ", outputs[0]);        // and the history is healthy
        Assert.Contains("feature/reports", outputs[1]);  // the branch creation is in the last day's activity
        Assert.Contains("(0 rows)", outputs[2]);         // a full integrity run finds nothing wrong
        Assert.Contains(" commit", outputs[3]);          // commits were timed
        Assert.Contains("get_object_definition", all);   // the benchmark ran
        Assert.Contains("0-1 KB", all);                  // the size histogram
        Assert.Contains("refs point at commits", all);   // the dashboard panel lists the checks
        Assert.DoesNotContain(" failed ", all);
    }
}
