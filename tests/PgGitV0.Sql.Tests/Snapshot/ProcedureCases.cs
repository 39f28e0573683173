namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class ProcedureCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("a procedure is pg_get_functiondef in procedures/", """
            CREATE PROCEDURE public.bump(INOUT n integer, step integer DEFAULT 1) LANGUAGE plpgsql AS $$
            BEGIN
                n := n + step;
            END
            $$;
            """)
        {
            Exact =
            {
                ["public/procedures/bump(integer, integer).sql"] = """
                    CREATE OR REPLACE PROCEDURE public.bump(INOUT n integer, IN step integer DEFAULT 1)
                     LANGUAGE plpgsql
                    AS $procedure$
                    BEGIN
                        n := n + step;
                    END
                    $procedure$;

                    """,
            },
        },
        new SnapshotCase("a procedure and a function of the same name, overloaded procedures, a SQL-standard body", """
            CREATE TABLE public.jobs (id integer);
            CREATE FUNCTION public.run(id integer) RETURNS integer LANGUAGE sql AS 'SELECT id';
            CREATE PROCEDURE public.run(id integer, note text) LANGUAGE sql BEGIN ATOMIC INSERT INTO public.jobs VALUES (id); END;
            CREATE PROCEDURE public.run(note text) LANGUAGE sql AS 'SELECT 1';
            CREATE PROCEDURE public.out_param(IN a integer, OUT b integer) LANGUAGE plpgsql AS 'BEGIN b := a; END';
            """)
        {
            Paths =
            {
                "public/functions/run(integer).sql",
                "public/procedures/run(integer, text).sql",
                "public/procedures/run(text).sql",
            },
            Contains = { ["public/procedures/out_param(integer).sql"] = ["public.out_param(IN a integer, OUT b integer)"] },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
