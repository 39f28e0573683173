namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class IdentifierCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("spaces, '/', '%', a leading '.', unicode, upper case and reserved words: raw in paths, quoted in DDL", """
            CREATE SCHEMA "My Schema";
            CREATE TYPE "My Schema"."Mood" AS ENUM ('ok');
            CREATE SEQUENCE "My Schema"."Seq%";
            CREATE TABLE "My Schema"."Order/Lines%" (
                "Line No" integer CONSTRAINT "pk/line" PRIMARY KEY,
                "ÜBER" text,
                "select" "My Schema"."Mood",
                "a""b" bigint DEFAULT nextval('"My Schema"."Seq%"')
            );
            CREATE TABLE "My Schema".".hidden" (ref integer CONSTRAINT "fk/line" REFERENCES "My Schema"."Order/Lines%");
            CREATE INDEX "idx/odd%name" ON "My Schema"."Order/Lines%" ("ÜBER");
            CREATE FUNCTION "My Schema"."Calc"(i integer) RETURNS integer LANGUAGE sql AS 'SELECT i';
            CREATE FUNCTION "My Schema".".trg"() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE TRIGGER ".trg" BEFORE INSERT ON "My Schema"."Order/Lines%" FOR EACH ROW EXECUTE FUNCTION "My Schema".".trg"();
            CREATE POLICY "Pol Icy" ON "My Schema"."Order/Lines%" USING (true);
            CREATE VIEW "My Schema".".hidden view" AS SELECT "Line No" FROM "My Schema"."Order/Lines%";
            CREATE SCHEMA ünïcode;
            CREATE TABLE ünïcode."Ünïcödé" (x integer);
            CREATE TABLE public."UPPER" (x integer);
            """)
        {
            Paths =
            {
                "My Schema/schema.sql",
                "My Schema/types/Mood.sql",
                "My Schema/sequences/Seq%25.sql",
                "My Schema/tables/Order%2FLines%25.sql",
                "My Schema/tables/%2Ehidden.sql",
                "My Schema/foreign_keys/%2Ehidden.fk%2Fline.sql",
                "My Schema/indexes/idx%2Fodd%25name.sql",
                "My Schema/functions/Calc(integer).sql",
                "My Schema/functions/%2Etrg().sql",
                "My Schema/triggers/Order%2FLines%25..trg.sql",
                "My Schema/policies/Order%2FLines%25.Pol Icy.sql",
                "My Schema/views/%2Ehidden view.sql",
                "ünïcode/schema.sql",
                "ünïcode/tables/Ünïcödé.sql",
                "public/tables/UPPER.sql",
            },
            Exact =
            {
                ["My Schema/tables/Order%2FLines%25.sql"] = """
                    CREATE TABLE "My Schema"."Order/Lines%" (
                        "Line No" integer NOT NULL,
                        "ÜBER" text,
                        "select" "My Schema"."Mood",
                        "a""b" bigint DEFAULT nextval('"My Schema"."Seq%"'::regclass),
                        CONSTRAINT "pk/line" PRIMARY KEY ("Line No")
                    );

                    """,
                ["My Schema/schema.sql"] = """
                    CREATE SCHEMA IF NOT EXISTS "My Schema";

                    """,
            },
            Contains =
            {
                ["My Schema/foreign_keys/%2Ehidden.fk%2Fline.sql"] =
                    ["ALTER TABLE \"My Schema\".\".hidden\" ADD CONSTRAINT \"fk/line\" FOREIGN KEY (ref) REFERENCES \"My Schema\".\"Order/Lines%\"(\"Line No\");\n"],
                ["My Schema/triggers/Order%2FLines%25..trg.sql"] = ["CREATE TRIGGER \".trg\" BEFORE INSERT ON \"My Schema\".\"Order/Lines%\""],
                ["ünïcode/tables/Ünïcödé.sql"] = ["CREATE TABLE \"ünïcode\".\"Ünïcödé\" (\n"],
            },
        },
        // Names whose order differs between C and en-US (case, accents, punctuation): every list
        // in every file, and the files themselves, must not follow the database's collation.
        new SnapshotCase("a database whose default collation is ICU en-US gives the same files as one with C", """
            CREATE SCHEMA "Zeta";
            CREATE SCHEMA alpha;
            CREATE TABLE alpha."b" (id integer,
                CONSTRAINT "B_check" CHECK (id > 1), CONSTRAINT "_check" CHECK (id > 2), CONSTRAINT "a_check" CHECK (id > 3),
                CONSTRAINT "é_check" CHECK (id > 4), CONSTRAINT "e_check" CHECK (id > 5));
            CREATE TABLE alpha."A" (id integer, CONSTRAINT "Uniq" UNIQUE (id), CONSTRAINT "uniq" UNIQUE (id));
            CREATE TABLE "Zeta"."_t" (v text, w text COLLATE "C");
            CREATE INDEX "É_idx" ON "Zeta"."_t" (v);
            CREATE INDEX "e_idx" ON "Zeta"."_t" (v);
            CREATE TYPE alpha.letters AS ENUM ('b', 'A', 'a', 'é');
            CREATE TYPE alpha.rec AS (z integer, "Y" integer, y integer);
            CREATE DOMAIN alpha.dom AS text CONSTRAINT "b" CHECK (VALUE <> 'b') CONSTRAINT "A" CHECK (VALUE <> 'A') CONSTRAINT "_" CHECK (VALUE <> '_');
            ALTER TABLE alpha."b" ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON alpha."b" TO pggit_writer, "pggit_reader", pggit_admin USING (true);
            CREATE FUNCTION alpha.f(a text, "B" integer) RETURNS text LANGUAGE sql AS 'SELECT a';
            CREATE VIEW alpha.v AS SELECT v FROM "Zeta"."_t" ORDER BY v;
            """)
        {
            IcuLocale = "en-US",
            Contains =
            {
                ["alpha/tables/b.sql"] =
                [
                    "    CONSTRAINT \"B_check\" CHECK ((id > 1)),\n    CONSTRAINT _check CHECK ((id > 2)),\n    CONSTRAINT a_check CHECK ((id > 3)),\n    CONSTRAINT e_check CHECK ((id > 5)),\n    CONSTRAINT \"é_check\" CHECK ((id > 4))\n",
                ],
                ["alpha/types/dom.sql"] = ["    CONSTRAINT \"A\" CHECK ((VALUE <> 'A'::text))\n    CONSTRAINT _ CHECK ((VALUE <> '_'::text))\n    CONSTRAINT b CHECK"],
                ["alpha/policies/b.p.sql"] = ["    TO pggit_admin, pggit_reader, pggit_writer\n"],
            },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
