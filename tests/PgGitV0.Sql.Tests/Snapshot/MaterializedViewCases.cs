namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class MaterializedViewCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("a materialized view is always WITH NO DATA: its contents are data", """
            CREATE TABLE public.sales (region text, amount numeric);
            INSERT INTO public.sales VALUES ('eu', 10);
            CREATE MATERIALIZED VIEW public.sales_by_region AS SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;
            """)
        {
            Exact =
            {
                ["public/materialized_views/sales_by_region.sql"] = """
                    CREATE MATERIALIZED VIEW public.sales_by_region AS
                     SELECT sales.region,
                        sum(sales.amount) AS total
                       FROM public.sales
                      GROUP BY sales.region
                    WITH NO DATA;

                    """,
            },
        },
        new SnapshotCase("a materialized view on a view, with storage parameters", """
            CREATE TABLE public.t (a integer);
            CREATE VIEW public.t_view AS SELECT a FROM public.t;
            CREATE MATERIALIZED VIEW public.t_mat WITH (fillfactor = 60) AS SELECT a FROM public.t_view WITH NO DATA;
            """)
        {
            Contains = { ["public/materialized_views/t_mat.sql"] = ["CREATE MATERIALIZED VIEW public.t_mat WITH (fillfactor='60') AS\n", "FROM public.t_view\nWITH NO DATA;\n"] },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
