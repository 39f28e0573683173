namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class ViewCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("a view is CREATE VIEW and pg_get_viewdef", """
            CREATE TABLE public.staff (id integer, name text, salary numeric);
            CREATE VIEW public.staff_names AS SELECT id, name FROM public.staff WHERE salary > 0;
            """)
        {
            Exact =
            {
                ["public/views/staff_names.sql"] = """
                    CREATE VIEW public.staff_names AS
                     SELECT staff.id,
                        staff.name
                       FROM public.staff
                      WHERE (staff.salary > (0)::numeric);

                    """,
            },
        },
        new SnapshotCase("views on views replay whatever their names' order", """
            CREATE TABLE public.numbers (n integer);
            CREATE VIEW public.z_base AS SELECT n FROM public.numbers;
            CREATE VIEW public.m_middle AS SELECT n * 2 AS n2 FROM public.z_base;
            CREATE VIEW public.a_top AS SELECT n2 + 1 AS n3 FROM public.m_middle;
            """)
        {
            Paths = { "public/views/a_top.sql", "public/views/m_middle.sql", "public/views/z_base.sql" },
        },
        new SnapshotCase("check option, security barrier and security invoker are options in WITH", """
            CREATE TABLE public.docs (id integer, owner text);
            CREATE VIEW public.my_docs WITH (security_barrier) AS SELECT * FROM public.docs WHERE owner = current_user
                WITH CASCADED CHECK OPTION;
            CREATE VIEW public.docs_invoker WITH (security_invoker = true) AS SELECT id FROM public.docs;
            """)
        {
            Exact =
            {
                ["public/views/my_docs.sql"] = """
                    CREATE VIEW public.my_docs WITH (check_option='cascaded', security_barrier='true') AS
                     SELECT docs.id,
                        docs.owner
                       FROM public.docs
                      WHERE (docs.owner = CURRENT_USER);

                    """,
            },
            Contains = { ["public/views/docs_invoker.sql"] = ["CREATE VIEW public.docs_invoker WITH (security_invoker='true') AS\n"] },
        },
        new SnapshotCase("views using functions, recursion and a view in another schema", """
            CREATE SCHEMA reports;
            CREATE FUNCTION public.square(i integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT i * i';
            CREATE VIEW reports.squares AS SELECT public.square(g) AS s FROM generate_series(1, 3) AS g;
            CREATE RECURSIVE VIEW public.countdown (n) AS SELECT 3 UNION ALL SELECT n - 1 FROM countdown WHERE n > 0;
            """)
        {
            Contains = { ["reports/views/squares.sql"] = ["public.square(g.g) AS s"] },
            Paths = { "public/views/countdown.sql" },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
