using System.Text;
using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Snapshot;

/// <summary>One file of a snapshot, as pggit_v0.snapshot_schema() returns it.</summary>
public sealed record SnapshotFile(string Path, string? Schema, string Name, string ObjectType, string Ddl);

/// <summary>
/// Runs a <see cref="SnapshotCase"/>: snapshot the case's schema, check the case's expectations,
/// replay every file into an empty database in apply order, and require the replayed database
/// to snapshot to exactly the same (path, ddl) files.
/// </summary>
public static class SnapshotRoundTrip
{
    public static async Task RunAsync(SnapshotCase snapshotCase)
    {
        IReadOnlyList<SnapshotFile> files;
        await using (var source = await TestDatabase.CreateAsync(icuLocale: snapshotCase.IcuLocale))
        {
            await PrepareAsync(source, snapshotCase);
            await ExecuteScriptAsync(source, snapshotCase.Setup);
            files = await SnapshotAsync(source);
            AssertSameFiles(files, await SnapshotAsync(source), "a second snapshot of the unchanged database");
        }
        AssertExpectations(snapshotCase, files);

        if (snapshotCase.IcuLocale is not null)
        {
            await using var withC = await TestDatabase.CreateAsync();
            await PrepareAsync(withC, snapshotCase);
            await ExecuteScriptAsync(withC, snapshotCase.Setup);
            AssertSameFiles(files, await SnapshotAsync(withC), "the same schema in a database with the C collation");
        }

        await using var target = await TestDatabase.CreateAsync();
        await PrepareAsync(target, snapshotCase);
        await ReplayAsync(target, files);
        AssertSameFiles(files, await SnapshotAsync(target), "the snapshot replayed into an empty database");
    }

    public static async Task<IReadOnlyList<SnapshotFile>> SnapshotAsync(TestDatabase db) =>
        await db.QueryAsync<SnapshotFile>("""
            SELECT path AS "Path", schema AS "Schema", name AS "Name", object_type AS "ObjectType", ddl AS "Ddl"
            FROM pggit_v0.snapshot_schema()
            """);

    /// <summary>
    /// Applies files kind by kind in pggit_v0.object_kinds.apply_order. Within a kind, failing
    /// files are retried until a round makes no progress (partitions before parents, views on
    /// views); then the whole sequence repeats for what still fails, because some dependencies
    /// run against the kind order (a domain CHECK calling a function, a function returning a
    /// table's row type). Each file runs as one statement, so it applies entirely or not at all.
    /// </summary>
    public static async Task ReplayAsync(TestDatabase target, IReadOnlyList<SnapshotFile> files)
    {
        await using var connection = await OpenScriptConnectionAsync(target);
        // As pg_dump does: function bodies may refer to objects created later.
        await connection.ExecuteAsync("SET check_function_bodies = off");
        var applyOrder = (await connection.QueryAsync<(string ObjectType, int ApplyOrder)>(
                "SELECT object_type, apply_order FROM pggit_v0.object_kinds"))
            .ToDictionary(k => k.ObjectType, k => k.ApplyOrder);

        var pending = files.OrderBy(f => applyOrder[f.ObjectType]).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
        var lastError = new Dictionary<string, string>();
        bool passProgressed;
        do
        {
            passProgressed = false;
            foreach (var kind in pending.GroupBy(f => applyOrder[f.ObjectType]).Select(g => g.ToList()).ToList())
            {
                bool roundProgressed;
                do
                {
                    roundProgressed = false;
                    foreach (var file in kind.ToList())
                    {
                        try
                        {
                            await ExecuteScriptAsync(connection, file.Ddl);
                        }
                        catch (PostgresException e)
                        {
                            lastError[file.Path] = e.MessageText;
                            continue;
                        }
                        kind.Remove(file);
                        pending.Remove(file);
                        roundProgressed = passProgressed = true;
                    }
                } while (roundProgressed && kind.Count > 0);
            }
        } while (passProgressed && pending.Count > 0);

        Assert.True(pending.Count == 0,
            "files that do not apply:\n" + string.Join("\n", pending.Select(f => $"{f.Path}: {lastError[f.Path]}\n{f.Ddl}")));
    }

    public static void AssertSameFiles(IReadOnlyList<SnapshotFile> expected, IReadOnlyList<SnapshotFile> actual, string what)
    {
        Assert.Equal(expected.Select(f => f.Path), actual.Select(f => f.Path));
        var differences = new StringBuilder();
        foreach (var (want, got) in expected.Zip(actual))
        {
            if (want.Ddl != got.Ddl || want.Schema != got.Schema || want.Name != got.Name || want.ObjectType != got.ObjectType)
                differences.Append($"{want.Path}:\n--- expected\n{want.Ddl}--- {what}\n{got.Ddl}\n");
        }
        Assert.True(differences.Length == 0, $"{what} differs:\n{differences}");
    }

    private static async Task ExecuteScriptAsync(TestDatabase db, string script)
    {
        await using var connection = await OpenScriptConnectionAsync(db);
        await ExecuteScriptAsync(connection, script);
    }

    /// <summary>
    /// A connection with pg_temp.run_script(text), which runs a whole script server-side. Npgsql
    /// splits command text at every top-level ';' itself and so breaks BEGIN ATOMIC bodies; the
    /// server's parser does not. One call is one statement, so a script applies entirely or not
    /// at all. The function lives in the session's temporary schema, which snapshots never see.
    /// </summary>
    private static async Task<NpgsqlConnection> OpenScriptConnectionAsync(TestDatabase db)
    {
        var connection = await db.OpenAsync();
        await connection.ExecuteAsync("""
            CREATE FUNCTION pg_temp.run_script(script text) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                EXECUTE script;
            END
            $$
            """);
        return connection;
    }

    private static Task ExecuteScriptAsync(NpgsqlConnection connection, string script) =>
        connection.ExecuteAsync("SELECT pg_temp.run_script(@script)", new { script });

    private static async Task PrepareAsync(TestDatabase db, SnapshotCase snapshotCase)
    {
        foreach (var (key, value) in snapshotCase.Settings)
            await db.ExecuteAsync("UPDATE pggit_v0.settings SET value = @value::jsonb WHERE key = @key", new { key, value });
    }

    private static void AssertExpectations(SnapshotCase snapshotCase, IReadOnlyList<SnapshotFile> files)
    {
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        string Listing() => "snapshot paths:\n" + string.Join("\n", byPath.Keys);
        string DdlOf(string path) =>
            byPath.TryGetValue(path, out var file) ? file.Ddl : throw new Xunit.Sdk.XunitException($"missing {path}\n{Listing()}");

        foreach (var path in snapshotCase.Paths)
            Assert.True(byPath.ContainsKey(path), $"missing {path}\n{Listing()}");
        foreach (var path in snapshotCase.AbsentPaths)
            Assert.False(byPath.ContainsKey(path), $"{path} must not be a file of its own\n{Listing()}");
        foreach (var (prefix, paths) in snapshotCase.OnlyPathsUnder)
            Assert.Equal(paths.Order(StringComparer.Ordinal), byPath.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var (path, texts) in snapshotCase.Contains)
            foreach (var text in texts)
                Assert.Contains(text, DdlOf(path));
        foreach (var (path, texts) in snapshotCase.DoesNotContain)
            foreach (var text in texts)
                Assert.DoesNotContain(text, DdlOf(path));
        foreach (var (path, ddl) in snapshotCase.Exact)
            Assert.Equal(ddl, DdlOf(path));
        // Every file is complete statements and ends in exactly one newline.
        foreach (var file in files)
            Assert.True(file.Ddl.EndsWith(";\n", StringComparison.Ordinal), $"{file.Path} must end in \";\\n\":\n{file.Ddl}");
    }
}
