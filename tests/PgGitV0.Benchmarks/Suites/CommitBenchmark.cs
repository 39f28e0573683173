using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Benchmarks.Suites;

/// <summary>
/// Issue 2's targets: commit of a 1,000-table schema (10 columns, 2 indexes, 1 FK each) plus
/// 200 views and 200 functions under 2 s; a commit after changing one table under 300 ms;
/// 1,000 such commits add under 50 MB to the pggit_v0 tables.
/// </summary>
public sealed class CommitBenchmark : IBenchmarkSuite
{
    public string Name => "commit";
    public string Description => "snapshot + commit of a 1,000-table schema, re-commits, storage growth (--tables 1000 --commits 1000)";

    private const string StorageSql = """
        SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('pggit_v0', 'pggit_audit') AND c.relkind = 'r'
        """;

    public static string SchemaSql(int tables, int views, int functions) => $$"""
        DO $$
        BEGIN
          FOR i IN 1..{{tables}} LOOP
            EXECUTE format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, parent_id bigint, c1 text NOT NULL DEFAULT %L, c2 integer, c3 numeric(12,2), c4 timestamptz DEFAULT now(), c5 boolean, c6 jsonb, c7 varchar(40), c8 date)', i, 'x');
            EXECUTE format('CREATE INDEX t%s_c2 ON public.t%s (c2)', i, i);
            EXECUTE format('CREATE INDEX t%s_c7_c8 ON public.t%s (c7, c8)', i, i);
          END LOOP;
          FOR i IN 1..{{tables}} LOOP
            EXECUTE format('ALTER TABLE public.t%s ADD CONSTRAINT t%s_parent_fk FOREIGN KEY (parent_id) REFERENCES public.t%s (id)', i, i, (i % {{tables}}) + 1);
          END LOOP;
          FOR i IN 1..{{views}} LOOP
            EXECUTE format('CREATE VIEW public.v%s AS SELECT id, c1, c2 FROM public.t%s WHERE c5', i, i);
          END LOOP;
          FOR i IN 1..{{functions}} LOOP
            EXECUTE format('CREATE FUNCTION public.f%s(p integer) RETURNS integer LANGUAGE sql AS %L', i, 'SELECT p + ' || i);
          END LOOP;
        END $$;
        """;

    public async Task RunAsync(BenchmarkOptions options)
    {
        var tables = options.Int("tables", 1000);
        var commits = options.Int("commits", 1000);
        await using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(SchemaSql(tables, 200, 200), commandTimeout: 0);
        var objects = await connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.snapshot_schema()");
        Report.Line($"schema: {tables} tables, 200 views, 200 functions = {objects} tracked objects");

        var snapshot = new Samples();
        for (var i = 0; i < 5; i++)
            await snapshot.TimeAsync(() => connection.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.snapshot_schema()"));

        var first = new Samples();
        await first.TimeAsync(() => connection.ScalarAsync<string>("SELECT pggit_v0.commit('initial schema')"));
        var storageAfterFirst = await connection.ScalarAsync<long>(StorageSql);

        var recommit = new Samples();
        for (var i = 1; i <= commits; i++)
        {
            var table = (i - 1) % tables + 1;
            await connection.ExecuteAsync($"ALTER TABLE public.t{table} ADD COLUMN b{i} integer");
            await recommit.TimeAsync(() => connection.ScalarAsync<string>("SELECT pggit_v0.commit(@m)", new { m = $"change t{table}" }));
        }
        var storageAfterAll = await connection.ScalarAsync<long>(StorageSql);
        var nothing = new Samples();
        for (var i = 0; i < 5; i++)
            await nothing.TimeAsync(() => connection.ScalarAsync<string>("SELECT pggit_v0.commit('nothing changed')"));

        Report.Line("");
        Report.Row("snapshot_schema()", snapshot.ToString());
        Report.Row("first commit (cold, whole schema)", $"{first.Median:F0} ms", "target < 2000 ms");
        Report.Row($"commit after changing one table ({commits} commits)", recommit.ToString(), "target < 300 ms");
        Report.Row("commit with nothing to commit", nothing.ToString());
        Report.Row("pggit_v0 + pggit_audit tables after the first commit", $"{storageAfterFirst / 1048576.0:F1} MB");
        Report.Row($"growth over {commits} one-table commits", $"{(storageAfterAll - storageAfterFirst) / 1048576.0:F1} MB ({(storageAfterAll - storageAfterFirst) / (double)commits / 1024:F1} KB/commit)", "target < 50 MB");
    }
}
