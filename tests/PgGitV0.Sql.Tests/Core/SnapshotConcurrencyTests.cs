using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Core;

/// <summary>
/// A snapshot taken while other sessions run DDL sees each DDL transaction entirely or not at
/// all, and never fails with a catalog-cache error ("cache lookup failed").
/// </summary>
public sealed class SnapshotConcurrencyTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.ExecuteAsync("""
            CREATE TABLE public.flip (x int);
            CREATE VIEW public.flip_v AS SELECT x FROM public.flip;
            CREATE FUNCTION public.flip_f() RETURNS int LANGUAGE sql AS 'SELECT 2';
            """);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Concurrent_ddl_transactions_are_seen_whole_or_not_at_all()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var ddlRounds = 0;
        var ddl = Task.Run(async () =>
        {
            await using var db = await _db.OpenAsync();
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                var (from, to) = round % 2 == 0 ? ("x", "y") : ("y", "x");
                await db.ExecuteAsync($"""
                    BEGIN;
                    ALTER TABLE public.flip RENAME COLUMN {from} TO {to};
                    CREATE OR REPLACE FUNCTION public.flip_f() RETURNS int LANGUAGE sql AS 'SELECT {round % 2 + 1}';
                    CREATE TABLE public.pair_{round % 3} (id int);
                    CREATE INDEX pair_{round % 3}_idx ON public.pair_{round % 3} (id);
                    COMMIT;
                    DROP TABLE public.pair_{round % 3};
                    """);
                ddlRounds++;
            }
        });

        var snapshots = 0;
        await using (var reader = await _db.OpenAsync())
        {
            while (!stop.IsCancellationRequested)
            {
                var rows = (await reader.QueryAsync<(string Path, string Ddl)>("SELECT path, ddl FROM pggit_v0.snapshot_schema()"))
                    .ToDictionary(r => r.Path, r => r.Ddl);
                snapshots++;
                var table = rows["public/tables/flip.sql"];
                var view = rows["public/views/flip_v.sql"];
                var function = rows["public/functions/flip_f().sql"];
                // Each DDL transaction renames the column and replaces the function together:
                // column y goes with SELECT 1, column x with SELECT 2.
                var column = view.Contains("flip.y") ? "y" : "x";
                Assert.Contains($"flip.{column}", view);
                Assert.Matches($@"\b{column} integer\b", table);
                Assert.DoesNotMatch($@"\b{(column == "y" ? "x" : "y")} integer\b", table);
                Assert.Contains(column == "y" ? "SELECT 1" : "SELECT 2", function);
                foreach (var pair in rows.Keys.Where(p => p.StartsWith("public/tables/pair_")))
                {
                    var name = pair["public/tables/".Length..^".sql".Length];
                    Assert.True(rows.ContainsKey($"public/indexes/{name}_idx.sql"), $"{pair} without its index");
                }
            }
        }
        await ddl;
        Assert.True(snapshots > 3 && ddlRounds > 3, $"both sides ran ({snapshots} snapshots, {ddlRounds} DDL rounds)");
    }
}
