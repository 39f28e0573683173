namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class FunctionCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("a function is pg_get_functiondef; its path carries its argument types", """
            CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a + b';
            """)
        {
            Exact =
            {
                ["public/functions/add(integer, integer).sql"] = """
                    CREATE OR REPLACE FUNCTION public.add(a integer, b integer)
                     RETURNS integer
                     LANGUAGE sql
                     IMMUTABLE STRICT
                    AS $function$SELECT a + b$function$;

                    """,
            },
        },
        new SnapshotCase("overloaded functions are separate files", """
            CREATE FUNCTION public.area(r double precision) RETURNS double precision LANGUAGE sql AS 'SELECT pi() * r * r';
            CREATE FUNCTION public.area(w integer, h integer) RETURNS integer LANGUAGE sql AS 'SELECT w * h';
            CREATE FUNCTION public.area() RETURNS integer LANGUAGE sql AS 'SELECT 0';
            """)
        {
            Paths =
            {
                "public/functions/area().sql",
                "public/functions/area(double precision).sql",
                "public/functions/area(integer, integer).sql",
            },
        },
        new SnapshotCase("security definer, configuration, cost, parallel and leakproof settings", """
            CREATE FUNCTION public.now_utc() RETURNS timestamp LANGUAGE sql STABLE SECURITY DEFINER
                SET search_path = pg_catalog SET work_mem = '8MB' COST 5 PARALLEL SAFE
                AS $$ SELECT now() AT TIME ZONE 'utc' $$;
            CREATE FUNCTION public.same(a integer, b integer) RETURNS boolean LANGUAGE internal IMMUTABLE LEAKPROOF AS 'int4eq';
            """)
        {
            Exact =
            {
                ["public/functions/now_utc().sql"] = """
                    CREATE OR REPLACE FUNCTION public.now_utc()
                     RETURNS timestamp without time zone
                     LANGUAGE sql
                     STABLE PARALLEL SAFE SECURITY DEFINER COST 5
                     SET search_path TO 'pg_catalog'
                     SET work_mem TO '8MB'
                    AS $function$ SELECT now() AT TIME ZONE 'utc' $function$;

                    """,
            },
            Contains = { ["public/functions/same(integer, integer).sql"] = [" IMMUTABLE LEAKPROOF\n"] },
        },
        new SnapshotCase("plpgsql, set-returning, OUT, variadic and defaulted arguments, user types in the signature", """
            CREATE SCHEMA app;
            CREATE TYPE app.mood AS ENUM ('sad', 'happy');
            CREATE FUNCTION app.label(m app.mood, prefix text DEFAULT '') RETURNS text LANGUAGE plpgsql AS $$
            BEGIN
                RETURN prefix || m::text;
            END
            $$;
            CREATE FUNCTION app.series(n integer) RETURNS TABLE (i integer, sq integer) LANGUAGE sql AS 'SELECT g, g * g FROM generate_series(1, n) g';
            CREATE FUNCTION app.stats(OUT lo integer, OUT hi integer) LANGUAGE sql AS 'SELECT 1, 9';
            CREATE FUNCTION app.total(VARIADIC xs integer[]) RETURNS integer LANGUAGE sql AS 'SELECT sum(x)::integer FROM unnest(xs) x';
            """)
        {
            Paths =
            {
                "app/functions/label(app.mood, text).sql",
                "app/functions/series(integer).sql",
                "app/functions/stats().sql",
                "app/functions/total(integer[]).sql",
            },
            Contains =
            {
                ["app/functions/label(app.mood, text).sql"] = ["CREATE OR REPLACE FUNCTION app.label(m app.mood, prefix text DEFAULT ''::text)\n"],
                ["app/functions/series(integer).sql"] = [" RETURNS TABLE(i integer, sq integer)\n"],
                ["app/functions/total(integer[]).sql"] = ["app.total(VARIADIC xs integer[])"],
            },
        },
        new SnapshotCase("functions that need tables: a table's row type, a BEGIN ATOMIC body", """
            CREATE TABLE public.books (id integer, title text);
            CREATE FUNCTION public.all_books() RETURNS SETOF public.books LANGUAGE sql AS 'SELECT * FROM public.books';
            CREATE FUNCTION public.book_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM public.books; END;
            """)
        {
            Contains =
            {
                ["public/functions/all_books().sql"] = [" RETURNS SETOF public.books\n"],
                ["public/functions/book_count().sql"] = ["BEGIN ATOMIC\n", "FROM public.books;\nEND;\n"],
            },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
