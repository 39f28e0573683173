namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class IndexCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("expression, partial, unique, covering and storage-parameter indexes", """
            CREATE TABLE public.people (id integer PRIMARY KEY, name text, email text, active boolean, born date);
            CREATE INDEX people_lower_name ON public.people (lower(name));
            CREATE INDEX people_active_born ON public.people (born DESC NULLS LAST) WHERE active;
            CREATE UNIQUE INDEX people_email ON public.people (email) INCLUDE (name) WITH (fillfactor = 80);
            CREATE UNIQUE INDEX people_email_nnd ON public.people (email) NULLS NOT DISTINCT;
            CREATE INDEX people_hash ON public.people USING hash (name);
            """)
        {
            Exact =
            {
                ["public/indexes/people_lower_name.sql"] = """
                    CREATE INDEX people_lower_name ON public.people USING btree (lower(name));

                    """,
                ["public/indexes/people_active_born.sql"] = """
                    CREATE INDEX people_active_born ON public.people USING btree (born DESC NULLS LAST) WHERE active;

                    """,
                ["public/indexes/people_email.sql"] = """
                    CREATE UNIQUE INDEX people_email ON public.people USING btree (email) INCLUDE (name) WITH (fillfactor='80');

                    """,
            },
            Paths = { "public/indexes/people_email_nnd.sql", "public/indexes/people_hash.sql" },
            // The primary key's index is part of the constraint in the table's file.
            AbsentPaths = { "public/indexes/people_pkey.sql" },
        },
        new SnapshotCase("an index on a partitioned table is printed without ONLY; the partitions' indexes are not files", """
            CREATE TABLE public.logs (at date, line text) PARTITION BY RANGE (at);
            CREATE TABLE public.logs_2024 PARTITION OF public.logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE INDEX logs_line ON public.logs (line);
            CREATE TABLE public.logs_2025 (at date, line text);
            CREATE INDEX logs_2025_custom_name ON public.logs_2025 (line);
            ALTER TABLE public.logs ATTACH PARTITION public.logs_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE INDEX logs_2024_at ON public.logs_2024 (at);
            """)
        {
            Exact =
            {
                ["public/indexes/logs_line.sql"] = """
                    CREATE INDEX logs_line ON public.logs USING btree (line);

                    """,
            },
            // An index of a partition that no parent index owns is an index like any other.
            OnlyPathsUnder = { ["public/indexes/"] = ["public/indexes/logs_2024_at.sql", "public/indexes/logs_line.sql"] },
        },
        new SnapshotCase("replica identity and clustering on an index are in the index's file", """
            CREATE TABLE public.feed (id integer NOT NULL, seq integer NOT NULL);
            CREATE UNIQUE INDEX feed_id ON public.feed (id);
            ALTER TABLE public.feed REPLICA IDENTITY USING INDEX feed_id;
            CREATE INDEX feed_seq ON public.feed (seq);
            ALTER TABLE public.feed CLUSTER ON feed_seq;
            """)
        {
            Exact =
            {
                ["public/indexes/feed_id.sql"] = """
                    CREATE UNIQUE INDEX feed_id ON public.feed USING btree (id);
                    ALTER TABLE public.feed REPLICA IDENTITY USING INDEX feed_id;

                    """,
                ["public/indexes/feed_seq.sql"] = """
                    CREATE INDEX feed_seq ON public.feed USING btree (seq);
                    ALTER TABLE public.feed CLUSTER ON feed_seq;

                    """,
            },
            DoesNotContain = { ["public/tables/feed.sql"] = ["REPLICA IDENTITY"] },
        },
        new SnapshotCase("indexes on a materialized view and on a table in another schema", """
            CREATE SCHEMA data;
            CREATE TABLE data.points (x integer, y integer);
            CREATE INDEX points_xy ON data.points (x, y);
            CREATE MATERIALIZED VIEW public.point_counts AS SELECT x, count(*) AS n FROM data.points GROUP BY x;
            CREATE UNIQUE INDEX point_counts_x ON public.point_counts (x);
            """)
        {
            Paths = { "data/indexes/points_xy.sql", "public/indexes/point_counts_x.sql" },
            Contains = { ["public/indexes/point_counts_x.sql"] = ["ON public.point_counts USING btree (x);\n"] },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
