namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class ExtensionCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("plpgsql is always there and tracked under .database", "")
        {
            Exact =
            {
                [".database/extensions/plpgsql.sql"] = """
                    CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;
                    COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';

                    """,
            },
        },
        new SnapshotCase("an extension in a schema of its own; its member objects are not files, objects using them are", """
            CREATE SCHEMA ext;
            CREATE EXTENSION citext WITH SCHEMA ext;
            CREATE TABLE public.users (email ext.citext UNIQUE);
            """)
        {
            Contains =
            {
                [".database/extensions/citext.sql"] = ["CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ext;\n"],
                ["public/tables/users.sql"] = ["    email ext.citext,\n"],
            },
            // citext's type, functions, operators and casts belong to the extension.
            OnlyPathsUnder = { ["ext/"] = ["ext/schema.sql"] },
        },
        new SnapshotCase("extensions are tracked whatever tracked_schemas says, unless their schema is ignored", """
            CREATE SCHEMA ext;
            CREATE SCHEMA other_ext;
            CREATE EXTENSION citext WITH SCHEMA ext;
            CREATE EXTENSION pg_trgm WITH SCHEMA other_ext;
            """)
        {
            Settings = { ["tracked_schemas"] = """["ext"]""", ["ignored_schemas"] = """["other_ext"]""" },
            Paths = { ".database/extensions/citext.sql", ".database/extensions/plpgsql.sql" },
            AbsentPaths = { ".database/extensions/pg_trgm.sql" },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
