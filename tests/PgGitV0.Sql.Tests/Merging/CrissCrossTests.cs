using Dapper;
using PgGitV0.Testing;
using Xunit.Abstractions;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>
/// Criss-cross histories (two or three best merge bases), reported apart from the other scenarios:
/// both sides merged each other's work, resolving conflicts differently, then went on. git merges
/// the merge bases into a virtual base (conflicts left in it with markers); so do we, and the
/// results must be git's: the same tree when clean, the same conflicting paths otherwise.
/// </summary>
public sealed class CrissCrossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private int _minute;
    private int _objects;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private DateTimeOffset Clock() => new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(++_minute);

    private (string Path, List<string> Lines) NewObject(Random random)
    {
        var k = ++_objects;
        return ($"public/tables/x{k}.sql", Ddl.Lines(Ddl.Table($"x{k}", 3 + random.Next(5))).ToList());
    }

    private static List<string> Mutate(Random random, List<string> lines, string tag)
    {
        var result = lines.ToList();
        for (var i = 0; i < 1 + random.Next(2); i++)
        {
            var at = 1 + random.Next(result.Count - 1);
            switch (random.Next(3))
            {
                case 0: result.Insert(at, $"    {tag}_{random.Next(100)} text,"); break;
                case 1 when result.Count > 3: result.RemoveAt(at); break;
                default: result[Math.Min(at, result.Count - 2)] = $"    {tag}_{random.Next(100)} bigint,"; break;
            }
        }
        return result;
    }

    private Dictionary<string, List<string>> Change(Random random, Dictionary<string, List<string>> files, string tag)
    {
        var result = files.ToDictionary(f => f.Key, f => f.Value);
        for (var i = 0; i < 1 + random.Next(3); i++)
        {
            var keys = result.Keys.Order(StringComparer.Ordinal).ToList();
            var roll = random.NextDouble();
            if (roll < 0.6) { var key = keys[random.Next(keys.Count)]; result[key] = Mutate(random, result[key], tag); }
            else if (roll < 0.75 && keys.Count > 1) result.Remove(keys[random.Next(keys.Count)]);
            else { var (path, lines) = NewObject(random); result[path] = lines; }
        }
        return result;
    }

    /// <summary>A merge someone resolved by hand: each side's change where the other did not change, else one side or a new edit.</summary>
    private static Dictionary<string, List<string>> Resolve(Random random, Dictionary<string, List<string>> a, Dictionary<string, List<string>> b,
        Dictionary<string, List<string>> baseFiles)
    {
        var result = new Dictionary<string, List<string>>();
        foreach (var path in a.Keys.Union(b.Keys).Union(baseFiles.Keys))
        {
            var (va, vb, vo) = (a.GetValueOrDefault(path), b.GetValueOrDefault(path), baseFiles.GetValueOrDefault(path));
            List<string>? value;
            if (Same(va, vb)) value = va;
            else if (Same(va, vo)) value = vb;
            else if (Same(vb, vo)) value = va;
            else value = random.NextDouble() < 0.7 ? va ?? vb : Mutate(random, (va ?? vb)!, "r");
            if (value is not null) result[path] = value;
        }
        return result;
    }

    private static bool Same(List<string>? x, List<string>? y) => x is null ? y is null : y is not null && x.SequenceEqual(y);

    private async Task<string> CommitAsync(Npgsql.NpgsqlConnection db, Dictionary<string, List<string>> files, string message, params string[] parents)
    {
        var tree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(NULL, @changes::jsonb)",
            new { changes = System.Text.Json.JsonSerializer.Serialize(files.ToDictionary(f => f.Key, f => string.Join('\n', f.Value) + "\n")) });
        var at = Clock();
        return await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, @parents, @message, 'Cris Cross <cc@example.com>', NULL, @at, @at)",
            new { tree, parents, message, at });
    }

    [Fact]
    public async Task Criss_cross_merges_agree_with_git_merge_tree()
    {
        await using var db = await _db.OpenAsync();
        var random = new Random(2039);
        var cases = new List<(string Target, string Source, int Bases)>();
        for (var n = 0; n < 24; n++)
        {
            var baseFiles = new Dictionary<string, List<string>>();
            for (var i = 0; i < 2 + random.Next(3); i++) { var (path, lines) = NewObject(random); baseFiles[path] = lines; }
            var b = await CommitAsync(db, baseFiles, "base");
            var x1f = Change(random, baseFiles, "x");
            var y1f = Change(random, baseFiles, "y");
            var (x1, y1) = (await CommitAsync(db, x1f, "x1", b), await CommitAsync(db, y1f, "y1", b));
            string x2, y2;
            Dictionary<string, List<string>> x2f, y2f;
            if (n % 2 == 0)
            {
                // Two merge bases: each side merged the other.
                x2f = Resolve(random, x1f, y1f, baseFiles);
                y2f = Resolve(random, y1f, x1f, baseFiles);
                (x2, y2) = (await CommitAsync(db, x2f, "x2", x1, y1), await CommitAsync(db, y2f, "y2", y1, x1));
            }
            else
            {
                // Three merge bases: both sides merged all three lines, in different orders.
                var z1f = Change(random, baseFiles, "z");
                var z1 = await CommitAsync(db, z1f, "z1", b);
                x2f = Resolve(random, Resolve(random, x1f, y1f, baseFiles), z1f, baseFiles);
                y2f = Resolve(random, Resolve(random, z1f, y1f, baseFiles), x1f, baseFiles);
                (x2, y2) = (await CommitAsync(db, x2f, "x2", x1, y1, z1), await CommitAsync(db, y2f, "y2", z1, y1, x1));
            }
            var target = random.Next(3) > 0 ? await CommitAsync(db, Change(random, x2f, "p"), "x3", x2) : x2;
            var source = random.Next(3) > 0 ? await CommitAsync(db, Change(random, y2f, "q"), "y3", y2) : y2;
            var bases = await db.ScalarAsync<int>("SELECT cardinality(pggit_v0._merge_bases(@target, @source))", new { target, source });
            cases.Add((target, source, bases));
            await db.ExecuteAsync("SELECT pggit_v0.update_ref(@name, @target, NULL)", new { name = $"criss-cross-{n}", target });
        }

        using var git = await GitRepository.InitAsync();
        await GitOracle.ExportObjectsAsync(db, git);
        var agreed = new Dictionary<(int Bases, bool Clean), int>();
        foreach (var ((target, source, bases), n) in cases.Select((c, n) => (c, n)))
        {
            Assert.Equal(n % 2 == 0 ? 2 : 3, bases);
            var expected = await GitOracle.MergeTreeAsync(git, target, source);
            var ours = await db.QuerySingleAsync<(string? Sha, bool Conflicts, string[] Paths)>(
                "SELECT * FROM pggit_v0.merge_branch(@source, @branch)", new { source, branch = $"criss-cross-{n}" });
            Assert.Equal(expected.Conflicts, ours.Paths);
            Assert.Equal(!expected.Clean, ours.Conflicts);
            if (expected.Clean)
                Assert.Equal(expected.Tree, await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @sha", new { sha = ours.Sha }));
            agreed[(bases, expected.Clean)] = agreed.GetValueOrDefault((bases, expected.Clean)) + 1;
        }
        output.WriteLine(string.Join(", ", agreed.OrderBy(a => a.Key).Select(a => $"{a.Key.Bases} bases, {(a.Key.Clean ? "clean" : "conflicts")}: {a.Value}")));
        Assert.True(agreed.Keys.Count(k => k.Clean) >= 1 && agreed.Keys.Count(k => !k.Clean) >= 1);
    }
}
