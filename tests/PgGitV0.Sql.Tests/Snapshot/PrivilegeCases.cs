namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class PrivilegeCases
{
    private const string Objects = """
        CREATE SCHEMA shop;
        GRANT USAGE ON SCHEMA shop TO pggit_reader;
        CREATE TABLE shop.items (id integer PRIMARY KEY, price numeric);
        ALTER TABLE shop.items OWNER TO pggit_admin;
        GRANT SELECT ON shop.items TO pggit_reader;
        GRANT INSERT, UPDATE ON shop.items TO pggit_writer WITH GRANT OPTION;
        CREATE TABLE shop.plain (id integer);
        CREATE VIEW shop.cheap AS SELECT id FROM shop.items WHERE price < 10;
        GRANT SELECT ON shop.cheap TO PUBLIC;
        CREATE SEQUENCE shop.numbers;
        GRANT USAGE ON SEQUENCE shop.numbers TO pggit_writer;
        CREATE FUNCTION shop.secret() RETURNS integer LANGUAGE sql AS 'SELECT 42';
        REVOKE EXECUTE ON FUNCTION shop.secret() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION shop.secret() TO pggit_admin;
        CREATE AGGREGATE shop.total(integer) (SFUNC = int4pl, STYPE = integer);
        GRANT EXECUTE ON FUNCTION shop.total(integer) TO pggit_reader;
        CREATE TYPE shop.state AS ENUM ('new');
        REVOKE USAGE ON TYPE shop.state FROM PUBLIC;
        CREATE PROCEDURE shop.noop() LANGUAGE sql AS 'SELECT 1';
        ALTER PROCEDURE shop.noop() OWNER TO pggit_writer;
        """;

    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("with track_privileges, owners and grants rebuild each ACL", Objects)
        {
            Settings = { ["track_privileges"] = "true" },
            Exact =
            {
                ["shop/tables/items.sql"] = """
                    CREATE TABLE shop.items (
                        id integer NOT NULL,
                        price numeric,
                        CONSTRAINT items_pkey PRIMARY KEY (id)
                    );
                    ALTER TABLE shop.items OWNER TO pggit_admin;
                    REVOKE ALL ON TABLE shop.items FROM PUBLIC;
                    REVOKE ALL ON TABLE shop.items FROM pggit_admin;
                    GRANT DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE ON TABLE shop.items TO pggit_admin;
                    GRANT SELECT ON TABLE shop.items TO pggit_reader;
                    GRANT INSERT, UPDATE ON TABLE shop.items TO pggit_writer WITH GRANT OPTION;

                    """,
            },
            Contains =
            {
                // A built-in default ACL prints the owner only.
                ["shop/tables/plain.sql"] = ["\nALTER TABLE shop.plain OWNER TO "],
                ["shop/views/cheap.sql"] = ["\nGRANT SELECT ON TABLE shop.cheap TO PUBLIC;\n"],
                ["shop/sequences/numbers.sql"] = ["\nGRANT USAGE ON SEQUENCE shop.numbers TO pggit_writer;\n"],
                ["shop/functions/secret().sql"] = ["\nREVOKE ALL ON FUNCTION shop.secret() FROM PUBLIC;\n", "\nGRANT EXECUTE ON FUNCTION shop.secret() TO pggit_admin;\n"],
                ["shop/aggregates/total(integer).sql"] = ["\nGRANT EXECUTE ON FUNCTION shop.total(integer) TO pggit_reader;\n"],
                ["shop/types/state.sql"] = ["\nREVOKE ALL ON TYPE shop.state FROM PUBLIC;\n"],
                ["shop/procedures/noop().sql"] = ["\nALTER PROCEDURE shop.noop() OWNER TO pggit_writer;\n"],
                ["shop/schema.sql"] = ["\nGRANT USAGE ON SCHEMA shop TO pggit_reader;\n"],
            },
            DoesNotContain = { ["shop/tables/plain.sql"] = ["GRANT", "REVOKE"], ["shop/types/state.sql"] = ["TO PUBLIC"] },
        },
        new SnapshotCase("without track_privileges, neither owners nor grants are in the files", Objects)
        {
            DoesNotContain =
            {
                ["shop/tables/items.sql"] = ["OWNER", "GRANT", "REVOKE"],
                ["shop/functions/secret().sql"] = ["OWNER", "GRANT", "REVOKE"],
                ["shop/schema.sql"] = ["OWNER", "GRANT", "REVOKE"],
            },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
