namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class SchemaCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("every user schema is a file, empty ones too; pggit's and system schemas are not", """
            CREATE SCHEMA sales;
            CREATE SCHEMA empty_one;
            CREATE SCHEMA pggit_custom;
            CREATE TABLE pggit_custom.hidden (id integer);
            """)
        {
            Exact =
            {
                ["sales/schema.sql"] = """
                    CREATE SCHEMA IF NOT EXISTS sales;

                    """,
                ["public/schema.sql"] = """
                    CREATE SCHEMA IF NOT EXISTS public;
                    COMMENT ON SCHEMA public IS 'standard public schema';

                    """,
            },
            Paths = { "empty_one/schema.sql" },
            OnlyPathsUnder = { ["pggit"] = [], ["pg_"] = [], ["information_schema"] = [] },
        },
        new SnapshotCase("tracked_schemas narrows the snapshot to the schemas listed", """
            CREATE SCHEMA kept;
            CREATE SCHEMA dropped_from_view;
            CREATE TABLE kept.t (id integer);
            CREATE TABLE dropped_from_view.t (id integer);
            CREATE TABLE public.t (id integer);
            """)
        {
            Settings = { ["tracked_schemas"] = """["kept"]""" },
            Paths = { "kept/schema.sql", "kept/tables/t.sql", ".database/extensions/plpgsql.sql" },
            AbsentPaths = { "public/schema.sql", "public/tables/t.sql", "dropped_from_view/schema.sql", "dropped_from_view/tables/t.sql" },
        },
        new SnapshotCase("ignored_schemas takes schemas out", """
            CREATE SCHEMA scratch;
            CREATE TABLE scratch.t (id integer);
            CREATE TABLE public.t (id integer);
            """)
        {
            Settings = { ["ignored_schemas"] = """["scratch"]""" },
            Paths = { "public/tables/t.sql" },
            AbsentPaths = { "scratch/schema.sql", "scratch/tables/t.sql" },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
