namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class PolicyCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("policies print every clause; row level security switches are in the table's file", """
            CREATE TABLE public.notes (id integer, owner text, body text);
            ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;
            CREATE POLICY notes_read ON public.notes FOR SELECT USING (owner = current_user);
            CREATE POLICY notes_write ON public.notes AS RESTRICTIVE FOR UPDATE TO pggit_writer, pggit_reader
                USING (owner = current_user) WITH CHECK (body <> '');
            CREATE POLICY notes_insert ON public.notes FOR INSERT TO pggit_admin WITH CHECK (true);
            CREATE POLICY notes_all ON public.notes USING (true);
            """)
        {
            Exact =
            {
                ["public/policies/notes.notes_read.sql"] = """
                    CREATE POLICY notes_read ON public.notes
                        AS PERMISSIVE
                        FOR SELECT
                        TO public
                        USING ((owner = CURRENT_USER));

                    """,
                ["public/policies/notes.notes_write.sql"] = """
                    CREATE POLICY notes_write ON public.notes
                        AS RESTRICTIVE
                        FOR UPDATE
                        TO pggit_reader, pggit_writer
                        USING ((owner = CURRENT_USER))
                        WITH CHECK ((body <> ''::text));

                    """,
            },
            Contains =
            {
                ["public/policies/notes.notes_insert.sql"] = ["    FOR INSERT\n    TO pggit_admin\n    WITH CHECK (true);\n"],
                ["public/policies/notes.notes_all.sql"] = ["    FOR ALL\n"],
                ["public/tables/notes.sql"] = ["\nALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;\nALTER TABLE public.notes FORCE ROW LEVEL SECURITY;\n"],
            },
        },
        new SnapshotCase("a policy on a table whose rows it checks against another table", """
            CREATE TABLE public.members (name text);
            CREATE TABLE public.club_docs (id integer, member text);
            ALTER TABLE public.club_docs ENABLE ROW LEVEL SECURITY;
            CREATE POLICY club_only ON public.club_docs USING (member IN (SELECT name FROM public.members));
            """)
        {
            Contains = { ["public/policies/club_docs.club_only.sql"] = ["FROM public.members"] },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
