using System.Text;
using System.Text.Json;
using Dapper;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>
/// The line-level three-way merge of one object (git's xdl_merge over histogram diffs): named
/// cases for each rule, and random files merged byte for byte as git merge-tree merges them,
/// conflict markers included (the markers matter: criss-cross merges diff against them).
/// </summary>
public sealed class LineMergeTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    public static TheoryData<string, string, string, string, string> Rules => new()
    {
        // rule, base, ours, theirs, merged (| marks the conflict markers' labels "o" and "t")
        { "changes separated by one unchanged line merge", "a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n", "a\nB\nc\nD\ne\n" },
        { "adjacent changes conflict", "a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nC\nd\n", "a\n<<<<<<< o\nB\nc\n=======\nb\nC\n>>>>>>> t\nd\n" },
        { "insertions at the same place conflict", "a\nb\n", "a\nx\nb\n", "a\ny\nb\n", "a\n<<<<<<< o\nx\n=======\ny\n>>>>>>> t\nb\n" },
        { "identical changes are no conflict", "a\nb\nc\n", "a\nB\nc\n", "a\nB\nc\n", "a\nB\nc\n" },
        { "a conflict shrinks to the lines that differ", "a\nb\nc\nd\ne\n", "a\nB\nC\nD\ne\n", "a\nB\nX\nD\ne\n", "a\nB\n<<<<<<< o\nC\n=======\nX\n>>>>>>> t\nD\ne\n" },
        { "conflicts at most three lines apart are joined", "0\n1\n2\n3\n4\n5\n6\n", "A\n1\n2\n3\n4\n5\nG\n", "a\n1\n2\n3\n4\n5\ng\n",
          "<<<<<<< o\nA\n=======\na\n>>>>>>> t\n1\n2\n3\n4\n5\n<<<<<<< o\nG\n=======\ng\n>>>>>>> t\n" },
        { "conflicts three lines apart become one", "0\n1\n2\n3\n4\n", "A\n1\n2\n3\nE\n", "a\n1\n2\n3\ne\n",
          "<<<<<<< o\nA\n1\n2\n3\nE\n=======\na\n1\n2\n3\ne\n>>>>>>> t\n" },
        { "a deletion next to an edit conflicts", "a\nb\nc\nd\n", "a\nc\nd\n", "a\nb\nC\nd\n", "a\n<<<<<<< o\nc\n=======\nb\nC\n>>>>>>> t\nd\n" },
        { "a missing final newline is kept", "a\nb\nc", "A\nb\nc", "a\nb\nC", "A\nb\nC" },
        { "a side that changed nothing gives the other side", "a\nb\n", "a\nb\n", "x\n", "x\n" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Rule(string rule, string baseText, string ours, string theirs, string merged)
    {
        var result = await _db.QueryAsync<(string Merged, int Conflicts)>(
            "SELECT merged, conflicts FROM pggit_v0._merge_file(@baseText, @ours, @theirs, 7, 'o', 't')", new { baseText, ours, theirs });
        Assert.True(merged == result[0].Merged, $"{rule}: got {Quote(result[0].Merged)}");
        Assert.Equal(merged.Contains("<<<<<<<"), result[0].Conflicts > 0);
    }

    [Fact]
    public async Task Random_files_merge_byte_for_byte_as_git_merges_them_markers_included()
    {
        var random = new Random(7);
        string[] alphabet = ["(", ")", "    a integer,", "    b text,", ");", "", "BEGIN", "END;", "x", "y"];
        string RandomText(int maxLines)
            => string.Concat(Enumerable.Range(0, random.Next(maxLines + 1))
                .Select(_ => (random.Next(3) == 0 ? $"l{random.Next(20)}" : alphabet[random.Next(alphabet.Length)]) + "\n"));
        string Mutate(string text)
        {
            var lines = text.Split('\n').SkipLast(1).ToList();
            for (var i = 0; i < 1 + random.Next(4); i++)
            {
                var at = random.Next(lines.Count + 1);
                switch (random.Next(3))
                {
                    case 0: lines.Insert(at, random.Next(2) == 0 ? alphabet[random.Next(alphabet.Length)] : $"n{random.Next(10)}"); break;
                    case 1 when lines.Count > 0: lines.RemoveAt(Math.Min(at, lines.Count - 1)); break;
                    case 2 when lines.Count > 0: lines[Math.Min(at, lines.Count - 1)] = $"m{random.Next(10)}"; break;
                }
            }
            return string.Concat(lines.Select(l => l + "\n"));
        }

        await using var db = await _db.OpenAsync();
        const string path = "public/tables/f.sql";
        var cases = new List<(string Base, string Ours, string Theirs, string OursCommit, string TheirsCommit)>();
        for (var n = 0; n < 150; n++)
        {
            var baseText = RandomText(n < 100 ? 12 : 40);
            var ours = Mutate(baseText);
            var theirs = random.Next(5) == 0 ? Mutate(ours) : Mutate(baseText);
            // Blobs are written as they are (write_tree would normalize the final newlines).
            var blobs = await db.ScalarAsync<string[]>("SELECT pggit_v0._write_blobs(ARRAY[@baseText, @ours, @theirs])", new { baseText, ours, theirs });
            var commits = new List<string>();
            foreach (var (blob, parent) in new[] { (blobs[0], (string?)null), (blobs[1], "base"), (blobs[2], "base") })
            {
                var tree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(NULL, jsonb_build_object(@path, jsonb_build_object('sha', @blob)))", new { path, blob });
                commits.Add(await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, @parents, 'f', 'F <f@example.com>', NULL, '2026-03-01Z', '2026-03-01Z')",
                    new { tree, parents = parent is null ? Array.Empty<string>() : new[] { commits[0] } }));
            }
            cases.Add((baseText, ours, theirs, commits[1], commits[2]));
        }
        using var git = await GitRepository.InitAsync();
        await GitOracle.ExportObjectsAsync(db, git);

        var expected = new List<(bool Clean, string Tree)>();
        foreach (var c in cases)
        {
            var result = await GitOracle.RunAsync(git, "merge-tree", "--write-tree", "--no-messages", c.OursCommit, c.TheirsCommit);
            expected.Add((result.ExitCode == 0, result.Lines[0]));
        }
        var contents = ParseBatch(await git.RunAsync(Encoding.ASCII.GetBytes(string.Concat(expected.Select(e => $"{e.Tree}:{path}\n"))), "cat-file", "--batch"));
        var conflicted = 0;
        foreach (var (c, i) in cases.Select((c, i) => (c, i)))
        {
            var ours = await db.QuerySingleAsync<(string Merged, int Conflicts)>(
                "SELECT merged, conflicts FROM pggit_v0._merge_file(@Base, @Ours, @Theirs, 7, @OursCommit, @TheirsCommit)",
                new { c.Base, c.Ours, c.Theirs, c.OursCommit, c.TheirsCommit });
            Assert.True(expected[i].Clean == (ours.Conflicts == 0), $"case {i}: git clean = {expected[i].Clean}, we found {ours.Conflicts} conflicts");
            Assert.True(contents[i] == ours.Merged, $"case {i}: git merged {Quote(contents[i])}, we merged {Quote(ours.Merged)}");
            if (!expected[i].Clean) conflicted++;
        }
        Assert.InRange(conflicted, 30, 120);
    }

    private static string Quote(string text)
        => JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The contents git cat-file --batch printed, in order ("missing" for an absent path = an empty merge result).</summary>
    private static List<string> ParseBatch(string output)
    {
        var contents = new List<string>();
        var at = 0;
        while (at < output.Length)
        {
            var headerEnd = output.IndexOf('\n', at);
            var header = output[at..headerEnd].Split(' ');
            if (header[^1] == "missing") { contents.Add(""); at = headerEnd + 1; continue; }
            var size = int.Parse(header[2]);
            contents.Add(output.Substring(headerEnd + 1, size));
            at = headerEnd + 1 + size + 1;
        }
        return contents;
    }
}
