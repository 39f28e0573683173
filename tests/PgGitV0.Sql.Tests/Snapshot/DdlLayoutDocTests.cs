using System.Reflection;
using System.Text.RegularExpressions;

namespace PgGitV0.Sql.Tests.Snapshot;

/// <summary>
/// docs/ddl-layout.md shows real output: every sql block in it is the exact DDL a snapshot case
/// pins (and that case runs the whole round trip), so the page cannot drift from the code.
/// </summary>
public sealed partial class DdlLayoutDocTests
{
    // A fenced sql block, possibly indented inside a list item; group 1 is the indentation.
    [GeneratedRegex(@"^( *)```sql\n(.*?)^\1```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex SqlBlock();

    [Fact]
    public void Every_sql_block_is_the_exact_output_of_a_snapshot_case()
    {
        var doc = File.ReadAllText(Path.Combine(Docs.DocFiles.RepoRoot(), "docs", "ddl-layout.md"));
        var blocks = SqlBlock().Matches(doc).Select(m => Dedent(m.Groups[2].Value, m.Groups[1].Value.Length)).ToList();
        Assert.True(blocks.Count >= 20, $"the layout page should show its examples ({blocks.Count} found)");

        var pinned = AllCases().SelectMany(c => c.Exact.Values).ToHashSet(StringComparer.Ordinal);
        foreach (var block in blocks)
            Assert.True(pinned.Contains(block), $"this example is no case's exact output:\n{block}");
    }

    /// <summary>Every case of every case file: the classes of this folder with a static Cases property.</summary>
    private static IEnumerable<SnapshotCase> AllCases() =>
        typeof(SnapshotCase).Assembly.GetTypes()
            .Select(t => t.GetProperty("Cases", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(TheoryData<SnapshotCase>))
            .SelectMany(p => (IEnumerable<object[]>)p!.GetValue(null)!)
            .Select(row => (SnapshotCase)row[0]);

    private static string Dedent(string text, int indentation) =>
        string.Concat(text.Split('\n').Select((line, i) => (i == 0 ? "" : "\n") + (line.Length >= indentation ? line[indentation..] : line)));
}
