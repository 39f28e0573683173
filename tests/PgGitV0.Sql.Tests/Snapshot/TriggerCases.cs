namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class TriggerCases
{
    private const string TriggerFunction = """
        CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;

        """;

    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("row and statement triggers, WHEN and UPDATE OF, firing states", TriggerFunction + """
            CREATE TABLE public.docs (id integer, body text, edited timestamptz);
            CREATE TRIGGER docs_touch BEFORE UPDATE OF body ON public.docs FOR EACH ROW
                WHEN (OLD.body IS DISTINCT FROM NEW.body) EXECUTE FUNCTION public.touch();
            CREATE TRIGGER docs_audit AFTER INSERT OR DELETE ON public.docs FOR EACH STATEMENT EXECUTE FUNCTION public.touch();
            ALTER TABLE public.docs DISABLE TRIGGER docs_audit;
            CREATE TRIGGER docs_always AFTER TRUNCATE ON public.docs EXECUTE FUNCTION public.touch();
            ALTER TABLE public.docs ENABLE ALWAYS TRIGGER docs_always;
            CREATE TRIGGER docs_replica AFTER DELETE ON public.docs FOR EACH ROW EXECUTE FUNCTION public.touch();
            ALTER TABLE public.docs ENABLE REPLICA TRIGGER docs_replica;
            """)
        {
            Exact =
            {
                ["public/triggers/docs.docs_touch.sql"] = """
                    CREATE TRIGGER docs_touch BEFORE UPDATE OF body ON public.docs FOR EACH ROW WHEN ((old.body IS DISTINCT FROM new.body)) EXECUTE FUNCTION public.touch();

                    """,
                ["public/triggers/docs.docs_audit.sql"] = """
                    CREATE TRIGGER docs_audit AFTER INSERT OR DELETE ON public.docs FOR EACH STATEMENT EXECUTE FUNCTION public.touch();
                    ALTER TABLE public.docs DISABLE TRIGGER docs_audit;

                    """,
            },
            Contains =
            {
                ["public/triggers/docs.docs_always.sql"] = ["\nALTER TABLE public.docs ENABLE ALWAYS TRIGGER docs_always;\n"],
                ["public/triggers/docs.docs_replica.sql"] = ["\nALTER TABLE public.docs ENABLE REPLICA TRIGGER docs_replica;\n"],
            },
        },
        new SnapshotCase("constraint triggers are files; foreign keys' internal triggers are not", TriggerFunction + """
            CREATE TABLE public.parent (id integer PRIMARY KEY);
            CREATE TABLE public.child (parent_id integer REFERENCES public.parent);
            CREATE CONSTRAINT TRIGGER child_check AFTER INSERT ON public.child DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION public.touch();
            """)
        {
            Contains =
            {
                ["public/triggers/child.child_check.sql"] =
                    ["CREATE CONSTRAINT TRIGGER child_check AFTER INSERT ON public.child DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.touch();\n"],
            },
            OnlyPathsUnder = { ["public/triggers/"] = ["public/triggers/child.child_check.sql"] },
        },
        new SnapshotCase("INSTEAD OF triggers on views; a trigger on a partitioned table is one file", TriggerFunction + """
            CREATE TABLE public.measure (at date, v integer) PARTITION BY RANGE (at);
            CREATE TABLE public.measure_2024 PARTITION OF public.measure FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TRIGGER measure_touch BEFORE INSERT ON public.measure FOR EACH ROW EXECUTE FUNCTION public.touch();
            CREATE VIEW public.measure_view AS SELECT * FROM public.measure;
            CREATE TRIGGER measure_view_insert INSTEAD OF INSERT ON public.measure_view FOR EACH ROW EXECUTE FUNCTION public.touch();
            """)
        {
            OnlyPathsUnder =
            {
                ["public/triggers/"] = ["public/triggers/measure.measure_touch.sql", "public/triggers/measure_view.measure_view_insert.sql"],
            },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
