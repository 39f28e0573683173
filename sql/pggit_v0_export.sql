-- pggit_v0 export: what a repository export carries (HistoryService.ExportRepository,
-- Export-PgGitRepository). A whole export is every object and ref; an export of some branches is
-- what `git rev-list --objects <branches>` lists, those branch refs and the tags inside them.

-- Every object reachable from some revisions, as `git rev-list --objects` lists it: the commits
-- and their whole history, their trees, every subtree and every blob.
-- Trees are expanded level by level, each distinct tree once (10,000 commits mostly share their
-- subtrees). A tree stored as a delta against a tree already found contributes only its delta's
-- entries: the rest are its base's entries, which the base contributes itself (by induction on delta
-- depth, since a base is always shallower), so the delta chains are resolved only for trees whose
-- base is not reachable.
CREATE OR REPLACE FUNCTION pggit_v0.reachable_objects(p_refs text[])
RETURNS TABLE (sha text, type text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_tips text[];
    v_commits text[];
    v_trees text[];
    v_frontier text[];
    v_subtrees text[];
    v_blobs text[] := '{}';
    v_new_blobs text[];
BEGIN
    SELECT coalesce(array_agg(DISTINCT pggit_v0.resolve_ref(r)), '{}') INTO v_tips FROM unnest(p_refs) AS r;

    SELECT coalesce(array_agg(c.commit_sha), '{}'), coalesce(array_agg(DISTINCT g.tree_sha), '{}')
    INTO v_commits, v_frontier
    FROM pggit_v0._reachable_commits(v_tips) c
    JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha COLLATE "C";
    v_trees := v_frontier;

    WHILE cardinality(v_frontier) > 0 LOOP
        WITH frontier AS (
            SELECT t.sha, t.names, t.shas, seen.sha IS NOT NULL AS base_found
            FROM unnest(v_frontier) AS f(sha)
            JOIN pggit_v0.trees t ON t.sha = f.sha COLLATE "C"
            LEFT JOIN unnest(v_trees) AS seen(sha) ON seen.sha COLLATE "C" = t.base_sha
        ), entries AS (
            SELECT d.name, d.sha FROM frontier f CROSS JOIN LATERAL unnest(f.names, f.shas) AS d(name, sha)
            WHERE f.base_found AND d.sha IS NOT NULL
            UNION ALL
            SELECT e.name, e.sha FROM frontier f CROSS JOIN LATERAL pggit_v0._tree_entries(f.sha) e
            WHERE NOT f.base_found
        )
        SELECT coalesce(array_agg(DISTINCT e.sha) FILTER (WHERE right(e.name, 1) = '/'), '{}'),
               coalesce(array_agg(DISTINCT e.sha) FILTER (WHERE right(e.name, 1) <> '/'), '{}')
        INTO v_subtrees, v_new_blobs
        FROM entries e;

        SELECT coalesce(array_agg(s.sha), '{}') INTO v_frontier
        FROM unnest(v_subtrees) AS s(sha)
        WHERE NOT EXISTS (SELECT 1 FROM unnest(v_trees) AS seen(sha) WHERE seen.sha = s.sha);
        v_trees := v_trees || v_frontier;
        v_blobs := v_blobs || v_new_blobs;
    END LOOP;

    RETURN QUERY
        SELECT c, 'commit'::text FROM unnest(v_commits) AS c
        UNION ALL
        SELECT t, 'tree'::text FROM unnest(v_trees) AS t
        UNION ALL
        SELECT DISTINCT b, 'blob'::text FROM unnest(v_blobs) AS b;
    PERFORM pggit_v0._track('reachable_objects', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.reachable_objects(text[]) IS 'Every object reachable from some revisions (anything resolve_ref() accepts): their commits and all their ancestors, those commits'' trees, subtrees and blobs, each once; the set `git rev-list --objects` lists. P0002 for a revision that names nothing.';

-- The branch names an export of some branches carries, checked: NULL or empty = every branch.
CREATE OR REPLACE FUNCTION pggit_v0._export_branches(p_branches text[]) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_branch text;
    v_branches text[] := '{}';
BEGIN
    FOREACH v_branch IN ARRAY coalesce(p_branches, '{}') LOOP
        IF v_branch IS NULL OR NOT EXISTS (SELECT 1 FROM pggit_v0.refs r WHERE r.name = v_branch AND r.type = 'branch') THEN
            PERFORM pggit_v0._raise('P0002', format('branch %L not found', v_branch), 'list branches with pggit_v0.list_branches()');
        END IF;
        IF NOT v_branch = ANY (v_branches) THEN
            v_branches := v_branches || v_branch;
        END IF;
    END LOOP;
    RETURN v_branches;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.export_refs(p_branches text[] DEFAULT NULL)
RETURNS TABLE (name text, type text, target_sha text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_branches text[] := pggit_v0._export_branches(p_branches);
BEGIN
    IF cardinality(v_branches) = 0 THEN
        RETURN QUERY SELECT r.name::text, r.type, r.target_sha::text FROM pggit_v0.refs r ORDER BY r.name COLLATE "C";
        RETURN;
    END IF;
    RETURN QUERY
        WITH branches AS (
            SELECT r.name, r.type, r.target_sha FROM pggit_v0.refs r
            WHERE r.type = 'branch' AND r.name = ANY (v_branches)
        )
        SELECT b.name::text, b.type, b.target_sha::text FROM branches b
        UNION ALL
        SELECT r.name::text, r.type, r.target_sha::text FROM pggit_v0.refs r
        WHERE r.type = 'tag'
          AND r.target_sha IN (SELECT c.commit_sha COLLATE "C"
                               FROM pggit_v0._reachable_commits(ARRAY(SELECT b.target_sha FROM branches b)) c)
        ORDER BY 1;
END
$$;
COMMENT ON FUNCTION pggit_v0.export_refs(text[]) IS 'The refs an export carries. NULL or empty = every branch and tag; otherwise those branches (P0002 naming one that does not exist) and the tags that point at commits they reach. Objects: reachable_objects(the branches'' target_sha).';

CREATE OR REPLACE FUNCTION pggit_v0.export_head(p_branches text[] DEFAULT NULL) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_branches text[] := pggit_v0._export_branches(p_branches);
    v_head text := pggit_v0._head_branch();
BEGIN
    IF cardinality(v_branches) = 0 OR v_head = ANY (v_branches) THEN
        RETURN v_head;
    END IF;
    RETURN v_branches[1];
END
$$;
COMMENT ON FUNCTION pggit_v0.export_head(text[]) IS 'The branch an export''s HEAD names: the checked-out branch when the export carries it (NULL or empty = every branch), else the first branch listed. P0002 naming a branch that does not exist.';
