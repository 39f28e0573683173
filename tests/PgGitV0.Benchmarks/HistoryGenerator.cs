using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Benchmarks;

/// <summary>
/// Generates a history with the plumbing: a root commit with N objects, then commits spread over
/// main and a number of branches (1-3 objects changed each), merging a branch into main every
/// 50 commits. Commits between depth 2,000 and 7,000 of main change only objects 1-50, so the
/// diff between those two commits touches exactly 50 objects (issue 4's diff target).
/// </summary>
public static class HistoryGenerator
{
    public const string Sql = """
        CREATE OR REPLACE FUNCTION pg_temp.generate_history(p_objects int, p_commits int, p_branches int) RETURNS void
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
            v_pool_low int;
            v_pool_high int;
            v_at timestamptz := '2025-01-01Z';
            v_author text;
        BEGIN
            PERFORM setseed(0.42);
            v_root_tree := pggit_v0.write_tree(NULL, (SELECT jsonb_object_agg(format('public/tables/t%s.sql', i),
                format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, v%s integer);', i, 0)) FROM generate_series(1, p_objects) i)
                || '{"public/schema.sql": "CREATE SCHEMA IF NOT EXISTS public;"}');
            v_tip := pggit_v0.commit_tree(v_root_tree, '{}', 'Initial schema', 'Alice <alice@example.com>', NULL, v_at, v_at);
            v_tips := array_fill(v_tip, ARRAY[p_branches + 1]);
            FOR i IN 1..p_commits LOOP
                v_at := v_at + interval '7 minutes';
                v_author := (ARRAY['Alice <alice@example.com>', 'Bob <bob@example.com>', 'Carol <carol@example.com>'])[1 + (i % 3)];
                IF i % 50 = 0 THEN
                    -- Merge branch b into main (theirs for every path that differs), then fast-forward b.
                    v_branch := 2 + (i / 50) % p_branches;
                    SELECT pggit_v0.write_tree(m.tree_sha, coalesce(jsonb_object_agg(d.path, CASE WHEN d.new_sha IS NULL THEN NULL ELSE jsonb_build_object('sha', d.new_sha) END), '{}'))
                    INTO v_tree
                    FROM pggit_v0.commit_graph m, pggit_v0.commit_graph b
                    LEFT JOIN LATERAL pggit_v0._diff_trees(
                        (SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.merge_base(v_tips[1], v_tips[v_branch])), b.tree_sha) d ON true
                    WHERE m.commit_sha = v_tips[1] AND b.commit_sha = v_tips[v_branch]
                    GROUP BY m.tree_sha;
                    v_tips[1] := pggit_v0.commit_tree(v_tree, ARRAY[v_tips[1], v_tips[v_branch]], format('Merge b%s into main', v_branch - 1), v_author, NULL, v_at, v_at);
                    v_tips[v_branch] := v_tips[1];
                    v_main_commits := v_main_commits + 1;
                    CONTINUE;
                END IF;
                v_branch := CASE WHEN random() < 0.5 THEN 1 ELSE 2 + floor(random() * p_branches)::int END;
                IF v_branch = 1 AND v_main_commits BETWEEN 2000 AND 7000 THEN
                    v_pool_low := 1; v_pool_high := 50;
                ELSE
                    v_pool_low := 51; v_pool_high := p_objects;
                END IF;
                v_changes := '{}';
                FOR k IN 1..(1 + floor(random() * 3)::int) LOOP
                    v_object := v_pool_low + floor(random() * (v_pool_high - v_pool_low + 1))::int;
                    v_changes := v_changes || jsonb_build_object(format('public/tables/t%s.sql', v_object),
                        format('CREATE TABLE public.t%s (id bigint PRIMARY KEY, v%s integer);', v_object, i));
                END LOOP;
                SELECT pggit_v0.write_tree(tree_sha, v_changes) INTO v_tree FROM pggit_v0.commit_graph WHERE commit_sha = v_tips[v_branch];
                v_tips[v_branch] := pggit_v0.commit_tree(v_tree, ARRAY[v_tips[v_branch]], format('Change %s', v_changes ->> 0), v_author, NULL, v_at, v_at);
                IF v_branch = 1 THEN v_main_commits := v_main_commits + 1; END IF;
            END LOOP;
            INSERT INTO pggit_v0.refs (name, type, target_sha, created_by) VALUES ('main', 'branch', v_tips[1], 'generator');
            FOR b IN 2..p_branches + 1 LOOP
                INSERT INTO pggit_v0.refs (name, type, target_sha, created_by) VALUES (format('b%s', b - 1), 'branch', v_tips[b], 'generator');
            END LOOP;
        END
        $$;
        """;

    public static async Task GenerateAsync(NpgsqlConnection connection, int objects, int commits, int branches)
    {
        await connection.ExecuteAsync(Sql);
        await connection.ExecuteAsync("SELECT pg_temp.generate_history(@objects, @commits, @branches)", new { objects, commits, branches }, commandTimeout: 0);
        await connection.ExecuteAsync("ANALYZE");
    }
}
