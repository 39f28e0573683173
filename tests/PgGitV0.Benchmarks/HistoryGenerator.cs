using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Benchmarks;

/// <summary>
/// Generates a history with the plumbing: a root commit with N objects, then commits spread over
/// main and the branches (1-3 objects changed each), merging a branch into main every 50 commits.
/// Between 20% and 70% of the run every commit changes only objects 1-50, after all branches were
/// merged into main at its start: the main commits at the window's two ends (window_start,
/// window_end in pg_temp.generator_state) are half the history apart and differ in at most 50 objects.
/// </summary>
public static class HistoryGenerator
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS pg_temp.generator_state (tips text[], main_commits int, at timestamptz, window_start text, window_end text);
        CREATE OR REPLACE FUNCTION pg_temp.merge_into_main(p_tips text[], p_branch int, p_at timestamptz, p_author text) RETURNS text
        LANGUAGE plpgsql AS $$
        DECLARE
            v_tree text;
            -- Computed first: a volatile call (merge_base records a metric) in a WHERE clause runs once per row scanned.
            v_base text := pggit_v0.merge_base(p_tips[1], p_tips[p_branch]);
            v_base_tree text := (SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = v_base);
        BEGIN
            -- Theirs for every path the branch changed since the merge base.
            SELECT pggit_v0.write_tree(m.tree_sha, coalesce(jsonb_object_agg(d.path, CASE WHEN d.new_sha IS NULL THEN NULL ELSE jsonb_build_object('sha', d.new_sha) END)
                                                       FILTER (WHERE d.path IS NOT NULL), '{}'))
            INTO v_tree
            FROM pggit_v0.commit_graph m, pggit_v0.commit_graph b
            LEFT JOIN LATERAL pggit_v0._diff_trees(v_base_tree, b.tree_sha) d ON true
            WHERE m.commit_sha = p_tips[1] AND b.commit_sha = p_tips[p_branch]
            GROUP BY m.tree_sha;
            RETURN pggit_v0.commit_tree(v_tree, ARRAY[p_tips[1], p_tips[p_branch]], format('Merge b%s into main', p_branch - 1), p_author, NULL, p_at, p_at);
        END
        $$;
        CREATE OR REPLACE FUNCTION pg_temp.generate_history(p_objects int, p_from int, p_to int, p_total int, p_branches int) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            v_root_tree text;
            v_tips text[];
            v_main_commits int := 0;
            v_branch int;
            v_tip text;
            v_tree text;
            v_changes jsonb;
            v_object int;
            v_in_window boolean;
            v_at timestamptz := '2025-01-01Z';
            v_author text;
            v_window_start text;
            v_window_end text;
        BEGIN
            PERFORM setseed(p_from / (p_total + 1.0));
            IF p_from = 1 THEN
                v_root_tree := pggit_v0.write_tree(NULL, (SELECT jsonb_object_agg(format('public/tables/t%s.sql', i),
                    format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, v%s integer);', i, 0)) FROM generate_series(1, p_objects) i)
                    || '{"public/schema.sql": "CREATE SCHEMA IF NOT EXISTS public;"}');
                v_tip := pggit_v0.commit_tree(v_root_tree, '{}', 'Initial schema', 'Alice <alice@example.com>', NULL, v_at, v_at);
                v_tips := array_fill(v_tip, ARRAY[p_branches + 1]);
            ELSE
                SELECT tips, main_commits, at, window_start, window_end INTO v_tips, v_main_commits, v_at, v_window_start, v_window_end
                FROM pg_temp.generator_state;
            END IF;
            FOR i IN p_from..p_to LOOP
                v_at := v_at + interval '7 minutes';
                v_author := (ARRAY['Alice <alice@example.com>', 'Bob <bob@example.com>', 'Carol <carol@example.com>'])[1 + (i % 3)];
                v_in_window := i BETWEEN p_total / 5 AND p_total * 7 / 10;
                IF i = p_total / 5 THEN
                    FOR b IN 2..p_branches + 1 LOOP
                        IF v_tips[b] <> v_tips[1] THEN
                            v_tips[1] := pg_temp.merge_into_main(v_tips, b, v_at, v_author);
                        END IF;
                        v_tips[b] := v_tips[1];
                    END LOOP;
                    v_window_start := v_tips[1];
                END IF;
                IF i = p_total * 7 / 10 THEN
                    v_window_end := v_tips[1];
                END IF;
                IF i % 50 = 0 THEN
                    v_branch := 2 + (i / 50) % p_branches;
                    v_tips[1] := pg_temp.merge_into_main(v_tips, v_branch, v_at, v_author);
                    v_tips[v_branch] := v_tips[1];
                    v_main_commits := v_main_commits + 1;
                    CONTINUE;
                END IF;
                v_branch := CASE WHEN random() < 0.5 THEN 1 ELSE 2 + floor(random() * p_branches)::int END;
                v_changes := '{}';
                FOR k IN 1..(1 + floor(random() * 3)::int) LOOP
                    v_object := CASE WHEN v_in_window THEN 1 + floor(random() * 50)::int ELSE 51 + floor(random() * (p_objects - 50))::int END;
                    v_changes := v_changes || jsonb_build_object(format('public/tables/t%s.sql', v_object),
                        format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, v%s integer);', v_object, i));
                END LOOP;
                SELECT pggit_v0.write_tree(tree_sha, v_changes) INTO v_tree FROM pggit_v0.commit_graph WHERE commit_sha = v_tips[v_branch];
                v_tips[v_branch] := pggit_v0.commit_tree(v_tree, ARRAY[v_tips[v_branch]], format('Change %s', (SELECT string_agg(k, ', ') FROM jsonb_object_keys(v_changes) k)), v_author, NULL, v_at, v_at);
                IF v_branch = 1 THEN v_main_commits := v_main_commits + 1; END IF;
            END LOOP;
            DELETE FROM pg_temp.generator_state;
            INSERT INTO pg_temp.generator_state VALUES (v_tips, v_main_commits, v_at, v_window_start, v_window_end);
            INSERT INTO pggit_v0.refs (name, type, target_sha, created_by) VALUES ('main', 'branch', v_tips[1], 'generator')
            ON CONFLICT (name) DO UPDATE SET target_sha = EXCLUDED.target_sha;
            FOR b IN 2..p_branches + 1 LOOP
                INSERT INTO pggit_v0.refs (name, type, target_sha, created_by) VALUES (format('b%s', b - 1), 'branch', v_tips[b], 'generator')
                ON CONFLICT (name) DO UPDATE SET target_sha = EXCLUDED.target_sha;
            END LOOP;
        END
        $$;
        """;

    /// <summary>
    /// A database holding the generated history. Generating 10,000 commits takes many minutes, so
    /// the history is kept in the cluster as a database named after its parameters and the
    /// generator's text (useful when PGGIT_TEST_CONNECTION points at a cluster that outlives the
    /// run): a later run upgrades that copy with the current sql/install.sql and clones it.
    /// </summary>
    public static async Task<(TestDatabase Database, string WindowStart, string WindowEnd)> CreateDatabaseAsync(int objects, int commits, int branches)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Sql)))[..10];
        var cached = $"pggit_bench_{objects}_{commits}_{branches}_{hash}";
        var cachedConnection = new NpgsqlConnectionStringBuilder(admin) { Database = cached }.ConnectionString;
        bool exists;
        await using (var connection = new NpgsqlConnection(admin))
            exists = await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @cached)", new { cached });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (!exists)
        {
            var building = cached + "_building";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {building} WITH (FORCE)");
                await connection.ExecuteAsync($"CREATE DATABASE {building} TEMPLATE template0 ENCODING 'UTF8'");
            }
            var buildingConnection = new NpgsqlConnectionStringBuilder(admin) { Database = building }.ConnectionString;
            await PgGitV0.Database.SqlInstaller.InstallAsync(buildingConnection);
            await using (var connection = new NpgsqlConnection(buildingConnection))
            {
                await connection.OpenAsync();
                var (start, end) = await GenerateAsync(connection, objects, commits, branches);
                await connection.ExecuteAsync("CREATE TABLE public.bench_window AS SELECT @start::text AS window_start, @end::text AS window_end", new { start, end });
            }
            NpgsqlConnection.ClearAllPools();
            await using (var connection = new NpgsqlConnection(admin))
                await connection.ExecuteAsync($"ALTER DATABASE {building} RENAME TO {cached}");
            Report.Line($"generated {commits} commits over {objects} objects with {branches} branches in {watch.Elapsed.TotalSeconds:F0} s (kept as database {cached})");
        }
        else
        {
            await PgGitV0.Database.SqlInstaller.InstallAsync(cachedConnection);
            await using (var connection = new NpgsqlConnection(cachedConnection))
                await connection.ExecuteAsync("VACUUM ANALYZE");
            NpgsqlConnection.ClearAllPools();
            Report.Line($"reused the generated history in database {cached} ({commits} commits over {objects} objects with {branches} branches), upgraded with the current sql/ in {watch.Elapsed.TotalSeconds:F0} s");
        }
        var database = await TestDatabase.CloneAsync(cached);
        var window = await database.QueryAsync<(string, string)>("SELECT window_start, window_end FROM public.bench_window");
        return (database, window[0].Item1, window[0].Item2);
    }

    /// <summary>Generates in chunks of 500 commits with ANALYZE in between: plans cached while the tables
    /// were small would otherwise make every later commit slower. Returns the window's two main commits.</summary>
    public static async Task<(string WindowStart, string WindowEnd)> GenerateAsync(NpgsqlConnection connection, int objects, int commits, int branches)
    {
        await connection.ExecuteAsync(Sql);
        for (var from = 1; from <= commits; from += 500)
        {
            var to = Math.Min(commits, from + 499);
            await connection.ExecuteAsync("SELECT pg_temp.generate_history(@objects, @from, @to, @commits, @branches)", new { objects, from, to, commits, branches }, commandTimeout: 0);
            await connection.ExecuteAsync("VACUUM ANALYZE");
            await connection.ExecuteAsync("DISCARD PLANS");
        }
        var window = await connection.QuerySingleAsync<(string, string)>("SELECT window_start, window_end FROM pg_temp.generator_state");
        return window;
    }
}
