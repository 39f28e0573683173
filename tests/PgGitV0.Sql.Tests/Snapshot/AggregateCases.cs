namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class AggregateCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("an aggregate lists its options one per line, unset ones left out", """
            CREATE FUNCTION public.int_accum(integer[], integer) RETURNS integer[] LANGUAGE sql IMMUTABLE AS 'SELECT $1 || $2';
            CREATE FUNCTION public.int_median(integer[]) RETURNS integer LANGUAGE sql IMMUTABLE
                AS 'SELECT x FROM unnest($1) x ORDER BY x OFFSET (cardinality($1) - 1) / 2 LIMIT 1';
            CREATE AGGREGATE public.median(integer) (SFUNC = public.int_accum, STYPE = integer[], FINALFUNC = public.int_median,
                INITCOND = '{}', PARALLEL = SAFE);
            """)
        {
            Exact =
            {
                ["public/aggregates/median(integer).sql"] = """
                    CREATE AGGREGATE public.median(integer) (
                        SFUNC = public.int_accum,
                        STYPE = integer[],
                        FINALFUNC = public.int_median,
                        FINALFUNC_MODIFY = READ_ONLY,
                        INITCOND = '{}',
                        PARALLEL = SAFE
                    );

                    """,
            },
        },
        new SnapshotCase("zero-argument, sort-operator, moving and ordered-set aggregates", """
            CREATE AGGREGATE public.rows_seen(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
            CREATE AGGREGATE public.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
            CREATE AGGREGATE public.running_sum(integer) (SFUNC = int4pl, STYPE = integer,
                MSFUNC = int4pl, MINVFUNC = int4mi, MSTYPE = integer, MINITCOND = '0');
            CREATE AGGREGATE public.pick(double precision ORDER BY double precision) (SFUNC = ordered_set_transition, STYPE = internal,
                FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
            """)
        {
            Paths = { "public/aggregates/rows_seen().sql", "public/aggregates/pick(double precision, double precision).sql" },
            Contains =
            {
                ["public/aggregates/rows_seen().sql"] = ["CREATE AGGREGATE public.rows_seen(*) (\n"],
                ["public/aggregates/biggest(integer).sql"] = ["    SORTOP = OPERATOR(pg_catalog.>)\n"],
                ["public/aggregates/running_sum(integer).sql"] = ["    MSFUNC = int4pl,\n    MINVFUNC = int4mi,\n    MSTYPE = integer,\n    MINITCOND = '0'\n"],
                ["public/aggregates/pick(double precision, double precision).sql"] =
                    ["public.pick(double precision ORDER BY double precision)", "    FINALFUNC_EXTRA,\n    FINALFUNC_MODIFY = READ_WRITE\n"],
            },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
