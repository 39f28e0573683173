using PgGitV0.Testing;

namespace PgGitV0.Server.Tests.Infrastructure;

/// <summary>
/// Branch pairs to merge, grown from HEAD with commit_changes so the checked-out branch never moves.
/// Each test passes its own prefix, so tests sharing a database do not touch each other's branches.
/// </summary>
public static class MergeHistory
{
    public const string Author = "Dev <dev@example.com>";

    public static string TablePath(string name) => $"public/tables/{name}.sql";

    public static string Table(string name, string columns) => $"CREATE TABLE public.{name} ({columns});";

    public static Task<string> TipAsync(TestDatabase database, string revision)
        => database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@revision)", new { revision });

    public static Task BranchAsync(TestDatabase database, string name, string from = "HEAD")
        => database.ExecuteAsync("SELECT pggit_v0.create_branch(@name, @from)", new { name, from });

    /// <summary>Adds table <paramref name="table"/> on <paramref name="branch"/>; returns the commit.</summary>
    public static Task<string> AddTableAsync(TestDatabase database, string branch, string table, string columns = "id bigint")
        => History.CommitAsync(database, branch, new Dictionary<string, string?> { [TablePath(table)] = Table(table, columns) }, $"add {table}", Author);

    /// <summary>
    /// <c>prefix/target</c> and <c>prefix/source</c> from a common commit that adds one table per name of
    /// <paramref name="conflicting"/>: the target gives each a column <c>on_target</c>, the source a column
    /// <c>on_source</c> (so each conflicts, modify/modify), and the source also adds table <c>prefix_clean</c>.
    /// </summary>
    public static async Task<(string Target, string Source)> ConflictingPairAsync(TestDatabase database, string prefix, params string[] conflicting)
    {
        var (target, source) = ($"{prefix}/target", $"{prefix}/source");
        var baseBranch = $"{prefix}/base";
        await BranchAsync(database, baseBranch);
        await History.CommitAsync(database, baseBranch, conflicting.ToDictionary(TablePath, t => (string?)Table(t, "id bigint")), "common tables", Author);
        await BranchAsync(database, target, baseBranch);
        await BranchAsync(database, source, baseBranch);
        await History.CommitAsync(database, target, conflicting.ToDictionary(TablePath, t => (string?)Table(t, "id bigint, on_target text")),
            "target edits", "Tara <tara@example.com>");
        var sourceChanges = conflicting.ToDictionary(TablePath, t => (string?)Table(t, "id bigint, on_source text"));
        sourceChanges[TablePath(Clean(prefix))] = Table(Clean(prefix), "id bigint");
        await History.CommitAsync(database, source, sourceChanges, "source edits", "Sam <sam@example.com>");
        return (target, source);
    }

    /// <summary>The table the source of <see cref="ConflictingPairAsync"/> adds without conflict.</summary>
    public static string Clean(string prefix) => $"{prefix.Replace('/', '_').Replace('-', '_')}_clean";

    /// <summary>The DDL of <paramref name="path"/> at <paramref name="revision"/>; null when it has no such path.</summary>
    public static Task<string?> FileAsync(TestDatabase database, string revision, string path)
        => database.ScalarAsync<string?>(
            "SELECT convert_from(pggit_v0.cat_object(object_sha), 'UTF8') FROM pggit_v0.ls_tree(@revision) WHERE path = @path",
            new { revision, path });
}
