using System.Text.Json;
using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>
/// A database whose checked-out branch main has one root commit with two objects; tests grow their
/// own branches from it with commit_changes (DDL syntax-checked), each under its own prefix.
/// </summary>
public sealed class MergeRepository : IAsyncLifetime
{
    public const string Orders = "public/tables/orders.sql";
    public const string Totals = "public/views/totals.sql";
    public const string OrdersDdl = "CREATE TABLE public.orders (\n    id bigint NOT NULL,\n    amount numeric,\n    note text,\n    placed date\n);\n";
    public const string TotalsDdl = "CREATE VIEW public.totals AS\nSELECT id,\n    amount\nFROM public.orders;\n";

    public TestDatabase Db { get; private set; } = null!;
    public string Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        await using var db = await Db.OpenAsync();
        var tree = await db.ScalarAsync<string>("SELECT pggit_v0.write_tree(NULL, @changes::jsonb)",
            new { changes = JsonSerializer.Serialize(new Dictionary<string, string> { [Orders] = OrdersDdl, [Totals] = TotalsDdl }) });
        Root = await db.ScalarAsync<string>("SELECT pggit_v0.commit_tree(@tree, '{}', 'root', 'Root <root@example.com>')", new { tree });
        await db.ExecuteAsync("SELECT pggit_v0.update_ref('main', @Root, NULL)", new { Root });
    }

    public async Task DisposeAsync() => await Db.DisposeAsync();

    public async Task<NpgsqlConnection> OpenAsync() => await Db.OpenAsync();

    public static async Task BranchAsync(NpgsqlConnection db, string name, string from)
        => await db.ExecuteAsync("SELECT pggit_v0.create_branch(@name, @from)", new { name, from });

    public static async Task<string> CommitAsync(NpgsqlConnection db, string branch, Dictionary<string, string?> changes,
        string message = "change", string author = "Dev <dev@example.com>")
        => await db.ScalarAsync<string>("SELECT pggit_v0.commit_changes(@branch, @changes::jsonb, @message, @author)",
            new { branch, changes = JsonSerializer.Serialize(changes), message, author });

    public static string Tip(NpgsqlConnection db, string branch)
        => db.ExecuteScalar<string>("SELECT pggit_v0.resolve_ref(@branch)", new { branch })!;

    public static async Task<string?> FileAsync(NpgsqlConnection db, string revision, string path)
        => await db.ExecuteScalarAsync<string?>(
            "SELECT convert_from(pggit_v0.cat_object(object_sha), 'UTF8') FROM pggit_v0.ls_tree(@revision) WHERE path = @path",
            new { revision, path });

    /// <summary>Two branches from the root: the target changes amount's type and the view's
    /// columns; the source changes amount differently and deletes the view (two conflicts), and
    /// adds a table (clean).</summary>
    public async Task<(string Target, string Source)> ConflictingPairAsync(NpgsqlConnection db, string prefix)
    {
        var (target, source) = ($"{prefix}/target", $"{prefix}/source");
        await BranchAsync(db, target, Root);
        await BranchAsync(db, source, Root);
        await CommitAsync(db, target, new() { [Orders] = OrdersDdl.Replace("amount numeric", "amount numeric(12,2)"), [Totals] = TotalsDdl.Replace("    amount", "    amount AS total") },
            "target edits", "Tara <tara@example.com>");
        await CommitAsync(db, source, new() { [Orders] = OrdersDdl.Replace("amount numeric", "amount bigint"), [Totals] = null,
            ["public/tables/refunds.sql"] = "CREATE TABLE public.refunds (\n    id bigint\n);" }, "source edits", "Sam <sam@example.com>");
        return (target, source);
    }

    public static async Task<Dictionary<string, long>> CountsAsync(NpgsqlConnection db)
        => (await db.QueryAsync<(string Name, long Count)>("""
            SELECT 'objects', count(*) FROM pggit_v0.objects UNION ALL SELECT 'refs', count(*) FROM pggit_v0.refs
            UNION ALL SELECT 'ref_log', count(*) FROM pggit_v0.ref_log UNION ALL SELECT 'merges', count(*) FROM pggit_v0.merges
            UNION ALL SELECT 'merge_conflicts', count(*) FROM pggit_v0.merge_conflicts UNION ALL SELECT 'activity', count(*) FROM pggit_v0.activity
            """)).ToDictionary(r => r.Name, r => r.Count);
}
