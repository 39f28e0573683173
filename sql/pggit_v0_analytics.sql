-- pggit_v0 performance analytics (spec 5.1): storage footprint, object size histogram, operation
-- timings, a benchmark of the read functions, integrity checks and anomaly detection.
-- Every function reads tables directly (never a public VOLATILE function per row) and records
-- its own duration in operation_metrics like every public function.

-- Storage: counts and payload bytes, and how much sharing saves. A commit's logical blob bytes
-- (what its tree would hold stored without sharing) are its first parent's plus the size changes
-- change_log records for it; summed along first-parent chains (each chain continuing from its
-- base commit's total), so the cost grows with commits and changes, not commits x schema size.
CREATE OR REPLACE FUNCTION pggit_v0.analyze_storage_usage()
RETURNS TABLE (total_commits bigint, total_objects bigint, total_size bigint, avg_object_size bigint,
               largest_object_size bigint, deduplication_ratio double precision)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_logical numeric;
    v_stored_blobs numeric;
BEGIN
    WITH RECURSIVE deltas AS (
        SELECT c.commit_sha, sum(coalesce(n.size, 0) - coalesce(o.size, 0)) AS bytes
        FROM pggit_audit.change_log c
        LEFT JOIN pggit_v0.objects n ON n.sha = c.new_sha
        LEFT JOIN pggit_v0.objects o ON o.sha = c.old_sha
        GROUP BY c.commit_sha
    ), per_commit AS MATERIALIZED (
        SELECT g.commit_sha, g.fp_chain, g.fp_depth,
               sum(coalesce(d.bytes, 0)) OVER (PARTITION BY g.fp_chain ORDER BY g.fp_depth) AS in_chain
        FROM pggit_v0.commit_graph g LEFT JOIN deltas d ON d.commit_sha = g.commit_sha
    ), chain_offsets AS (
        SELECT c.chain_id, 0::numeric AS base_bytes
        FROM pggit_v0.fp_chains c WHERE c.base_sha IS NULL
        UNION ALL
        SELECT c.chain_id, o.base_bytes + p.in_chain
        FROM chain_offsets o
        JOIN per_commit p ON p.fp_chain = o.chain_id
        JOIN pggit_v0.fp_chains c ON c.base_sha = p.commit_sha
    )
    SELECT sum(o.base_bytes + p.in_chain) INTO v_logical
    FROM per_commit p JOIN chain_offsets o ON o.chain_id = p.fp_chain;

    SELECT sum(o.size) INTO v_stored_blobs FROM pggit_v0.objects o WHERE o.type = 'blob';

    RETURN QUERY
        SELECT (SELECT count(*) FROM pggit_v0.commit_graph), count(*), coalesce(sum(o.size), 0)::bigint,
               coalesce(round(avg(o.size)), 0)::bigint, coalesce(max(o.size), 0)::bigint,
               CASE WHEN v_stored_blobs > 0 THEN (coalesce(v_logical, 0) / v_stored_blobs)::double precision END
        FROM pggit_v0.objects o;
    PERFORM pggit_v0._track('analyze_storage_usage', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.analyze_storage_usage() IS 'Storage footprint: commits, objects, their git payload bytes (total, average, largest; trees counted at their git size although stored as deltas; on-disk size is pg_total_relation_size of pggit_v0.objects and pggit_v0.trees), and deduplication_ratio = the blob bytes every commit''s tree holds, summed over all commits (storage without any sharing), divided by the bytes of the distinct blobs stored. NULL when no blob is stored.';

CREATE OR REPLACE FUNCTION pggit_v0.get_object_size_distribution(p_object_type text DEFAULT NULL)
RETURNS TABLE (size_bucket text, count bigint, total_size bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF p_object_type IS NOT NULL AND p_object_type NOT IN ('blob', 'tree', 'commit') THEN
        PERFORM pggit_v0._raise('22023', format('object type %L is unknown', p_object_type), 'use blob, tree, commit or NULL for all');
    END IF;
    RETURN QUERY
        WITH buckets (ord, label, low, high) AS (
            VALUES (1, '0-1 KB', 0, 1024), (2, '1-10 KB', 1024, 10240), (3, '10-100 KB', 10240, 102400),
                   (4, '100 KB-1 MB', 102400, 1048576), (5, '1-10 MB', 1048576, 10485760), (6, '10 MB+', 10485760, NULL)
        )
        SELECT b.label, count(o.sha), coalesce(sum(o.size), 0)::bigint
        FROM buckets b
        LEFT JOIN pggit_v0.objects o ON o.size >= b.low AND (b.high IS NULL OR o.size < b.high)
                                    AND (p_object_type IS NULL OR o.type = p_object_type)
        GROUP BY b.ord, b.label
        ORDER BY b.ord;
    PERFORM pggit_v0._track('get_object_size_distribution', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_object_size_distribution(text) IS 'Histogram of object payload sizes in fixed buckets (0-1 KB, 1-10 KB, 10-100 KB, 100 KB-1 MB, 1-10 MB, 10 MB+; lower bound inclusive), smallest first, every bucket listed even when empty; p_object_type (blob, tree, commit) narrows it.';

CREATE OR REPLACE FUNCTION pggit_v0.analyze_query_performance(p_since timestamptz DEFAULT NULL)
RETURNS TABLE (operation text, avg_duration interval, min_duration interval, max_duration interval, count bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF p_since > now() THEN
        PERFORM pggit_v0._raise('22023', format('p_since %s is in the future', p_since), 'pass a past time, or NULL for every retained metric');
    END IF;
    RETURN QUERY
        SELECT m.operation, make_interval(secs => avg(m.duration_ms) / 1000), make_interval(secs => min(m.duration_ms) / 1000),
               make_interval(secs => max(m.duration_ms) / 1000), count(*)
        FROM pggit_v0.operation_metrics m
        WHERE p_since IS NULL OR m.started_at >= p_since
        GROUP BY m.operation
        ORDER BY m.operation COLLATE "C";
    PERFORM pggit_v0._track('analyze_query_performance', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.analyze_query_performance(timestamptz) IS 'Per public operation, from operation_metrics (retained metrics_retention_days; emptied by a crash): average, fastest and slowest duration and call count, optionally only calls started at or after p_since. benchmark_extraction_functions() leaves no rows of its samples here.';

-- The read functions benchmarked, each as a query over the current data: HEAD's objects, log,
-- one object's DDL, HEAD's diff against its first parent, and the live schema's extraction.
CREATE OR REPLACE FUNCTION pggit_v0.benchmark_extraction_functions(p_samples integer DEFAULT 5, p_threshold interval DEFAULT '100 milliseconds')
RETURNS TABLE (function_name text, avg_runtime interval, samples bigint, status text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_head text;
    v_parent text;
    v_object record;
    v_tree text;
    v_path text;
    v_case record;
    v_total interval;
    v_sample_started timestamptz;
    v_error text;
BEGIN
    IF p_samples IS NULL OR p_samples < 1 OR p_samples > 100 THEN
        PERFORM pggit_v0._raise('22023', format('p_samples %s must be between 1 and 100', coalesce(p_samples::text, 'NULL')), NULL);
    END IF;
    IF p_threshold IS NULL OR p_threshold <= interval '0' THEN
        PERFORM pggit_v0._raise('22023', format('p_threshold %s must be a positive interval', coalesce(p_threshold::text, 'NULL')), 'for example ''100 milliseconds''');
    END IF;
    SELECT r.target_sha INTO v_head FROM pggit_v0.refs r WHERE r.name = pggit_v0._head_branch() AND r.type = 'branch';
    SELECT g.parent_shas[1] INTO v_parent FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_head;
    -- An object of HEAD named by schema and name: descend HEAD's tree along first entries,
    -- directories first and hidden ones (.database) last.
    v_tree := (SELECT g.tree_sha FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_head);
    v_path := '';
    WHILE v_tree IS NOT NULL LOOP
        SELECT v_path || e.name, CASE WHEN right(e.name, 1) = '/' THEN e.sha END INTO v_path, v_tree
        FROM pggit_v0._tree_entries(v_tree) e
        ORDER BY left(e.name, 1) = '.', right(e.name, 1) <> '/', e.name COLLATE "C"
        LIMIT 1;
    END LOOP;
    SELECT po.schema_name, po.object_name INTO v_object FROM pggit_v0.path_object(nullif(v_path, '')) po;

    FOR v_case IN
        SELECT * FROM (VALUES
            (1, 'get_object_definition', format('SELECT pggit_v0.get_object_definition(%L, %L, %L)', v_object.schema_name, v_object.object_name, v_head),
                v_object.object_name IS NOT NULL, 'no object in HEAD'),
            (2, 'list_objects', format('SELECT count(*) FROM pggit_v0.list_objects(%L)', v_head), v_head IS NOT NULL, 'no commits yet'),
            (3, 'get_commit_history', 'SELECT count(*) FROM pggit_v0.get_commit_history(20)', v_head IS NOT NULL, 'no commits yet'),
            (4, 'diff_commits', format('SELECT count(*) FROM pggit_v0.diff_commits(%L, %L)', v_parent, v_head), v_parent IS NOT NULL, 'HEAD has no parent'),
            (5, 'ls_tree', format('SELECT count(*) FROM pggit_v0.ls_tree(%L)', v_head), v_head IS NOT NULL, 'no commits yet'),
            (6, 'snapshot_schema', 'SELECT count(*) FROM pggit_v0.snapshot_schema()', true, NULL)
        ) AS c(ord, name, query, runnable, skip_reason)
        ORDER BY ord
    LOOP
        IF NOT v_case.runnable THEN
            RETURN QUERY SELECT v_case.name::text, NULL::interval, 0::bigint, ('skipped: ' || v_case.skip_reason)::text;
            CONTINUE;
        END IF;
        v_total := interval '0';
        v_error := NULL;
        -- The samples run in a subtransaction that is rolled back: the functions' own metric rows
        -- (and any lock snapshot_schema takes) go with it, so analyze_query_performance() is unaffected.
        BEGIN
            FOR i IN 1..p_samples LOOP
                v_sample_started := clock_timestamp();
                EXECUTE v_case.query;
                v_total := v_total + (clock_timestamp() - v_sample_started);
            END LOOP;
            RAISE EXCEPTION USING ERRCODE = 'PGB01';
        EXCEPTION
            WHEN SQLSTATE 'PGB01' THEN
                NULL;
            WHEN OTHERS THEN
                v_error := SQLERRM;
        END;
        IF v_error IS NOT NULL THEN
            RETURN QUERY SELECT v_case.name::text, NULL::interval, 0::bigint, ('failed: ' || v_error)::text;
            CONTINUE;
        END IF;
        RETURN QUERY SELECT v_case.name::text, v_total / p_samples, p_samples::bigint,
                            CASE WHEN v_total / p_samples <= p_threshold THEN 'ok' ELSE 'slow' END;
    END LOOP;
    PERFORM pggit_v0._track('benchmark_extraction_functions', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.benchmark_extraction_functions(integer, interval) IS 'Times the read functions on the current data, p_samples runs each (1-100, default 5): get_object_definition of an object of HEAD, list_objects(HEAD), get_commit_history(20), diff_commits(HEAD^, HEAD), ls_tree(HEAD), snapshot_schema() of the live database. status ok when the average is at most p_threshold (default 100 ms, the spec''s per-operation target), slow above it, skipped (with why) when the data has nothing to run it on, failed (with the error) when it raised one. Samples run in a rolled-back subtransaction: they leave no operation_metrics rows; the call itself is recorded once as benchmark_extraction_functions.';

-- Integrity: each invariant checked set-based; the object ids of a sample are recomputed. The
-- sample is a run of consecutive ids from a random starting point: ids are hashes, so the run is
-- a uniform sample, and it is read through the primary key instead of scanning every object.
CREATE OR REPLACE FUNCTION pggit_v0.validate_data_integrity(p_sample_size integer DEFAULT 100)
RETURNS TABLE (check_name text, status text, details text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_start text := encode(sha256(convert_to(random()::text, 'UTF8')), 'hex');
BEGIN
    IF p_sample_size < 0 THEN
        PERFORM pggit_v0._raise('22023', format('p_sample_size %s must be zero or more', p_sample_size), 'NULL re-hashes every object');
    END IF;
    RETURN QUERY
    WITH results (ord, name, bad, total, examples) AS (
        SELECT 1, 'refs point at commits', count(*), (SELECT count(*) FROM pggit_v0.refs),
               string_agg(format('%s -> %s', r.name, r.target_sha), ', ' ORDER BY r.name)
        FROM pggit_v0.refs r WHERE NOT EXISTS (SELECT 1 FROM pggit_v0.commit_graph g WHERE g.commit_sha = r.target_sha)
        UNION ALL
        SELECT 2, 'head branch exists', count(*), 1::bigint, string_agg(format('HEAD names %s, which is %s', h.branch, x.what), ', ')
        FROM pggit_v0.head h
        CROSS JOIN LATERAL (SELECT CASE WHEN r.type = 'tag' THEN 'a tag' ELSE 'missing while other branches exist' END AS what
                            FROM (SELECT 1) one LEFT JOIN pggit_v0.refs r ON r.name = h.branch) x
        WHERE NOT EXISTS (SELECT 1 FROM pggit_v0.refs r WHERE r.name = h.branch AND r.type = 'branch')
          AND (EXISTS (SELECT 1 FROM pggit_v0.refs r WHERE r.name = h.branch)
               OR EXISTS (SELECT 1 FROM pggit_v0.refs r WHERE r.type = 'branch'))
        UNION ALL
        SELECT 3, 'commits are commit objects with trees', count(*), (SELECT count(*) FROM pggit_v0.commit_graph),
               string_agg(left(g.commit_sha, 12), ', ' ORDER BY g.commit_sha)
        FROM pggit_v0.commit_graph g
        WHERE NOT EXISTS (SELECT 1 FROM pggit_v0.trees t JOIN pggit_v0.objects o ON o.sha = t.sha AND o.type = 'tree' WHERE t.sha = g.tree_sha)
           OR NOT EXISTS (SELECT 1 FROM pggit_v0.objects o WHERE o.sha = g.commit_sha AND o.type = 'commit')
        UNION ALL
        SELECT 4, 'parents exist and generations are 1 + max(parents)', count(*), (SELECT count(*) FROM pggit_v0.commit_graph),
               string_agg(CASE WHEN x.found < x.wanted THEN format('%s (a missing parent)', left(x.commit_sha, 12))
                               ELSE format('%s (generation %s, expected %s)', left(x.commit_sha, 12), x.generation, x.expected) END, ', ' ORDER BY x.commit_sha)
        FROM (SELECT g.commit_sha, g.generation,
                     1 + coalesce(max(p.generation), 0) AS expected,
                     count(p.commit_sha) AS found, cardinality(g.parent_shas) AS wanted
              FROM pggit_v0.commit_graph g
              LEFT JOIN LATERAL unnest(g.parent_shas) AS ps(sha) ON true
              LEFT JOIN pggit_v0.commit_graph p ON p.commit_sha = ps.sha
              GROUP BY g.commit_sha) x
        WHERE x.found < x.wanted OR x.generation <> x.expected
        UNION ALL
        SELECT 5, 'first-parent chains are consistent', count(*), (SELECT count(*) FROM pggit_v0.commit_graph),
               string_agg(format('%s: %s', left(x.sha, 12), x.problem), ', ' ORDER BY x.sha)
        FROM (SELECT g.commit_sha AS sha,
                     CASE WHEN c.chain_id IS NULL THEN format('chain %s does not exist', g.fp_chain)
                          WHEN g.fp_depth <> coalesce(p.fp_depth + 1, 0) THEN format('fp_depth %s, expected %s', g.fp_depth, coalesce(p.fp_depth + 1, 0))
                          WHEN g.fp_chain IS DISTINCT FROM p.fp_chain AND c.base_sha IS DISTINCT FROM g.parent_shas[1]
                              THEN format('starts chain %s, whose base is %s, not its first parent', g.fp_chain, coalesce(left(c.base_sha, 12), 'none'))
                     END AS problem
              FROM pggit_v0.commit_graph g
              LEFT JOIN pggit_v0.commit_graph p ON p.commit_sha = g.parent_shas[1]
              LEFT JOIN pggit_v0.fp_chains c ON c.chain_id = g.fp_chain
              UNION ALL
              SELECT c.tip_sha, format('tip of chain %s is not that chain''s last commit', c.chain_id)
              FROM pggit_v0.fp_chains c
              LEFT JOIN (SELECT g.fp_chain, max(g.fp_depth) AS depth FROM pggit_v0.commit_graph g GROUP BY g.fp_chain) m ON m.fp_chain = c.chain_id
              LEFT JOIN pggit_v0.commit_graph t ON t.commit_sha = c.tip_sha
              WHERE t.fp_chain IS DISTINCT FROM c.chain_id OR t.fp_depth IS DISTINCT FROM m.depth) x
        WHERE x.problem IS NOT NULL
        UNION ALL
        SELECT 6, 'tree deltas have their base one level down', count(*), (SELECT count(*) FROM pggit_v0.trees),
               string_agg(format('%s (depth %s, base %s)', left(t.sha, 12), t.depth, coalesce(left(t.base_sha, 12) || ' at depth ' || b.depth, 'missing')), ', ' ORDER BY t.sha)
        FROM pggit_v0.trees t LEFT JOIN pggit_v0.trees b ON b.sha = t.base_sha
        WHERE t.base_sha IS NOT NULL AND (b.sha IS NULL OR t.depth <> b.depth + 1)
        UNION ALL
        SELECT 7, 'change_log rows name existing commits', count(*), (SELECT count(*) FROM pggit_audit.change_log),
               string_agg(DISTINCT left(c.commit_sha, 12), ', ')
        FROM pggit_audit.change_log c WHERE NOT EXISTS (SELECT 1 FROM pggit_v0.commit_graph g WHERE g.commit_sha = c.commit_sha)
        UNION ALL
        SELECT 8, 'commits are indexed in change_log and compliance_log', count(*), (SELECT count(*) FROM pggit_v0.commit_graph),
               string_agg(format('%s (compliance_log %s, change_log %s)', left(x.commit_sha, 12), coalesce(x.logged::text, 'missing'), x.changes), ', ' ORDER BY x.commit_sha)
        FROM (SELECT g.commit_sha, l.logged, coalesce(c.changes, 0) AS changes
              FROM pggit_v0.commit_graph g
              LEFT JOIN (SELECT l.commit_sha, sum(l.creates + l.alters + l.drops) AS logged
                         FROM pggit_audit.compliance_log l GROUP BY l.commit_sha) l ON l.commit_sha = g.commit_sha
              LEFT JOIN (SELECT c.commit_sha, count(*) AS changes FROM pggit_audit.change_log c GROUP BY c.commit_sha) c ON c.commit_sha = g.commit_sha) x
        WHERE x.logged IS DISTINCT FROM x.changes
        UNION ALL
        SELECT 9, 'rollups + rollup_queue = change_log', CASE WHEN x.rolled + x.queued = x.logged AND x.day_changes + x.queued = x.logged
                                                               AND x.day_commits + x.queued_commits = x.commits
                                                               AND x.author_commits + x.queued_commits = x.commits THEN 0 ELSE 1 END::bigint, 1::bigint,
               format('object rollup %s changes, daily rollup %s changes in %s commits, author rollup %s commits, queue %s changes in %s commits; change_log has %s changes, commit_graph %s commits',
                      x.rolled, x.day_changes, x.day_commits, x.author_commits, x.queued, x.queued_commits, x.logged, x.commits)
        FROM (SELECT (SELECT coalesce(sum(r.changes), 0) FROM pggit_audit.object_change_rollup r) AS rolled,
                     (SELECT coalesce(sum(d.creates + d.alters + d.drops), 0) FROM pggit_audit.daily_change_rollup d) AS day_changes,
                     (SELECT coalesce(sum(d.commits), 0) FROM pggit_audit.daily_change_rollup d) AS day_commits,
                     (SELECT coalesce(sum(a.commits), 0) FROM pggit_audit.author_rollup a) AS author_commits,
                     (SELECT coalesce(sum(q.changes), 0) FROM pggit_audit.rollup_queue q) AS queued,
                     (SELECT count(*) FROM pggit_audit.rollup_queue q) AS queued_commits,
                     (SELECT count(*) FROM pggit_audit.change_log) AS logged,
                     (SELECT count(*) FROM pggit_v0.commit_graph) AS commits) x
        UNION ALL
        SELECT 10, 'commit counts follow their parents', count(*), (SELECT count(*) FROM pggit_v0.commit_graph),
               string_agg(format('%s (%s)', left(x.commit_sha, 12), x.problem), ', ' ORDER BY x.commit_sha)
        FROM (SELECT g.commit_sha,
                     CASE WHEN g.objects_added IS DISTINCT FROM coalesce(c.net, 0)
                              THEN format('objects_added %s, change_log says %s', g.objects_added, coalesce(c.net, 0))
                          WHEN g.object_count IS DISTINCT FROM coalesce(p.object_count, 0) + g.objects_added
                              THEN format('object_count %s, first parent''s %s + objects_added %s', g.object_count, coalesce(p.object_count, 0), g.objects_added)
                          WHEN cardinality(g.parent_shas) <= 1 AND g.ancestors IS DISTINCT FROM coalesce(p.ancestors, 0) + 1
                              THEN format('ancestors %s, expected %s', g.ancestors, coalesce(p.ancestors, 0) + 1)
                          -- A merge reaches more than its largest parent and at most all of its parents.
                          WHEN cardinality(g.parent_shas) > 1 AND (g.ancestors IS NULL OR g.ancestors <= m.largest OR g.ancestors > 1 + m.total)
                              THEN format('ancestors %s, not above its parents'' largest %s and at most 1 + their sum %s', g.ancestors, m.largest, m.total)
                     END AS problem
              FROM pggit_v0.commit_graph g
              LEFT JOIN pggit_v0.commit_graph p ON p.commit_sha = g.parent_shas[1]
              LEFT JOIN (SELECT l.commit_sha, count(*) FILTER (WHERE l.change_type = 'CREATE') - count(*) FILTER (WHERE l.change_type = 'DROP') AS net
                         FROM pggit_audit.change_log l GROUP BY l.commit_sha) c ON c.commit_sha = g.commit_sha
              LEFT JOIN LATERAL (SELECT max(q.ancestors) AS largest, sum(q.ancestors) AS total FROM pggit_v0.commit_graph q
                                 WHERE cardinality(g.parent_shas) > 1 AND q.commit_sha = ANY (g.parent_shas)) m ON true) x
        WHERE x.problem IS NOT NULL
        UNION ALL
        SELECT 11, 'object ids match their payloads (sample)', count(*) FILTER (WHERE s.computed IS DISTINCT FROM s.sha OR s.length IS DISTINCT FROM s.size),
               count(*),
               string_agg(format('%s %s hashes to %s (size %s, payload %s bytes)', s.type, left(s.sha, 12), left(s.computed, 12), s.size, s.length), ', ' ORDER BY s.sha)
                   FILTER (WHERE s.computed IS DISTINCT FROM s.sha OR s.length IS DISTINCT FROM s.size)
        FROM (SELECT o.sha, o.type, o.size, pggit_v0._hash_object(o.type, p.payload) AS computed, length(p.payload) AS length
              FROM (SELECT x.sha FROM (SELECT a.sha FROM (SELECT o.sha FROM pggit_v0.objects o WHERE o.sha >= v_start ORDER BY o.sha LIMIT p_sample_size) a
                                       UNION
                                       SELECT b.sha FROM (SELECT o.sha FROM pggit_v0.objects o ORDER BY o.sha LIMIT p_sample_size) b) x
                    ORDER BY x.sha >= v_start DESC, x.sha
                    LIMIT p_sample_size) sample
              JOIN pggit_v0.objects o ON o.sha = sample.sha
              CROSS JOIN LATERAL (SELECT CASE WHEN o.type = 'tree'
                                      THEN (SELECT coalesce(string_agg(pggit_v0._tree_entry_bytes(e.name, e.sha), ''::bytea ORDER BY e.name COLLATE "C"), ''::bytea)
                                            FROM pggit_v0._tree_entries(o.sha) e)
                                      ELSE o.data END AS payload) p) s
    )
    SELECT r.name,
           CASE WHEN r.bad = 0 THEN 'ok' ELSE 'failed' END,
           CASE WHEN r.bad = 0 THEN format('%s checked', r.total)
                ELSE format('%s of %s wrong: %s', r.bad, r.total, left(r.examples, 1000)) END
    FROM results r
    ORDER BY r.ord;
    PERFORM pggit_v0._track('validate_data_integrity', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.validate_data_integrity(integer) IS 'Checks the stored history''s invariants and says, per check, ok or failed with what is wrong: refs point at commits; HEAD names a branch (or an unborn one before any branch exists); commits are commit objects with existing trees; parents exist and generation = 1 + max(parents''); first-parent chains (depths, chain bases, chain tips); tree deltas sit one level above an existing base; change_log names existing commits; every commit has its compliance_log record, whose create / alter / drop counts equal its change_log rows; object_change_rollup, daily_change_rollup and author_rollup plus rollup_queue count every change_log row and commit; each commit''s object_count, objects_added and ancestors follow from its parents and its changes (a merge''s ancestors only within bounds); and p_sample_size objects (default 100, from a random point in id order; NULL = every object) re-hashed from their payloads match their ids and sizes.';

-- Branches other than the default and the checked-out one that have not moved in p_days days.
CREATE OR REPLACE FUNCTION pggit_v0._stale_branches(p_days integer) RETURNS TABLE (name text, updated_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT r.name, r.updated_at FROM pggit_v0.refs r
    WHERE r.type = 'branch' AND r.updated_at < now() - make_interval(days => p_days)
      AND r.name <> (pggit_v0._setting('default_branch') #>> '{}') AND r.name <> pggit_v0._head_branch()
$$;

-- Anomalies: one row per kind found, with a count and up to five examples.
CREATE OR REPLACE FUNCTION pggit_v0.detect_anomalies(p_stale_days integer DEFAULT 90, p_pending_days integer DEFAULT 7)
RETURNS TABLE (anomaly_type text, severity text, details text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_threshold integer := (pggit_v0._setting('large_commit_threshold'))::text::int;
BEGIN
    IF p_stale_days IS NULL OR p_stale_days < 1 THEN
        PERFORM pggit_v0._raise('22023', format('p_stale_days %s must be 1 or more', coalesce(p_stale_days::text, 'NULL')), NULL);
    END IF;
    IF p_pending_days IS NULL OR p_pending_days < 0 THEN
        PERFORM pggit_v0._raise('22023', format('p_pending_days %s must be 0 or more', coalesce(p_pending_days::text, 'NULL')), NULL);
    END IF;
    RETURN QUERY
    WITH found (ord, kind, severity, n, examples) AS (
        SELECT 1, 'commit_in_future', 'warning', count(*),
               string_agg(format('%s at %s', left(x.commit_sha, 12), x.committed_at), ', ') FILTER (WHERE x.rn <= 5)
        FROM (SELECT g.commit_sha, g.committed_at, row_number() OVER (ORDER BY g.committed_at DESC) AS rn
              FROM pggit_v0.commit_graph g WHERE g.committed_at > now() + interval '5 minutes') x
        HAVING count(*) > 0
        UNION ALL
        SELECT 2, 'commit_before_parent', 'info', count(*),
               string_agg(format('%s at %s, parent %s at %s', left(x.commit_sha, 12), x.committed_at, left(x.parent_sha, 12), x.parent_at), ', ')
                   FILTER (WHERE x.rn <= 5)
        FROM (SELECT g.commit_sha, g.committed_at, p.commit_sha AS parent_sha, p.committed_at AS parent_at,
                     row_number() OVER (ORDER BY p.committed_at - g.committed_at DESC) AS rn
              FROM pggit_v0.commit_graph g
              JOIN pggit_v0.commit_graph p ON p.commit_sha = g.parent_shas[1]
              WHERE g.committed_at < p.committed_at) x
        HAVING count(*) > 0
        UNION ALL
        SELECT 3, 'very_large_commit', CASE WHEN max(x.changed) >= 10 * v_threshold THEN 'warning' ELSE 'info' END, count(*),
               string_agg(format('%s changes %s objects', left(x.commit_sha, 12), x.changed), ', ') FILTER (WHERE x.rn <= 5)
        FROM (SELECT l.commit_sha, l.creates + l.alters + l.drops AS changed,
                     row_number() OVER (ORDER BY l.creates + l.alters + l.drops DESC, l.commit_sha) AS rn
              FROM pggit_audit.compliance_log l
              WHERE l.parent_sha IS NOT NULL AND l.creates + l.alters + l.drops >= v_threshold) x
        HAVING count(*) > 0
        UNION ALL
        SELECT 4, 'stale_branch', 'info', count(*),
               string_agg(format('%s (last moved %s)', r.name, r.updated_at::date), ', ' ORDER BY r.updated_at)
        FROM pggit_v0._stale_branches(p_stale_days) r
        HAVING count(*) > 0
        UNION ALL
        SELECT 5, 'pending_merge', 'warning', count(*),
               string_agg(format('%s into %s (conflicted since %s, merge id %s)', m.source_branch, m.target_branch, m.created_at::date, m.id), ', ' ORDER BY m.created_at)
        FROM pggit_v0.merges m
        WHERE m.status = 'conflicted' AND m.created_at < now() - make_interval(days => p_pending_days)
        HAVING count(*) > 0
        UNION ALL
        SELECT 6, 'open_merge_request', 'info', count(*),
               string_agg(format('%s (%s into %s, %s since %s)', mr.title, mr.source_branch, mr.target_branch, mr.status, mr.created_at::date), ', ' ORDER BY mr.created_at)
        FROM pggit_v0.merge_requests mr
        WHERE mr.status IN ('open', 'approved') AND mr.created_at < now() - make_interval(days => p_pending_days)
        HAVING count(*) > 0
        UNION ALL
        -- A ref moved more than 30 times within one minute in the last day: a runaway script or loop.
        SELECT 7, 'ref_move_burst', 'warning', count(*),
               string_agg(format('%s moved %s times in the minute from %s', b.ref_name, b.moves, b.minute), ', ' ORDER BY b.moves DESC)
        FROM (SELECT l.ref_name, date_trunc('minute', l.at) AS minute, count(*) AS moves
              FROM pggit_v0.ref_log l WHERE l.at > now() - interval '1 day'
              GROUP BY 1, 2 HAVING count(*) > 30) b
        HAVING count(*) > 0
        UNION ALL
        -- An operation whose last day averages more than twice its earlier calls (10+ calls in each).
        SELECT 8, 'operation_slowing_down', 'warning', count(*),
               string_agg(format('%s: %s ms in the last day, %s ms before', s.operation, round(s.recent::numeric, 1), round(s.earlier::numeric, 1)), ', ' ORDER BY s.recent / s.earlier DESC)
        FROM (SELECT m.operation,
                     avg(m.duration_ms) FILTER (WHERE m.started_at >= now() - interval '1 day') AS recent,
                     avg(m.duration_ms) FILTER (WHERE m.started_at < now() - interval '1 day') AS earlier,
                     count(*) FILTER (WHERE m.started_at >= now() - interval '1 day') AS recent_calls,
                     count(*) FILTER (WHERE m.started_at < now() - interval '1 day') AS earlier_calls
              FROM pggit_v0.operation_metrics m GROUP BY m.operation) s
        WHERE s.recent_calls >= 10 AND s.earlier_calls >= 10 AND s.earlier > 0 AND s.recent > 2 * s.earlier
        HAVING count(*) > 0
    )
    SELECT f.kind, f.severity, format('%s: %s', f.n, left(f.examples, 1000))
    FROM found f
    ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.ord;
    PERFORM pggit_v0._track('detect_anomalies', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.detect_anomalies(integer, integer) IS 'Unusual patterns, one row per kind found (details: how many, then examples), most severe first: commit_in_future (committed more than 5 minutes ahead of now, warning), commit_before_parent (committed before its first parent: clock skew; info), very_large_commit (changes at least the large_commit_threshold setting of objects, root commits excepted; warning at 10x), stale_branch (a branch other than the default and HEAD not moved in p_stale_days days, default 90; info), pending_merge (conflicted for more than p_pending_days, default 7; warning), open_merge_request (open or approved that long; info), ref_move_burst (a ref moved more than 30 times in one minute within the last day; warning), operation_slowing_down (an operation''s last-day average more than twice its earlier average, 10+ calls each; warning).';
