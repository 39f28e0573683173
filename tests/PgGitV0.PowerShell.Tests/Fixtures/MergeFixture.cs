using System.Text.Json;

namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// A server whose checked-out branch main has one commit made from live DDL (public.orders). Tests grow
/// their own branches from it with commit_changes, each under its own prefix, because the checked-out
/// branch cannot be merged into.
/// </summary>
public class MergeFixture : ServerFixture
{
    public const string Orders = "public/tables/orders.sql";

    public MergeFixture() : this(requireApiKeys: false)
    {
    }

    protected MergeFixture(bool requireApiKeys) : base(requireApiKeys)
    {
    }

    /// <summary>main's commit, where every test branch starts.</summary>
    public string Root { get; private set; } = "";

    /// <summary>The canonical DDL of public.orders at <see cref="Root"/>.</summary>
    public string OrdersDdl { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        await Database.ExecuteAsync("CREATE TABLE public.orders (id bigint NOT NULL, amount numeric, note text, placed date)");
        await Database.ExecuteAsync("SELECT pggit_v0.commit('Add orders', 'Root <root@example.com>')");
        Root = await TipAsync("main");
        OrdersDdl = await Database.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'orders', 'main')");
    }

    public Task BranchAsync(string name, string? from = null) =>
        Database.ExecuteAsync("SELECT pggit_v0.create_branch(@name, @from)", new { name, from = from ?? Root });

    /// <summary>Commits file changes (path → DDL, null deletes) to a branch and returns the commit.</summary>
    public Task<string> CommitAsync(string branch, Dictionary<string, string?> changes, string message = "change") =>
        Database.ScalarAsync<string>("SELECT pggit_v0.commit_changes(@branch, @changes::jsonb, @message, 'Dev <dev@example.com>')",
            new { branch, changes = JsonSerializer.Serialize(changes), message });

    /// <summary>A new table's file, for a change that conflicts with nothing.</summary>
    public static Dictionary<string, string?> Table(string name) =>
        new() { [$"public/tables/{name}.sql"] = $"CREATE TABLE public.{name} (\n    id integer\n);\n" };

    /// <summary>orders with amount's type changed: two branches doing this differently conflict.</summary>
    public Dictionary<string, string?> OrdersWithAmount(string type) =>
        new() { [Orders] = OrdersDdl.Replace("amount numeric", "amount " + type, StringComparison.Ordinal) };

    public Task<string> TipAsync(string branch) =>
        Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@branch)", new { branch });

    /// <summary>Two branches from <see cref="Root"/> that both change amount's type: merging either into the other conflicts on orders.</summary>
    public async Task<(string Target, string Source)> ConflictingPairAsync(string prefix)
    {
        var (target, source) = ($"{prefix}/target", $"{prefix}/source");
        await BranchAsync(target);
        await BranchAsync(source);
        await CommitAsync(target, OrdersWithAmount("numeric(12,2)"), "target edits");
        await CommitAsync(source, OrdersWithAmount("bigint"), "source edits");
        return (target, source);
    }

    /// <summary>Two branches from <see cref="Root"/> that each add a table: merging is clean and needs a merge commit.</summary>
    public async Task<(string Target, string Source)> CleanPairAsync(string prefix)
    {
        var (target, source) = ($"{prefix}/target", $"{prefix}/source");
        await BranchAsync(target);
        await BranchAsync(source);
        var safe = prefix.Replace('-', '_');
        await CommitAsync(target, Table(safe + "_t"), "target table");
        await CommitAsync(source, Table(safe + "_s"), "source table");
        return (target, source);
    }
}

/// <summary><see cref="MergeFixture"/> with API keys required, for identities (merge request approvals).</summary>
public sealed class MergeRequestFixture() : MergeFixture(requireApiKeys: true);
