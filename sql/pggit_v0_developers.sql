-- pggit_v0 developer functions (spec section 4.1): history, branches, objects and their DDL
-- at any commit. The spec's functions keep its names, parameters, defaults and result columns
-- exactly; extra capabilities live in differently named functions (DESIGN.md section 4):
-- get_commit_history_after, list_commits, get_commit, list_branches_after, list_objects_after,
-- get_object. Every public function records its duration with _track (hence VOLATILE).
-- Applied by install.sql after the core and porcelain; every statement is idempotent.

-- Helpers of an earlier version, replaced by the per-object change index (pggit_v0_history.sql).
DROP FUNCTION IF EXISTS pggit_v0._introductions(text, text[]);
DROP FUNCTION IF EXISTS pggit_v0._diff_tree_paths(text, text, text[]);
DROP FUNCTION IF EXISTS pggit_v0._path_dirs(text[]);
DROP FUNCTION IF EXISTS pggit_v0._list_objects(text, text, int);

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0._check_limit(p_limit int, p_name text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_limit IS NULL OR p_limit < 0 THEN
        PERFORM pggit_v0._raise('22023', format('%s %L must be zero or more', p_name, p_limit), NULL);
    END IF;
END
$$;

-- The commit a listing starts at: like resolve_ref(), except that HEAD (NULL, '', 'HEAD', '@')
-- on the checked-out branch before its first commit gives NULL (an empty history) instead of an error.
CREATE OR REPLACE FUNCTION pggit_v0._history_start(p_ref text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_ref IS NULL OR btrim(p_ref) IN ('', 'HEAD', '@') THEN
        RETURN (SELECT r.target_sha FROM pggit_v0.refs r WHERE r.name = pggit_v0._head_branch() AND r.type = 'branch');
    END IF;
    RETURN pggit_v0.resolve_ref(p_ref);
END
$$;

-- A commit's first parent; P0002 when the commit is unknown. NULL for a root commit.
CREATE OR REPLACE FUNCTION pggit_v0._first_parent(p_sha text, p_what text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_parents text[];
BEGIN
    PERFORM pggit_v0._check_sha(p_sha, p_what);
    SELECT g.parent_shas INTO v_parents FROM pggit_v0.commit_graph g WHERE g.commit_sha = p_sha;
    IF NOT FOUND THEN
        PERFORM pggit_v0._raise('P0002', format('commit %L not found', p_sha), 'list commits with pggit_v0.get_commit_history()');
    END IF;
    RETURN v_parents[1];
END
$$;

-- Walks a first-parent line from p_start (inclusive), newest first: skips p_skip matching
-- commits, then returns up to p_limit (NULL = all) commits matching the author and since filters.
-- Without filters the skip is a jump-pointer lookup (_fp_ancestor, O(log n)); the line is then read
-- in bounded chunks by a recursive query of primary-key lookups, so a page costs what it returns.
CREATE OR REPLACE FUNCTION pggit_v0._first_parent_line(p_start text, p_skip int, p_limit int,
    p_author text DEFAULT NULL, p_since timestamptz DEFAULT NULL)
RETURNS SETOF pggit_v0.commit_graph
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_sha text := p_start;
    v_commit pggit_v0.commit_graph;
    v_skipped int := 0;
    v_returned int := 0;
    v_author text := lower(nullif(btrim(p_author), ''));
    v_filtered boolean := nullif(btrim(p_author), '') IS NOT NULL OR p_since IS NOT NULL;
    v_chunk int;
BEGIN
    IF NOT v_filtered AND p_skip > 0 THEN
        v_sha := pggit_v0._fp_ancestor(v_sha, (SELECT g.fp_depth FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_sha) - p_skip);
        v_skipped := p_skip;
    END IF;
    WHILE v_sha IS NOT NULL AND (p_limit IS NULL OR v_returned < p_limit) LOOP
        v_chunk := CASE WHEN v_filtered OR p_limit IS NULL THEN 500
                        ELSE least(500, p_skip - v_skipped + p_limit - v_returned) END;
        FOR v_commit IN
            WITH RECURSIVE line (commit_sha, parent_sha, n) AS (
                SELECT g.commit_sha, g.parent_shas[1], 1 FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_sha
              UNION ALL
                SELECT g.commit_sha, g.parent_shas[1], l.n + 1
                FROM line l JOIN pggit_v0.commit_graph g ON g.commit_sha = l.parent_sha
                WHERE l.n < v_chunk
            )
            SELECT g.* FROM line l JOIN pggit_v0.commit_graph g ON g.commit_sha = l.commit_sha ORDER BY l.n
        LOOP
            v_sha := v_commit.parent_shas[1];
            CONTINUE WHEN v_filtered AND NOT (
                (v_author IS NULL OR lower(v_commit.author) = v_author OR lower(v_commit.author_email) = v_author)
                AND (p_since IS NULL OR v_commit.committed_at >= p_since));
            IF v_skipped < p_skip THEN
                v_skipped := v_skipped + 1;
                CONTINUE;
            END IF;
            RETURN NEXT v_commit;
            v_returned := v_returned + 1;
            EXIT WHEN v_returned = p_limit;
        END LOOP;
    END LOOP;
END
$$;

-- The blob or subtree id at a path of a tree ('a/b/' names a subtree, 'a/b/c.sql' a blob); NULL when absent.
-- One point lookup per level (_tree_entry), never expanding a whole directory.
CREATE OR REPLACE FUNCTION pggit_v0._tree_path_sha(p_tree text, p_path text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_sha text := p_tree;
    v_parts text[] := string_to_array(rtrim(p_path, '/'), '/');
    v_count int := cardinality(string_to_array(rtrim(p_path, '/'), '/'));
BEGIN
    FOR i IN 1..v_count LOOP
        EXIT WHEN v_sha IS NULL;
        v_sha := pggit_v0._tree_entry(v_sha, v_parts[i] || CASE WHEN i < v_count OR right(p_path, 1) = '/' THEN '/' ELSE '' END);
    END LOOP;
    RETURN v_sha;
END
$$;

-- For each (path, blob) of p_commit's tree: the commit on p_commit's first-parent line that
-- introduced that blob at that path, i.e. its latest entry in the per-object change index
-- (pggit_audit.change_log) that lies on the line, with that commit's committed_at and author.
-- Each lookup is an index probe, plus an O(log n) ancestry check per candidate when several
-- commits introduced the same blob at the same path. PL/pgSQL, so its plan is made once per
-- session (every probe is a LATERAL index lookup, so a generic plan is as good as a custom one)
-- and callers plan around it instead of re-planning it inlined on every call.
CREATE OR REPLACE FUNCTION pggit_v0._introductions(p_commit text, p_paths text[], p_blobs text[])
RETURNS TABLE (path text, commit_sha text, committed_at timestamptz, author text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    -- The commit that introduced a blob on p_commit's line has an index row for it, so when only
    -- one commit ever introduced that blob at that path, it is the one and needs no ancestry check.
    -- Otherwise the candidates on p_commit's first-parent line are found with one join against the
    -- line's chain segments, and the deepest of them wins.
    WITH wanted AS (
        SELECT w.path, w.blob FROM unnest(p_paths, p_blobs) AS w(path, blob)
    ), candidates AS MATERIALIZED (
        SELECT w.path, c.commit_sha, c.committed_at, c.author, c.fp_chain, c.fp_depth, count(*) OVER (PARTITION BY w.path) AS n
        FROM wanted w
        -- One index-only probe per path (OFFSET 0 keeps the planner from hashing the whole change log).
        CROSS JOIN LATERAL (SELECT c.commit_sha, c.committed_at, c.author, c.fp_chain, c.fp_depth FROM pggit_audit.change_log c
                            WHERE c.path = w.path AND c.new_sha = w.blob OFFSET 0) c
    ), line AS MATERIALIZED (
        SELECT s.chain, s.max_depth
        FROM pggit_v0._fp_line_segments(p_commit, (SELECT min(k.fp_depth) FROM candidates k WHERE k.n > 1)) s
        WHERE EXISTS (SELECT 1 FROM candidates k WHERE k.n > 1)
    )
    SELECT DISTINCT ON (k.path) k.path, k.commit_sha, k.committed_at, k.author
    FROM candidates k
    WHERE k.n = 1 OR EXISTS (SELECT 1 FROM line l WHERE l.chain = k.fp_chain AND k.fp_depth <= l.max_depth)
    ORDER BY k.path, k.fp_depth DESC;
END
$$;

-- The one object of a commit's tree that (schema, name[, type]) or a path names. A function,
-- procedure or aggregate may be named without its argument types; P0002 when nothing matches,
-- 22023 listing the candidates when more than one does.
CREATE OR REPLACE FUNCTION pggit_v0._find_object(p_commit text, p_schema_name text, p_object_name text,
    p_object_type text DEFAULT NULL, p_path text DEFAULT NULL)
RETURNS TABLE (path text, blob_sha text, schema_name text, object_name text, object_type text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    v_tree text := (SELECT g.tree_sha FROM pggit_v0.commit_graph g WHERE g.commit_sha = p_commit);
    v_prefix text;
    v_what text;
    v_paths text[];
    v_shas text[];
BEGIN
    IF p_object_type IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pggit_v0.object_kinds k WHERE k.object_type = p_object_type) THEN
        PERFORM pggit_v0._raise('22023', format('object type %L is unknown', p_object_type),
            (SELECT 'use one of ' || string_agg(k.object_type, ', ' ORDER BY k.apply_order) FROM pggit_v0.object_kinds k));
    END IF;
    IF p_path IS NOT NULL THEN
        IF p_schema_name IS NOT NULL OR p_object_name IS NOT NULL THEN
            PERFORM pggit_v0._raise('22023', format('path %L given together with schema %L and name %L', p_path, p_schema_name, p_object_name),
                'name the object either by its path or by schema and name');
        END IF;
        PERFORM pggit_v0._check_path(p_path);
        v_what := format('path %L', p_path);
        SELECT array_agg(p_path), array_agg(s.sha) INTO v_paths, v_shas
        FROM (SELECT pggit_v0._tree_path_sha(v_tree, p_path) AS sha) s, pggit_v0.path_object(p_path) po
        WHERE s.sha IS NOT NULL AND (p_object_type IS NULL OR po.object_type = p_object_type);
    ELSE
        IF coalesce(p_object_name, '') = '' THEN
            PERFORM pggit_v0._raise('22023', format('object name %L is empty', p_object_name),
                'name the object, e.g. get_object_definition(''public'', ''orders'')');
        END IF;
        v_prefix := CASE WHEN coalesce(p_schema_name, '') = '' THEN '.database/' ELSE pggit_v0.path_component(p_schema_name) || '/' END;
        v_what := CASE WHEN coalesce(p_schema_name, '') = '' THEN format('object %L', p_object_name)
                       ELSE format('object %L in schema %L', p_object_name, p_schema_name) END;
        -- An exact name is a point lookup in each kind's directory; only when none matches are the
        -- function-like directories listed to match a name given without its argument types.
        SELECT array_agg(c.path ORDER BY c.path COLLATE "C"), array_agg(c.sha ORDER BY c.path COLLATE "C") INTO v_paths, v_shas
        FROM (SELECT k.path, pggit_v0._tree_path_sha(v_tree, k.path) AS sha
              FROM (SELECT CASE WHEN v_prefix = '.database/' THEN '.database/extensions/' || pggit_v0.path_component(p_object_name) || '.sql'
                                ELSE pggit_v0.object_path(p_schema_name, ok.object_type, p_object_name) END AS path
                    FROM pggit_v0.object_kinds ok
                    WHERE (p_object_type IS NULL OR ok.object_type = p_object_type)
                      AND (ok.object_type = 'EXTENSION') = (v_prefix = '.database/')
                      AND ok.object_type <> 'SCHEMA'
                    UNION
                    SELECT pggit_v0.object_path(p_schema_name, 'SCHEMA', NULL)
                    WHERE v_prefix <> '.database/' AND p_object_name = p_schema_name AND coalesce(p_object_type, 'SCHEMA') = 'SCHEMA') k) c
        WHERE c.sha IS NOT NULL;
        IF v_paths IS NULL AND v_prefix <> '.database/' THEN
            SELECT array_agg(v_prefix || d.directory || '/' || e.name ORDER BY e.name COLLATE "C"),
                   array_agg(e.sha ORDER BY e.name COLLATE "C") INTO v_paths, v_shas
            FROM pggit_v0.object_kinds d
            CROSS JOIN LATERAL pggit_v0._tree_entries(pggit_v0._tree_path_sha(v_tree, v_prefix || d.directory || '/')) e
            WHERE d.object_type IN ('FUNCTION', 'PROCEDURE', 'AGGREGATE')
              AND (p_object_type IS NULL OR d.object_type = p_object_type)
              AND left(e.name, length(pggit_v0.path_component(p_object_name)) + 1) = pggit_v0.path_component(p_object_name) || '(';
        END IF;
    END IF;

    IF v_paths IS NULL THEN
        PERFORM pggit_v0._raise('P0002', format('%s not found at commit %s', v_what, left(p_commit, 12)),
            format('list the commit''s objects with pggit_v0.list_objects(%L)', p_commit));
    ELSIF cardinality(v_paths) > 1 THEN
        PERFORM pggit_v0._raise('22023', format('%s is ambiguous at commit %s: it matches %s', v_what, left(p_commit, 12), array_to_string(v_paths, ', ')),
            'give the function''s argument types, e.g. calc(integer, text), the object type, or the path');
    END IF;
    RETURN QUERY SELECT v_paths[1], v_shas[1], po.schema_name, po.object_name, po.object_type FROM pggit_v0.path_object(v_paths[1]) po;
END
$$;

-- ---------------------------------------------------------------------------
-- History
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0.get_commit_history(p_limit int DEFAULT 20, p_offset int DEFAULT 0)
RETURNS TABLE (commit_sha text, author text, message text, committed_at timestamptz, parent_shas text[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    PERFORM pggit_v0._check_limit(p_limit, 'limit');
    PERFORM pggit_v0._check_limit(p_offset, 'offset');
    RETURN QUERY
        SELECT g.commit_sha, g.author, g.message, g.committed_at, g.parent_shas
        FROM pggit_v0._first_parent_line(pggit_v0._history_start(NULL), p_offset, p_limit) g;
    PERFORM pggit_v0._track('get_commit_history', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_commit_history(int, int) IS 'The log of the checked-out branch: newest first along its first-parent line (like git log --first-parent), skipping p_offset commits and returning up to p_limit. Empty before the first commit. For deep pages use get_commit_history_after(), whose cost does not grow with depth.';

CREATE OR REPLACE FUNCTION pggit_v0.get_commit_history_after(p_after_sha text, p_limit int DEFAULT 20)
RETURNS TABLE (commit_sha text, author text, message text, committed_at timestamptz, parent_shas text[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
    v_start text;
BEGIN
    PERFORM pggit_v0._check_limit(p_limit, 'limit');
    v_start := CASE WHEN p_after_sha IS NULL THEN pggit_v0._history_start(NULL)
                    ELSE pggit_v0._first_parent(p_after_sha, 'after sha') END;
    RETURN QUERY
        SELECT g.commit_sha, g.author, g.message, g.committed_at, g.parent_shas
        FROM pggit_v0._first_parent_line(v_start, 0, p_limit) g;
    PERFORM pggit_v0._track('get_commit_history_after', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_commit_history_after(text, int) IS 'Keyset paging of get_commit_history(): up to p_limit commits along the first-parent line that follow p_after_sha (the last sha of the previous page; NULL = start at HEAD). Its cost does not grow with depth.';

CREATE OR REPLACE FUNCTION pggit_v0.list_commits(p_ref text DEFAULT NULL, p_after_sha text DEFAULT NULL, p_limit int DEFAULT 50,
    p_author text DEFAULT NULL, p_since timestamptz DEFAULT NULL)
RETURNS SETOF pggit_v0.commit_graph
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_start text;
BEGIN
    PERFORM pggit_v0._check_limit(p_limit, 'limit');
    v_start := CASE WHEN p_after_sha IS NULL THEN pggit_v0._history_start(p_ref)
                    ELSE pggit_v0._first_parent(p_after_sha, 'after sha') END;
    RETURN QUERY SELECT * FROM pggit_v0._first_parent_line(v_start, 0, p_limit, p_author, p_since);
    PERFORM pggit_v0._track('list_commits', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_commits(text, text, int, text, timestamptz) IS 'Keyset-paged log with filters, for the server: commits newest first along the first-parent line of p_ref (NULL = HEAD; empty before the first commit), starting after p_after_sha when given, matching p_author (name or email, case-insensitive) and committed at or after p_since.';

CREATE OR REPLACE FUNCTION pggit_v0.get_commit(p_ref text DEFAULT NULL)
RETURNS SETOF pggit_v0.commit_graph
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_sha text := pggit_v0.resolve_ref(p_ref);
BEGIN
    RETURN QUERY SELECT * FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_sha;
    PERFORM pggit_v0._track('get_commit', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_commit(text) IS 'The commit a revision names (anything resolve_ref() accepts; NULL = HEAD) as its commit_graph row; P0002 when there is none.';

-- ---------------------------------------------------------------------------
-- Branches
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0.list_branches_after(p_after_name text DEFAULT NULL, p_limit int DEFAULT NULL)
RETURNS TABLE (branch_name text, head_sha text, created_at timestamptz, created_by text, updated_at timestamptz, checked_out boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF p_limit IS NOT NULL THEN
        PERFORM pggit_v0._check_limit(p_limit, 'limit');
    END IF;
    RETURN QUERY
        SELECT r.name::text, r.target_sha::text, r.created_at, r.created_by, r.updated_at, r.name = pggit_v0._head_branch()
        FROM pggit_v0.refs r
        WHERE r.type = 'branch' AND (p_after_name IS NULL OR r.name > p_after_name)
        ORDER BY r.name
        LIMIT p_limit;
    PERFORM pggit_v0._track('list_branches_after', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_branches_after(text, int) IS 'Keyset-paged branch list, for the server: branches named after p_after_name (bytewise; NULL = from the first), up to p_limit (NULL = all), with creator, last move and whether each is checked out.';

CREATE OR REPLACE FUNCTION pggit_v0.list_branches()
RETURNS TABLE (branch_name text, head_sha text, created_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY
        SELECT r.name::text, r.target_sha::text, r.created_at
        FROM pggit_v0.refs r WHERE r.type = 'branch' ORDER BY r.name;
    PERFORM pggit_v0._track('list_branches', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_branches() IS 'Every branch in name order (bytewise): name, the commit it points at, when it was created.';

-- ---------------------------------------------------------------------------
-- Objects
-- ---------------------------------------------------------------------------
-- The objects of a commit (resolved; NULL = no commit: no rows) after a path, with the commit
-- that introduced each one's current version; size only when p_sizes (one probe per object).
CREATE OR REPLACE FUNCTION pggit_v0._list_objects(p_commit text, p_after_path text, p_limit int, p_sizes boolean DEFAULT true)
RETURNS TABLE (path text, schema_name text, object_name text, object_type text, blob_sha text, size bigint,
               last_modified_at timestamptz, modified_by text, last_modified_sha text, commit_sha text)
-- Generic plans: every lookup below is a per-row probe and _introductions is opaque, so no plan
-- can hash a whole table, and planning on every call would cost more than it could save.
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    v_tree text := (SELECT g.tree_sha FROM pggit_v0.commit_graph g WHERE g.commit_sha = p_commit);
    v_paths text[];
    v_shas text[];
BEGIN
    SELECT array_agg(b.path ORDER BY b.path COLLATE "C"), array_agg(b.sha ORDER BY b.path COLLATE "C") INTO v_paths, v_shas
    FROM (SELECT b.path, b.sha FROM pggit_v0._tree_blobs(v_tree) b
          WHERE p_after_path IS NULL OR b.path COLLATE "C" > p_after_path
          ORDER BY b.path COLLATE "C" LIMIT p_limit) b;
    RETURN QUERY
        SELECT p.path, po.schema_name, po.object_name, po.object_type, p.sha,
               -- One index probe per blob, and only when asked for (a subplan the planner cannot hash).
               CASE WHEN p_sizes THEN (SELECT o.size FROM pggit_v0.objects o WHERE o.sha = p.sha)::bigint END,
               i.committed_at, i.author, i.commit_sha, p_commit
        FROM unnest(v_paths, v_shas) WITH ORDINALITY AS p(path, sha, ord)
        CROSS JOIN LATERAL pggit_v0.path_object(p.path) po
        LEFT JOIN pggit_v0._introductions(p_commit, v_paths, v_shas) i ON i.path = p.path
        ORDER BY p.ord;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.list_objects_after(p_commit_sha text DEFAULT NULL, p_after_path text DEFAULT NULL, p_limit int DEFAULT NULL)
RETURNS TABLE (path text, schema_name text, object_name text, object_type text, blob_sha text, size bigint,
               last_modified_at timestamptz, modified_by text, last_modified_sha text, commit_sha text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF p_limit IS NOT NULL THEN
        PERFORM pggit_v0._check_limit(p_limit, 'limit');
    END IF;
    RETURN QUERY SELECT * FROM pggit_v0._list_objects(pggit_v0._history_start(p_commit_sha), p_after_path, p_limit);
    PERFORM pggit_v0._track('list_objects_after', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_objects_after(text, text, int) IS 'Keyset-paged list_objects(), for the server: the objects of a commit (NULL = HEAD) whose path sorts after p_after_path (git order), up to p_limit (NULL = all), with path, blob, size, and when, by whom and in which commit each object''s current version was introduced.';

CREATE OR REPLACE FUNCTION pggit_v0.list_objects(p_commit_sha text DEFAULT NULL)
RETURNS TABLE (schema_name text, object_name text, object_type text, created_at timestamptz, created_by text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY
        SELECT o.schema_name, o.object_name, o.object_type, o.last_modified_at, o.modified_by
        FROM pggit_v0._list_objects(pggit_v0._history_start(p_commit_sha), NULL, NULL, false) o;
    PERFORM pggit_v0._track('list_objects', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_objects(text) IS 'Every object of a commit (NULL = HEAD of the checked-out branch) in path order: schema, name, type, and when and by whom the object''s current version was introduced on the commit''s first-parent line (not the commit''s own date).';

-- One object at a resolved commit: DDL, blob, size and the commit that introduced its current version.
CREATE OR REPLACE FUNCTION pggit_v0._object_at(p_commit text, p_schema_name text, p_object_name text,
    p_object_type text, p_path text)
RETURNS TABLE (path text, schema_name text, object_name text, object_type text, blob_sha text, size bigint,
               definition text, last_modified_at timestamptz, modified_by text, last_modified_sha text, commit_sha text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    v_object record;
BEGIN
    SELECT * INTO v_object FROM pggit_v0._find_object(p_commit, p_schema_name, p_object_name, p_object_type, p_path);
    RETURN QUERY
        SELECT v_object.path, v_object.schema_name, v_object.object_name, v_object.object_type, v_object.blob_sha,
               o.size::bigint, convert_from(o.data, 'UTF8'), i.committed_at, i.author, i.commit_sha, p_commit
        FROM pggit_v0.objects o
        LEFT JOIN pggit_v0._introductions(p_commit, ARRAY[v_object.path], ARRAY[v_object.blob_sha]) i ON true
        WHERE o.sha = v_object.blob_sha;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.get_object(p_schema_name text, p_object_name text, p_commit_sha text DEFAULT NULL,
    p_object_type text DEFAULT NULL, p_path text DEFAULT NULL)
RETURNS TABLE (path text, schema_name text, object_name text, object_type text, blob_sha text, size bigint,
               definition text, last_modified_at timestamptz, modified_by text, last_modified_sha text, commit_sha text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY SELECT * FROM pggit_v0._object_at(pggit_v0.resolve_ref(p_commit_sha), p_schema_name, p_object_name, p_object_type, p_path);
    PERFORM pggit_v0._track('get_object', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_object(text, text, text, text, text) IS 'One object at a commit (NULL = HEAD), for the server: named by schema and name (functions with or without argument types), optionally narrowed by object type, or by its path (schema and name NULL); its DDL, blob, size, and the commit that introduced its current version.';

CREATE OR REPLACE FUNCTION pggit_v0.get_object_definition(p_schema_name text, p_object_name text, p_commit_sha text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_object record;
    v_definition text;
BEGIN
    SELECT * INTO v_object FROM pggit_v0._find_object(pggit_v0.resolve_ref(p_commit_sha), p_schema_name, p_object_name);
    SELECT convert_from(o.data, 'UTF8') INTO v_definition FROM pggit_v0.objects o WHERE o.sha = v_object.blob_sha;
    PERFORM pggit_v0._track('get_object_definition', v_started);
    RETURN v_definition;
END
$$;
COMMENT ON FUNCTION pggit_v0.get_object_definition(text, text, text) IS 'The canonical DDL of an object at a commit (NULL = HEAD). Functions may be named with or without argument types; an ambiguous name is an error listing the candidates.';

CREATE OR REPLACE FUNCTION pggit_v0.get_object_metadata(p_schema_name text, p_object_name text, p_commit_sha text DEFAULT NULL)
RETURNS TABLE (object_type text, size bigint, last_modified_at timestamptz, modified_by text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY
        SELECT o.object_type, o.size, o.last_modified_at, o.modified_by
        FROM pggit_v0._object_at(pggit_v0.resolve_ref(p_commit_sha), p_schema_name, p_object_name, NULL, NULL) o;
    PERFORM pggit_v0._track('get_object_metadata', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_object_metadata(text, text, text) IS 'An object''s type, DDL size in bytes, and when and by whom its version at that commit (NULL = HEAD) was introduced on the commit''s first-parent line.';

CREATE OR REPLACE FUNCTION pggit_v0.get_current_schema()
RETURNS TABLE (schema_name text, object_name text, object_type text, created_at timestamptz, created_by text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY
        SELECT o.schema_name, o.object_name, o.object_type, o.last_modified_at, o.modified_by
        FROM pggit_v0._list_objects(pggit_v0._history_start(NULL), NULL, NULL, false) o;
    PERFORM pggit_v0._track('get_current_schema', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_current_schema() IS 'The objects at HEAD of the checked-out branch: the same columns as list_objects(NULL).';
