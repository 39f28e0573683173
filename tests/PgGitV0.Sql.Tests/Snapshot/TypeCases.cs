namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class TypeCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("enums list their labels in sort order, including labels added BEFORE others", """
            CREATE TYPE public.mood AS ENUM ('sad', 'happy');
            ALTER TYPE public.mood ADD VALUE 'ok' BEFORE 'happy';
            ALTER TYPE public.mood ADD VALUE 'it''s complicated';
            CREATE TYPE public.nothing AS ENUM ();
            """)
        {
            Exact =
            {
                ["public/types/mood.sql"] = """
                    CREATE TYPE public.mood AS ENUM (
                        'sad',
                        'ok',
                        'happy',
                        'it''s complicated'
                    );

                    """,
                ["public/types/nothing.sql"] = """
                    CREATE TYPE public.nothing AS ENUM (
                    );

                    """,
            },
        },
        new SnapshotCase("composite types: attributes one per line, collations, nested types", """
            CREATE TYPE public.money_amount AS (amount numeric(12,2), currency char(3) COLLATE "C");
            CREATE TYPE public.line_item AS (sku text, price public.money_amount, tags text[]);
            """)
        {
            Exact =
            {
                ["public/types/money_amount.sql"] = """
                    CREATE TYPE public.money_amount AS (
                        amount numeric(12,2),
                        currency character(3) COLLATE "C"
                    );

                    """,
            },
            Contains = { ["public/types/line_item.sql"] = ["    price public.money_amount,\n"] },
        },
        new SnapshotCase("domains: collation, default, NOT NULL, checks by name, NOT VALID checks after; domains over domains", """
            CREATE DOMAIN public.code AS text COLLATE "C" DEFAULT 'x' NOT NULL
                CONSTRAINT code_upper CHECK (VALUE = upper(VALUE)) CONSTRAINT code_short CHECK (length(VALUE) < 10);
            ALTER DOMAIN public.code ADD CONSTRAINT code_ascii CHECK (VALUE ~ '^[A-Z]*$') NOT VALID;
            CREATE DOMAIN public.short_code AS public.code CHECK (length(VALUE) < 4);
            """)
        {
            Exact =
            {
                ["public/types/code.sql"] = """
                    CREATE DOMAIN public.code AS text
                        COLLATE "C"
                        DEFAULT 'x'::text
                        NOT NULL
                        CONSTRAINT code_short CHECK ((length(VALUE) < 10))
                        CONSTRAINT code_upper CHECK ((VALUE = upper(VALUE)));
                    ALTER DOMAIN public.code ADD CONSTRAINT code_ascii CHECK ((VALUE ~ '^[A-Z]*$'::text)) NOT VALID;

                    """,
            },
            Contains = { ["public/types/short_code.sql"] = ["CREATE DOMAIN public.short_code AS public.code\n"] },
        },
        new SnapshotCase("a domain whose check calls a function replays although functions come after types", """
            CREATE FUNCTION public.is_even(i integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT i % 2 = 0';
            CREATE DOMAIN public.even AS integer CHECK (public.is_even(VALUE));
            CREATE TABLE public.pairs (n public.even);
            """)
        {
            Contains = { ["public/types/even.sql"] = ["CHECK (public.is_even(VALUE));\n"] },
        },
        new SnapshotCase("ranges: subtype, opclass, collation, difference function and multirange name", """
            CREATE TYPE public.float_range AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
            CREATE TYPE public.word_range AS RANGE (SUBTYPE = text, COLLATION = "C", MULTIRANGE_TYPE_NAME = public.word_ranges);
            CREATE TABLE public.spans (f public.float_range, w public.word_ranges);
            """)
        {
            Exact =
            {
                ["public/types/float_range.sql"] = """
                    CREATE TYPE public.float_range AS RANGE (
                        SUBTYPE = double precision,
                        SUBTYPE_OPCLASS = float8_ops,
                        SUBTYPE_DIFF = float8mi,
                        MULTIRANGE_TYPE_NAME = public.float_multirange
                    );

                    """,
            },
            Contains = { ["public/types/word_range.sql"] = ["    COLLATION = \"C\",\n", "    MULTIRANGE_TYPE_NAME = public.word_ranges\n"] },
            // Multirange types, array types and range constructors belong to the range type.
            OnlyPathsUnder =
            {
                ["public/types/"] = ["public/types/float_range.sql", "public/types/word_range.sql"],
                ["public/functions/"] = [],
            },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
