using System.Text.Json;
using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>
/// One merge case: a base tree and the commits each side adds on top of it ({path: DDL}, null
/// deletes). The target side is what gets merged into; the source side is merged in.
/// </summary>
public sealed record MergeScenario(
    string Name,
    IReadOnlyDictionary<string, string> Base,
    IReadOnlyList<IReadOnlyDictionary<string, string?>> Target,
    IReadOnlyList<IReadOnlyDictionary<string, string?>> Source)
{
    public override string ToString() => Name;
}

/// <summary>DDL texts whose lines can be edited by index; every object's lines name the object, so
/// no two objects look alike (git detects renames even with merge.renames=false).</summary>
public static class Ddl
{
    public static string Table(string name, int columns)
        => string.Join('\n', new[] { $"CREATE TABLE public.{name} (", $"    {name}_id bigint NOT NULL," }
            .Concat(Enumerable.Range(1, columns).Select(i => $"    {name}_c{i} integer" + (i < columns ? "," : "")))
            .Append(");")) + "\n";

    public static string[] Lines(string ddl) => ddl.TrimEnd('\n').Split('\n');

    private static string Join(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";

    public static string Replace(string ddl, int line, string text)
    {
        var lines = Lines(ddl);
        lines[line] = text;
        return Join(lines);
    }

    public static string Insert(string ddl, int before, string text)
    {
        var lines = Lines(ddl).ToList();
        lines.Insert(before, text);
        return Join(lines);
    }

    public static string Delete(string ddl, int line)
    {
        var lines = Lines(ddl).ToList();
        lines.RemoveAt(line);
        return Join(lines);
    }
}

public static class MergeScenarios
{
    private const string Orders = "public/tables/orders.sql";
    private const string Customers = "public/tables/customers.sql";
    private const string Totals = "public/views/order_totals.sql";
    private const string Calc = "public/functions/calc(integer).sql";
    private const string Schema = "public/schema.sql";

    private static readonly string OrdersDdl = Ddl.Table("orders", 7);          // lines 0..9
    private static readonly string CustomersDdl = Ddl.Table("customers", 4);
    private const string TotalsDdl = "CREATE VIEW public.order_totals AS\nSELECT orders_id,\n    sum(orders_c1) AS total\nFROM public.orders\nGROUP BY orders_id;\n";
    private const string CalcDdl = "CREATE FUNCTION public.calc(integer) RETURNS integer\n    LANGUAGE sql\n    AS $$\n    SELECT $1 * 2\n$$;\n";

    private static readonly IReadOnlyDictionary<string, string> CommonBase = new Dictionary<string, string>
    {
        [Schema] = "CREATE SCHEMA IF NOT EXISTS public;\n",
        [Orders] = OrdersDdl,
        [Customers] = CustomersDdl,
        [Totals] = TotalsDdl,
        [Calc] = CalcDdl,
    };

    /// <summary>Every scenario: the hand-written shapes, then seeded random mixtures of them.</summary>
    public static IReadOnlyList<MergeScenario> All { get; } = HandWritten().Concat(Random(seed: 5_2, count: 40)).ToList();

    public static IEnumerable<object[]> Names => All.Select(s => new object[] { s.Name });

    public static MergeScenario Get(string name) => All.Single(s => s.Name == name);

    private static Dictionary<string, string?> C(params (string Path, string? Ddl)[] changes)
        => changes.ToDictionary(c => c.Path, c => c.Ddl);

    private static MergeScenario Case(string name, Dictionary<string, string?>[] target, Dictionary<string, string?>[] source,
        IReadOnlyDictionary<string, string>? baseTree = null)
        => new(name, baseTree ?? CommonBase, target, source);

    private static IEnumerable<MergeScenario> HandWritten()
    {
        var o = OrdersDdl;
        // One-sided: the other side's commit changes nothing (an empty commit).
        yield return Case("target_only_edit", [C((Orders, Ddl.Replace(o, 2, "    orders_c1 bigint,")))], [C()]);
        yield return Case("source_only_edit", [C()], [C((Orders, Ddl.Replace(o, 3, "    orders_c2 text,")))]);
        yield return Case("schema_file_edited_on_one_side", [C((Schema, "CREATE SCHEMA IF NOT EXISTS public;\nCOMMENT ON SCHEMA public IS 'x';\n"))],
            [C((Calc, CalcDdl.Replace("* 2", "* 3")))]);
        yield return Case("both_edit_different_objects", [C((Customers, Ddl.Replace(CustomersDdl, 2, "    customers_c1 text,")))],
            [C((Orders, Ddl.Replace(o, 4, "    orders_c3 numeric,")))]);
        yield return Case("same_object_edits_far_apart", [C((Orders, Ddl.Replace(o, 1, "    orders_id uuid NOT NULL,")))],
            [C((Orders, Ddl.Replace(o, 8, "    orders_c7 date")))]);
        yield return Case("same_object_edits_one_line_apart", [C((Orders, Ddl.Replace(o, 3, "    orders_c2 smallint,")))],
            [C((Orders, Ddl.Replace(o, 5, "    orders_c4 smallint,")))]);
        yield return Case("same_object_adjacent_edits", [C((Orders, Ddl.Replace(o, 3, "    orders_c2 smallint,")))],
            [C((Orders, Ddl.Replace(o, 4, "    orders_c3 smallint,")))]);
        yield return Case("same_line_edited_differently", [C((Orders, Ddl.Replace(o, 3, "    orders_c2 smallint,")))],
            [C((Orders, Ddl.Replace(o, 3, "    orders_c2 bigint,")))]);
        yield return Case("same_line_edited_identically", [C((Orders, Ddl.Replace(o, 3, "    orders_c2 bigint,")))],
            [C((Orders, Ddl.Replace(o, 3, "    orders_c2 bigint,")))]);
        yield return Case("identical_edit_plus_separate_edits", [C((Orders, Ddl.Replace(Ddl.Replace(o, 3, "    orders_c2 bigint,"), 8, "    orders_c7 date")))],
            [C((Orders, Ddl.Replace(Ddl.Replace(o, 3, "    orders_c2 bigint,"), 1, "    orders_id uuid NOT NULL,")))]);
        yield return Case("insertions_at_the_same_place", [C((Orders, Ddl.Insert(o, 5, "    orders_left text,")))],
            [C((Orders, Ddl.Insert(o, 5, "    orders_right text,")))]);
        yield return Case("identical_insertions_at_the_same_place", [C((Orders, Ddl.Insert(o, 5, "    orders_note text,")))],
            [C((Orders, Ddl.Insert(o, 5, "    orders_note text,")))]);
        yield return Case("insertion_next_to_an_edit", [C((Orders, Ddl.Insert(o, 5, "    orders_left text,")))],
            [C((Orders, Ddl.Replace(o, 5, "    orders_c4 uuid,")))]);
        yield return Case("insertion_apart_from_an_edit", [C((Orders, Ddl.Insert(o, 2, "    orders_left text,")))],
            [C((Orders, Ddl.Replace(o, 6, "    orders_c5 uuid,")))]);
        yield return Case("deleted_line_next_to_edited_line", [C((Orders, Ddl.Delete(o, 4)))],
            [C((Orders, Ddl.Replace(o, 5, "    orders_c4 uuid,")))]);
        yield return Case("deleted_line_apart_from_edited_line", [C((Orders, Ddl.Delete(o, 2)))],
            [C((Orders, Ddl.Replace(o, 7, "    orders_c6 uuid,")))]);
        yield return Case("same_line_deleted_on_both_sides", [C((Orders, Ddl.Delete(o, 4)))], [C((Orders, Ddl.Delete(o, 4)))]);
        yield return Case("both_append_at_the_end", [C((Totals, TotalsDdl + "COMMENT ON VIEW public.order_totals IS 'left';\n"))],
            [C((Totals, TotalsDdl + "COMMENT ON VIEW public.order_totals IS 'right';\n"))]);
        yield return Case("edits_at_first_and_last_line", [C((Calc, CalcDdl.Replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")))],
            [C((Calc, CalcDdl.Replace("$$;", "$$ STRICT;")))]);
        yield return Case("rewrite_against_small_edit", [C((Totals, "CREATE VIEW public.order_totals AS\nSELECT 1 AS rewritten_totals;\n"))],
            [C((Totals, TotalsDdl.Replace("sum(orders_c1)", "sum(orders_c2)")))]);
        yield return Case("target_deletes_what_source_edits", [C((Customers, null))],
            [C((Customers, Ddl.Replace(CustomersDdl, 3, "    customers_c2 text,")))]);
        yield return Case("source_deletes_what_target_edits", [C((Customers, Ddl.Replace(CustomersDdl, 3, "    customers_c2 text,")))],
            [C((Customers, null))]);
        yield return Case("both_delete_the_same_object", [C((Calc, null))], [C((Calc, null))]);
        yield return Case("source_deletes_an_unchanged_object", [C((Orders, Ddl.Replace(o, 2, "    orders_c1 bigint,")))], [C((Calc, null))]);
        yield return Case("both_add_the_same_path_differently", [C(("public/tables/invoices.sql", Ddl.Table("invoices", 3)))],
            [C(("public/tables/invoices.sql", Ddl.Replace(Ddl.Table("invoices", 3), 2, "    invoices_c1 text,")))]);
        yield return Case("both_add_the_same_path_identically", [C(("public/tables/invoices.sql", Ddl.Table("invoices", 3)))],
            [C(("public/tables/invoices.sql", Ddl.Table("invoices", 3)))]);
        yield return Case("both_add_different_paths", [C(("public/tables/invoices.sql", Ddl.Table("invoices", 3)))],
            [C(("sales/schema.sql", "CREATE SCHEMA IF NOT EXISTS sales;\n"), ("sales/tables/quotes.sql", Ddl.Table("quotes", 2)))]);
        yield return Case("conflicting_and_clean_paths_together",
            [C((Orders, Ddl.Replace(o, 3, "    orders_c2 smallint,")), (Customers, Ddl.Replace(CustomersDdl, 1, "    customers_id uuid NOT NULL,")))],
            [C((Orders, Ddl.Replace(o, 3, "    orders_c2 bigint,")), (Calc, CalcDdl.Replace("* 2", "* 4")))]);
        yield return Case("several_commits_on_each_side",
            [C((Orders, Ddl.Replace(o, 1, "    orders_id uuid NOT NULL,"))), C((Calc, CalcDdl.Replace("* 2", "* 5"))),
             C(("public/tables/invoices.sql", Ddl.Table("invoices", 2)))],
            [C((Orders, Ddl.Replace(o, 8, "    orders_c7 date"))), C((Customers, null)), C((Totals, TotalsDdl.Replace("GROUP BY", "GROUP  BY")))]);
        yield return Case("source_reverts_its_own_change", [C((Orders, Ddl.Replace(o, 2, "    orders_c1 bigint,")))],
            [C((Calc, CalcDdl.Replace("* 2", "* 9"))), C((Calc, CalcDdl))]);
        yield return Case("fast_forward", [], [C((Orders, Ddl.Replace(o, 2, "    orders_c1 bigint,"))), C((Calc, null))]);
        yield return Case("already_merged", [C((Orders, Ddl.Replace(o, 2, "    orders_c1 bigint,")))], []);
    }

    /// <summary>Random mixtures: each side makes 1-3 commits of line edits, insertions, deletions,
    /// object deletions and new objects, often in the same objects as the other side.</summary>
    private static IEnumerable<MergeScenario> Random(int seed, int count)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var fresh = 0;
            var baseTree = new Dictionary<string, string>();
            string NewObject(out string ddl)
            {
                var name = $"r{n}_{fresh++}";
                ddl = Ddl.Table(name, 3 + random.Next(6));
                return random.Next(3) == 0 ? $"app/tables/{name}.sql" : $"public/tables/{name}.sql";
            }
            for (var i = 0; i < 3 + random.Next(3); i++) baseTree[NewObject(out var ddl)] = ddl;
            var shared = baseTree.Keys.Take(2).ToList();

            List<IReadOnlyDictionary<string, string?>> Side(string tag)
            {
                var state = new Dictionary<string, string>(baseTree);
                var commits = new List<IReadOnlyDictionary<string, string?>>();
                for (var c = 0; c < 1 + random.Next(3); c++)
                {
                    var changes = new Dictionary<string, string?>();
                    for (var op = 0; op < 1 + random.Next(3); op++)
                    {
                        var roll = random.Next(100);
                        var existing = state.Keys.Order(StringComparer.Ordinal).ToList();
                        var pick = random.Next(2) == 0 ? shared.Where(state.ContainsKey).DefaultIfEmpty(existing[0]).First() : existing[random.Next(existing.Count)];
                        if (roll < 65)
                        {
                            var ddl = state[pick];
                            var lines = Ddl.Lines(ddl).Length;
                            var line = 1 + random.Next(lines - 2);
                            ddl = random.Next(3) switch
                            {
                                0 => Ddl.Replace(ddl, line, $"    {tag}_{random.Next(1000)} text,"),
                                1 => Ddl.Insert(ddl, line, $"    {tag}_{random.Next(1000)} date,"),
                                _ => lines > 4 ? Ddl.Delete(ddl, line) : Ddl.Insert(ddl, line, $"    {tag}_{random.Next(1000)} date,"),
                            };
                            state[pick] = ddl;
                            changes[pick] = ddl;
                        }
                        else if (roll < 80 && state.Count > 2)
                        {
                            state.Remove(pick);
                            changes[pick] = null;
                        }
                        else
                        {
                            var path = NewObject(out var ddl);
                            state[path] = ddl;
                            changes[path] = ddl;
                        }
                    }
                    commits.Add(changes);
                }
                return commits;
            }

            var target = Side("t");
            var source = Side("s");
            yield return new MergeScenario($"random_{n:D2}", baseTree, target, source);
        }
    }

    /// <summary>Writes a scenario with the plumbing: a base commit, each side's commits on top, and
    /// branches &lt;name&gt;/target and &lt;name&gt;/source. Returns both tips.</summary>
    public static async Task<(string Target, string Source)> BuildAsync(NpgsqlConnection db, MergeScenario scenario, Func<DateTimeOffset> clock)
    {
        var baseCommit = await CommitAsync(db, null, scenario.Base.ToDictionary(p => p.Key, p => (string?)p.Value),
            $"{scenario.Name}: base", "Bea Base <bea@example.com>", clock());
        var target = baseCommit;
        foreach (var (changes, i) in scenario.Target.Select((c, i) => (c, i)))
            target = await CommitAsync(db, target, changes, $"{scenario.Name}: target {i + 1}", "Tara Target <tara@example.com>", clock());
        var source = baseCommit;
        foreach (var (changes, i) in scenario.Source.Select((c, i) => (c, i)))
            source = await CommitAsync(db, source, changes, $"{scenario.Name}: source {i + 1}\n\nwith a body line", "Sam Source <sam@example.com>", clock());
        await db.ExecuteAsync("SELECT pggit_v0.update_ref(@t, @target, NULL), pggit_v0.update_ref(@s, @source, NULL)",
            new { t = $"{scenario.Name}/target", target, s = $"{scenario.Name}/source", source });
        return (target, source);
    }

    public static async Task<string> CommitAsync(NpgsqlConnection db, string? parent, IReadOnlyDictionary<string, string?> changes,
        string message, string author, DateTimeOffset at, string? secondParent = null)
    {
        var baseTree = parent is null ? null
            : await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @parent", new { parent });
        var tree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(@baseTree, @changes::jsonb)",
            new { baseTree, changes = JsonSerializer.Serialize(changes) });
        var parents = new[] { parent, secondParent }.OfType<string>().ToArray();
        return await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, @parents, @message, @author, NULL, @at, @at)",
            new { tree, parents, message, author, at });
    }
}
