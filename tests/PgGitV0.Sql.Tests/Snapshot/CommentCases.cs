namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class CommentCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("comments on every kind of object come after it, in its file", """
            COMMENT ON SCHEMA public IS 'the public schema';
            COMMENT ON EXTENSION plpgsql IS 'procedures';
            CREATE TYPE public.mood AS ENUM ('sad');
            COMMENT ON TYPE public.mood IS 'a mood';
            CREATE TYPE public.pair AS (a integer, b integer);
            COMMENT ON COLUMN public.pair.b IS 'second';
            CREATE DOMAIN public.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
            COMMENT ON DOMAIN public.positive IS 'above zero';
            COMMENT ON CONSTRAINT positive_check ON DOMAIN public.positive IS 'the check';
            CREATE SEQUENCE public.counter;
            COMMENT ON SEQUENCE public.counter IS 'counts';
            CREATE FUNCTION public.f(i integer) RETURNS integer LANGUAGE sql AS 'SELECT i';
            COMMENT ON FUNCTION public.f(integer) IS 'identity';
            CREATE PROCEDURE public.p() LANGUAGE sql AS 'SELECT 1';
            COMMENT ON PROCEDURE public.p() IS 'does nothing';
            CREATE AGGREGATE public.total(integer) (SFUNC = int4pl, STYPE = integer);
            COMMENT ON AGGREGATE public.total(integer) IS 'sum';
            CREATE TABLE public.t (id integer CONSTRAINT t_pk PRIMARY KEY, other integer, CONSTRAINT t_other CHECK (other > 0));
            COMMENT ON TABLE public.t IS 'a table';
            COMMENT ON COLUMN public.t.other IS 'the other column';
            COMMENT ON COLUMN public.t.id IS 'the key';
            COMMENT ON CONSTRAINT t_pk ON public.t IS 'the primary key';
            COMMENT ON CONSTRAINT t_other ON public.t IS 'positive';
            CREATE TABLE public.u (t_id integer CONSTRAINT u_t_fk REFERENCES public.t);
            COMMENT ON CONSTRAINT u_t_fk ON public.u IS 'points at t';
            CREATE INDEX t_other_idx ON public.t (other);
            COMMENT ON INDEX public.t_other_idx IS 'an index';
            CREATE VIEW public.v AS SELECT id FROM public.t;
            COMMENT ON VIEW public.v IS 'a view';
            COMMENT ON COLUMN public.v.id IS 'a view column';
            CREATE MATERIALIZED VIEW public.mv AS SELECT id FROM public.t WITH NO DATA;
            COMMENT ON MATERIALIZED VIEW public.mv IS 'a materialized view';
            CREATE FUNCTION public.trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE TRIGGER t_trg BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.trg();
            COMMENT ON TRIGGER t_trg ON public.t IS 'a trigger';
            CREATE POLICY t_pol ON public.t USING (true);
            COMMENT ON POLICY t_pol ON public.t IS 'a policy';
            """)
        {
            Exact =
            {
                ["public/tables/t.sql"] = """
                    CREATE TABLE public.t (
                        id integer NOT NULL,
                        other integer,
                        CONSTRAINT t_pk PRIMARY KEY (id),
                        CONSTRAINT t_other CHECK ((other > 0))
                    );
                    COMMENT ON TABLE public.t IS 'a table';
                    COMMENT ON COLUMN public.t.id IS 'the key';
                    COMMENT ON COLUMN public.t.other IS 'the other column';
                    COMMENT ON CONSTRAINT t_other ON public.t IS 'positive';
                    COMMENT ON CONSTRAINT t_pk ON public.t IS 'the primary key';

                    """,
                ["public/types/positive.sql"] = """
                    CREATE DOMAIN public.positive AS integer
                        CONSTRAINT positive_check CHECK ((VALUE > 0));
                    COMMENT ON DOMAIN public.positive IS 'above zero';
                    COMMENT ON CONSTRAINT positive_check ON DOMAIN public.positive IS 'the check';

                    """,
            },
            Contains =
            {
                ["public/schema.sql"] = ["\nCOMMENT ON SCHEMA public IS 'the public schema';\n"],
                [".database/extensions/plpgsql.sql"] = ["\nCOMMENT ON EXTENSION plpgsql IS 'procedures';\n"],
                ["public/types/mood.sql"] = ["\nCOMMENT ON TYPE public.mood IS 'a mood';\n"],
                ["public/types/pair.sql"] = ["\nCOMMENT ON COLUMN public.pair.b IS 'second';\n"],
                ["public/sequences/counter.sql"] = ["\nCOMMENT ON SEQUENCE public.counter IS 'counts';\n"],
                ["public/functions/f(integer).sql"] = ["\nCOMMENT ON FUNCTION public.f(integer) IS 'identity';\n"],
                ["public/procedures/p().sql"] = ["\nCOMMENT ON PROCEDURE public.p() IS 'does nothing';\n"],
                ["public/aggregates/total(integer).sql"] = ["\nCOMMENT ON AGGREGATE public.total(integer) IS 'sum';\n"],
                ["public/foreign_keys/u.u_t_fk.sql"] = ["\nCOMMENT ON CONSTRAINT u_t_fk ON public.u IS 'points at t';\n"],
                ["public/indexes/t_other_idx.sql"] = ["\nCOMMENT ON INDEX public.t_other_idx IS 'an index';\n"],
                ["public/views/v.sql"] = ["\nCOMMENT ON VIEW public.v IS 'a view';\nCOMMENT ON COLUMN public.v.id IS 'a view column';\n"],
                ["public/materialized_views/mv.sql"] = ["\nCOMMENT ON MATERIALIZED VIEW public.mv IS 'a materialized view';\n"],
                ["public/triggers/t.t_trg.sql"] = ["\nCOMMENT ON TRIGGER t_trg ON public.t IS 'a trigger';\n"],
                ["public/policies/t.t_pol.sql"] = ["\nCOMMENT ON POLICY t_pol ON public.t IS 'a policy';\n"],
            },
        },
        new SnapshotCase("comment text is quoted exactly: quotes, backslashes, newlines, unicode", """
            CREATE TABLE public.quoted (a integer);
            COMMENT ON TABLE public.quoted IS E'it''s "quoted"\nsecond line \\ backslash — ünïcödé ✓';
            COMMENT ON COLUMN public.quoted.a IS '';
            """)
        {
            Contains =
            {
                ["public/tables/quoted.sql"] =
                [
                    "COMMENT ON TABLE public.quoted IS E'it''s \"quoted\"\nsecond line \\\\ backslash — ünïcödé ✓';\n",
                ],
            },
            // COMMENT ... IS '' removes a comment.
            DoesNotContain = { ["public/tables/quoted.sql"] = ["COMMENT ON COLUMN"] },
        },
        new SnapshotCase("a comment on a column of a partition, whose columns the file does not list", """
            CREATE TABLE public.parted (k integer, v text) PARTITION BY LIST (k);
            CREATE TABLE public.parted_1 PARTITION OF public.parted FOR VALUES IN (1);
            COMMENT ON COLUMN public.parted_1.v IS 'only on the partition';
            """)
        {
            Contains = { ["public/tables/parted_1.sql"] = ["FOR VALUES IN (1);\nCOMMENT ON COLUMN public.parted_1.v IS 'only on the partition';\n"] },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
