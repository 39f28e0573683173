namespace PgGitV0.Sql.Tests.Snapshot;

public sealed class ForeignKeyCases
{
    public static TheoryData<SnapshotCase> Cases => new()
    {
        new SnapshotCase("a foreign key is a file of its own, named after its table, not part of the table", """
            CREATE TABLE public.customers (id integer PRIMARY KEY);
            CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer);
            ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
                REFERENCES public.customers (id) ON DELETE CASCADE ON UPDATE SET NULL;
            """)
        {
            Exact =
            {
                ["public/foreign_keys/orders.orders_customer_fk.sql"] = """
                    ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON UPDATE SET NULL ON DELETE CASCADE;

                    """,
            },
            DoesNotContain = { ["public/tables/orders.sql"] = ["FOREIGN KEY", "orders_customer_fk"] },
        },
        new SnapshotCase("composite, deferrable, MATCH FULL and NOT VALID keys", """
            CREATE TABLE public.parts (maker integer, code text, PRIMARY KEY (maker, code));
            CREATE TABLE public.uses (maker integer, code text,
                CONSTRAINT uses_part_fk FOREIGN KEY (maker, code) REFERENCES public.parts MATCH FULL DEFERRABLE INITIALLY DEFERRED);
            CREATE TABLE public.legacy (maker integer);
            INSERT INTO public.legacy VALUES (42);
            CREATE TABLE public.makers (id integer PRIMARY KEY);
            ALTER TABLE public.legacy ADD CONSTRAINT legacy_maker_fk FOREIGN KEY (maker) REFERENCES public.makers NOT VALID;
            """)
        {
            Contains =
            {
                ["public/foreign_keys/uses.uses_part_fk.sql"] =
                    ["FOREIGN KEY (maker, code) REFERENCES public.parts(maker, code) MATCH FULL DEFERRABLE INITIALLY DEFERRED;\n"],
                ["public/foreign_keys/legacy.legacy_maker_fk.sql"] = ["REFERENCES public.makers(id) NOT VALID;\n"],
            },
        },
        new SnapshotCase("circular and self-referencing keys replay because every table comes first", """
            CREATE TABLE public.a (id integer PRIMARY KEY, b_id integer);
            CREATE TABLE public.b (id integer PRIMARY KEY, a_id integer REFERENCES public.a);
            ALTER TABLE public.a ADD FOREIGN KEY (b_id) REFERENCES public.b;
            CREATE TABLE public.tree (id integer PRIMARY KEY, parent_id integer REFERENCES public.tree);
            """)
        {
            Paths =
            {
                "public/foreign_keys/a.a_b_id_fkey.sql",
                "public/foreign_keys/b.b_a_id_fkey.sql",
                "public/foreign_keys/tree.tree_parent_id_fkey.sql",
            },
        },
        new SnapshotCase("a key between partitioned tables is one file; its copies on partitions are not files", """
            CREATE TABLE public.accounts (id integer, region text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
            CREATE TABLE public.accounts_eu PARTITION OF public.accounts FOR VALUES IN ('eu');
            CREATE TABLE public.payments (account_id integer, region text,
                CONSTRAINT payments_account_fk FOREIGN KEY (account_id, region) REFERENCES public.accounts) PARTITION BY LIST (region);
            CREATE TABLE public.payments_eu PARTITION OF public.payments FOR VALUES IN ('eu');
            """)
        {
            OnlyPathsUnder = { ["public/foreign_keys/"] = ["public/foreign_keys/payments.payments_account_fk.sql"] },
            DoesNotContain = { ["public/tables/payments_eu.sql"] = ["FOREIGN KEY"] },
        },
        new SnapshotCase("a key into another schema", """
            CREATE SCHEMA ref;
            CREATE TABLE ref.countries (code text PRIMARY KEY);
            CREATE TABLE public.cities (name text, country text REFERENCES ref.countries);
            """)
        {
            Contains = { ["public/foreign_keys/cities.cities_country_fkey.sql"] = ["REFERENCES ref.countries(code);\n"] },
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Snapshot_holds_the_case_and_replays_to_the_same_files(SnapshotCase snapshotCase) =>
        SnapshotRoundTrip.RunAsync(snapshotCase);
}
