-- pggit_v0 history machinery: tree diffs (identical subtrees skipped unread), first-parent
-- ancestor lookups in O(log n), merge bases, and the per-object change index that the
-- pggit_audit layer exposes (filled for every commit from its diff against its first parent).

-- ---------------------------------------------------------------------------
-- First-parent navigation
-- ---------------------------------------------------------------------------
-- The first-parent ancestor of p_commit at first-parent depth p_depth; NULL when out of range.
-- Follows skew-binary jump pointers (commit_graph.fp_jump): O(log n) steps at any depth.
CREATE OR REPLACE FUNCTION pggit_v0._fp_ancestor(p_commit text, p_depth integer) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_sha text := p_commit;
    v_depth integer;
    v_jump text;
    v_jump_depth integer;
    v_parent text;
BEGIN
    SELECT g.fp_depth INTO v_depth FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_sha;
    IF v_depth IS NULL OR p_depth IS NULL OR p_depth < 0 OR p_depth > v_depth THEN
        RETURN NULL;
    END IF;
    WHILE v_depth > p_depth LOOP
        SELECT g.fp_jump, j.fp_depth, g.parent_shas[1] INTO v_jump, v_jump_depth, v_parent
        FROM pggit_v0.commit_graph g JOIN pggit_v0.commit_graph j ON j.commit_sha = g.fp_jump
        WHERE g.commit_sha = v_sha;
        IF v_jump_depth >= p_depth AND v_jump_depth < v_depth THEN
            v_sha := v_jump;
            v_depth := v_jump_depth;
        ELSE
            v_sha := v_parent;
            v_depth := v_depth - 1;
        END IF;
    END LOOP;
    RETURN v_sha;
END
$$;

-- Is p_ancestor on p_commit's first-parent line (or p_commit itself)?
CREATE OR REPLACE FUNCTION pggit_v0._on_first_parent_line(p_ancestor text, p_commit text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pggit_v0._fp_ancestor(p_commit, (SELECT fp_depth FROM pggit_v0.commit_graph WHERE commit_sha = p_ancestor)) = p_ancestor
$$;

-- p_commit's first-parent line as segments of first-parent chains (commit_graph.fp_chain): a
-- commit X is on the line exactly when some segment has X's chain and depth >= X's depth. Segments
-- whose commits all lie below p_min_depth are not returned. One row per chain the line passes.
CREATE OR REPLACE FUNCTION pggit_v0._fp_line_segments(p_commit text, p_min_depth integer DEFAULT 0)
RETURNS TABLE (chain bigint, max_depth integer)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE line AS (
        SELECT g.fp_chain AS chain, g.fp_depth AS max_depth FROM pggit_v0.commit_graph g WHERE g.commit_sha = p_commit
        UNION ALL
        SELECT g.fp_chain, g.fp_depth
        FROM line l
        JOIN pggit_v0.fp_chains c ON c.chain_id = l.chain
        JOIN pggit_v0.commit_graph g ON g.commit_sha = c.base_sha
        WHERE g.fp_depth >= coalesce(p_min_depth, 0)
    )
    SELECT l.chain, l.max_depth FROM line l
$$;

-- The lowest common ancestor of two commits' first-parent lines (NULL for unrelated histories).
CREATE OR REPLACE FUNCTION pggit_v0._fp_common_ancestor(p_a text, p_b text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_a text;
    v_b text;
    v_low integer := 0;
    v_high integer;
    v_mid integer;
BEGIN
    SELECT least(a.fp_depth, b.fp_depth) INTO v_high
    FROM pggit_v0.commit_graph a, pggit_v0.commit_graph b WHERE a.commit_sha = p_a AND b.commit_sha = p_b;
    IF v_high IS NULL OR pggit_v0._fp_ancestor(p_a, 0) IS DISTINCT FROM pggit_v0._fp_ancestor(p_b, 0) THEN
        RETURN NULL;
    END IF;
    -- Binary search for the deepest depth at which both lines pass through the same commit.
    WHILE v_low < v_high LOOP
        v_mid := (v_low + v_high + 1) / 2;
        v_a := pggit_v0._fp_ancestor(p_a, v_mid);
        v_b := pggit_v0._fp_ancestor(p_b, v_mid);
        IF v_a = v_b THEN
            v_low := v_mid;
        ELSE
            v_high := v_mid - 1;
        END IF;
    END LOOP;
    RETURN pggit_v0._fp_ancestor(p_a, v_low);
END
$$;

-- True when the first-parent segment from p_tip down to (not including) its first-parent
-- ancestor p_base is all of p_tip's history above p_base and nothing else reaches into it: no
-- merge commit on it (so its commits have no other parents) and no commit outside it has one of
-- its commits as a parent (it was never merged or branched from). Then the best common ancestor
-- of p_tip and any commit whose first-parent line meets it at p_base is p_base itself.
-- Index scans only: the planner costs the GIN probe of a segment of a hundred commits above
-- reading the whole commit graph, which takes several times longer (and grows with history).
CREATE OR REPLACE FUNCTION pggit_v0._merge_free_above(p_tip text, p_base text) RETURNS boolean
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
DECLARE
    v_tip pggit_v0.commit_graph;
    v_base pggit_v0.commit_graph;
    v_segment text[];
BEGIN
    SELECT * INTO v_tip FROM pggit_v0.commit_graph WHERE commit_sha = p_tip;
    SELECT * INTO v_base FROM pggit_v0.commit_graph WHERE commit_sha = p_base;
    IF v_tip.fp_merges <> v_base.fp_merges OR v_tip.fp_depth - v_base.fp_depth > 2000 THEN
        RETURN false;
    END IF;
    IF p_tip = p_base THEN
        RETURN true;
    END IF;
    WITH RECURSIVE segment AS (
        SELECT g.commit_sha, g.parent_shas[1] AS parent FROM pggit_v0.commit_graph g WHERE g.commit_sha = p_tip
        UNION ALL
        SELECT g.commit_sha, g.parent_shas[1] FROM segment s JOIN pggit_v0.commit_graph g ON g.commit_sha = s.parent
        WHERE s.parent <> p_base
    )
    SELECT array_agg(commit_sha) INTO v_segment FROM segment;
    RETURN NOT EXISTS (
        SELECT 1 FROM pggit_v0.commit_graph c
        WHERE c.parent_shas && v_segment AND NOT (c.commit_sha = ANY (v_segment)));
END
$$;

-- Best common ancestors of two commits, as git merge-base --all finds them, deepest first.
-- The search looks at a window of generations below the lower tip and widens it until it
-- finds a common ancestor: whatever is maximal inside the window is a best common ancestor,
-- because every descendant of a commit has a higher generation. The first-parent common
-- ancestor bounds the widening; a criss-cross base below the window's floor is not reported.
CREATE OR REPLACE FUNCTION pggit_v0._merge_bases(p_a text, p_b text) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_fp_base text;
    v_fp_floor integer;
    v_top integer;
    v_window integer := 64;
    v_floor integer;
    v_bases text[];
BEGIN
    IF p_a = p_b THEN
        RETURN ARRAY[p_a];
    END IF;
    SELECT least(a.generation, b.generation) INTO v_top
    FROM pggit_v0.commit_graph a, pggit_v0.commit_graph b WHERE a.commit_sha = p_a AND b.commit_sha = p_b;
    v_fp_base := pggit_v0._fp_common_ancestor(p_a, p_b);
    IF v_fp_base IS NOT NULL AND (pggit_v0._merge_free_above(p_a, v_fp_base) OR pggit_v0._merge_free_above(p_b, v_fp_base)) THEN
        RETURN ARRAY[v_fp_base];
    END IF;
    SELECT generation INTO v_fp_floor FROM pggit_v0.commit_graph WHERE commit_sha = v_fp_base;
    v_fp_floor := coalesce(v_fp_floor, 0);
    LOOP
        v_floor := greatest(v_top - v_window, v_fp_floor);
        WITH RECURSIVE
        from_a(sha) AS (
            SELECT p_a COLLATE "C"
            UNION
            SELECT p.sha FROM from_a a JOIN pggit_v0.commit_graph g ON g.commit_sha = a.sha
            CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
            JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= v_floor
        ),
        from_b(sha) AS (
            SELECT p_b COLLATE "C"
            UNION
            SELECT p.sha FROM from_b b JOIN pggit_v0.commit_graph g ON g.commit_sha = b.sha
            CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
            JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= v_floor
        ),
        common AS MATERIALIZED (SELECT sha FROM from_a INTERSECT SELECT sha FROM from_b),
        below_common(sha) AS (
            SELECT p.sha FROM common c JOIN pggit_v0.commit_graph g ON g.commit_sha = c.sha
            CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
            UNION
            SELECT p.sha FROM below_common b JOIN pggit_v0.commit_graph g ON g.commit_sha = b.sha
            CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
            JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= v_floor
        )
        SELECT array_agg(c.sha ORDER BY g.generation DESC, c.sha) INTO v_bases
        FROM common c JOIN pggit_v0.commit_graph g ON g.commit_sha = c.sha
        WHERE NOT EXISTS (SELECT 1 FROM below_common b WHERE b.sha = c.sha);
        EXIT WHEN v_bases IS NOT NULL OR v_floor <= v_fp_floor;
        v_window := v_window * 4;
    END LOOP;
    RETURN coalesce(v_bases, '{}');
END
$$;

-- ---------------------------------------------------------------------------
-- Tree diffs
-- ---------------------------------------------------------------------------
-- The entries that differ between two trees at one level (paths prefixed). When one tree is
-- stored as a delta of the other, the delta already lists exactly the changed names.
CREATE OR REPLACE FUNCTION pggit_v0._diff_tree_level(p_prefix text, p_old text, p_new text)
RETURNS TABLE (path text, old_sha text, new_sha text)
LANGUAGE sql STABLE AS $$
    SELECT p_prefix || d.name, pggit_v0._tree_entry(p_old, d.name), d.sha
    FROM pggit_v0.trees t CROSS JOIN LATERAL unnest(t.names, t.shas) AS d(name, sha)
    WHERE t.sha = p_new AND t.base_sha = p_old
    UNION ALL
    SELECT p_prefix || d.name, d.sha, pggit_v0._tree_entry(p_new, d.name)
    FROM pggit_v0.trees t CROSS JOIN LATERAL unnest(t.names, t.shas) AS d(name, sha)
    WHERE t.sha = p_old AND t.base_sha = p_new
    UNION ALL
    SELECT p_prefix || coalesce(o.name, n.name), o.sha, n.sha
    FROM pggit_v0._tree_entries(p_old) o
    FULL JOIN pggit_v0._tree_entries(p_new) n ON n.name = o.name
    WHERE o.sha IS DISTINCT FROM n.sha
      AND NOT EXISTS (SELECT 1 FROM pggit_v0.trees t
                      WHERE (t.sha = p_new AND t.base_sha = p_old) OR (t.sha = p_old AND t.base_sha = p_new))
$$;

-- Every blob path that differs between two trees (NULL = empty tree), with both blob ids.
-- Identical subtrees have equal ids and are never read. The walk starts from a row for the root
-- (path '') so that _diff_tree_level appears once in the plan, not twice: starting the executor
-- on that plan is most of the cost of a small diff.
CREATE OR REPLACE FUNCTION pggit_v0._diff_trees(p_old text, p_new text)
RETURNS TABLE (path text, old_sha text, new_sha text)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE walk AS (
        SELECT ''::text AS path, p_old AS old_sha, p_new AS new_sha
        UNION ALL
        SELECT l.path, l.old_sha, l.new_sha
        FROM walk w CROSS JOIN LATERAL pggit_v0._diff_tree_level(w.path, w.old_sha, w.new_sha) l
        WHERE w.path = '' OR right(w.path, 1) = '/'
    )
    SELECT w.path, w.old_sha, w.new_sha FROM walk w WHERE w.path <> '' AND right(w.path, 1) <> '/'
    ORDER BY w.path COLLATE "C"
$$;

-- ---------------------------------------------------------------------------
-- The per-object change index and the audit layer
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pggit_audit.change_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commit_sha  text COLLATE "C" NOT NULL REFERENCES pggit_v0.commit_graph (commit_sha),
    path        text COLLATE "C" NOT NULL,
    schema_name text COLLATE "C",
    object_name text COLLATE "C",
    object_type text NOT NULL,
    change_type text NOT NULL CHECK (change_type IN ('CREATE', 'ALTER', 'DROP')),
    old_sha     text COLLATE "C",
    new_sha     text COLLATE "C",
    -- The commit's first-parent chain and depth, time and author (copies of commit_graph's), so
    -- "which commit introduced this version on this line" is answered from the index alone.
    fp_chain    bigint,
    fp_depth    integer,
    committed_at timestamptz,
    author      text
);
-- Upgrades: rows written before the copies existed get them from commit_graph.
ALTER TABLE pggit_audit.change_log ADD COLUMN IF NOT EXISTS fp_chain bigint;
ALTER TABLE pggit_audit.change_log ADD COLUMN IF NOT EXISTS fp_depth integer;
ALTER TABLE pggit_audit.change_log ADD COLUMN IF NOT EXISTS committed_at timestamptz;
ALTER TABLE pggit_audit.change_log ADD COLUMN IF NOT EXISTS author text;
UPDATE pggit_audit.change_log c SET fp_chain = g.fp_chain, fp_depth = g.fp_depth, committed_at = g.committed_at, author = g.author
FROM pggit_v0.commit_graph g WHERE g.commit_sha = c.commit_sha AND c.fp_chain IS NULL;
ALTER TABLE pggit_audit.change_log ALTER COLUMN fp_chain SET NOT NULL, ALTER COLUMN fp_depth SET NOT NULL,
    ALTER COLUMN committed_at SET NOT NULL, ALTER COLUMN author SET NOT NULL;
CREATE INDEX IF NOT EXISTS change_log_object ON pggit_audit.change_log (schema_name, object_name);
CREATE INDEX IF NOT EXISTS change_log_commit ON pggit_audit.change_log (commit_sha);
-- Introductions of a version (path, blob): index-only, with where and when each happened.
CREATE INDEX IF NOT EXISTS change_log_introductions ON pggit_audit.change_log (path, new_sha)
    INCLUDE (commit_sha, fp_chain, fp_depth, committed_at, author);
DROP INDEX IF EXISTS pggit_audit.change_log_path_version;
COMMENT ON TABLE pggit_audit.change_log IS 'One row per object per commit that changed it against its first parent (a root commit creates everything): the index behind object histories and the audit views.';

CREATE OR REPLACE VIEW pggit_audit.changes AS
SELECT c.id, c.commit_sha, c.path, c.schema_name, c.object_name, c.object_type, c.change_type,
       convert_from(o.data, 'UTF8') AS old_ddl, convert_from(n.data, 'UTF8') AS new_ddl,
       c.old_sha, c.new_sha, g.author, g.author_email, g.committed_at, g.message, g.parent_shas[1] AS parent_sha
FROM pggit_audit.change_log c
JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha
LEFT JOIN pggit_v0.objects o ON o.sha = c.old_sha
LEFT JOIN pggit_v0.objects n ON n.sha = c.new_sha;
COMMENT ON VIEW pggit_audit.changes IS 'Every object change of every commit against its first parent: CREATE / ALTER / DROP with old and new DDL, author and message.';

CREATE OR REPLACE VIEW pggit_audit.object_versions AS
SELECT DISTINCT ON (c.path, c.new_sha)
       c.path, c.schema_name, c.object_name, c.object_type, c.new_sha AS blob_sha,
       convert_from(o.data, 'UTF8') AS ddl, o.size, c.commit_sha AS introduced_in,
       g.committed_at AS introduced_at, g.author AS introduced_by
FROM pggit_audit.change_log c
JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha
JOIN pggit_v0.objects o ON o.sha = c.new_sha
ORDER BY c.path, c.new_sha, g.generation, g.committed_at, c.commit_sha;
COMMENT ON VIEW pggit_audit.object_versions IS 'Each distinct version (blob) an object has had, with the commit, time and author that first introduced it.';

CREATE TABLE IF NOT EXISTS pggit_audit.compliance_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    logged_at   timestamptz NOT NULL DEFAULT now(),
    commit_sha  text COLLATE "C" NOT NULL,
    parent_sha  text COLLATE "C",
    author      text NOT NULL,
    committer   text NOT NULL,
    committed_at timestamptz NOT NULL,
    message     text NOT NULL,
    creates     integer NOT NULL,
    alters      integer NOT NULL,
    drops       integer NOT NULL,
    paths       text[] NOT NULL,
    recorded_by text NOT NULL
);
CREATE INDEX IF NOT EXISTS compliance_log_commit ON pggit_audit.compliance_log (commit_sha);
COMMENT ON TABLE pggit_audit.compliance_log IS 'Append-only record of every commit written: who, when, why, and which objects it created, altered and dropped. UPDATE, DELETE and TRUNCATE are rejected.';

CREATE OR REPLACE FUNCTION pggit_audit._reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '42501',
        MESSAGE = format('pggit_audit.compliance_log is append-only: %s is not allowed', tg_op),
        HINT = 'compliance records are immutable; add a new record instead';
END
$$;
DROP TRIGGER IF EXISTS compliance_log_immutable ON pggit_audit.compliance_log;
CREATE TRIGGER compliance_log_immutable BEFORE UPDATE OR DELETE ON pggit_audit.compliance_log
    FOR EACH ROW EXECUTE FUNCTION pggit_audit._reject_change();
DROP TRIGGER IF EXISTS compliance_log_no_truncate ON pggit_audit.compliance_log;
CREATE TRIGGER compliance_log_no_truncate BEFORE TRUNCATE ON pggit_audit.compliance_log
    FOR EACH STATEMENT EXECUTE FUNCTION pggit_audit._reject_change();

-- Rollups of commits and change_log, so views do not aggregate all history on every read:
--   object_change_rollup  per object and author (most_changed_objects)
--   daily_change_rollup   per UTC day, with daily_authors / daily_objects for its distinct counts
--                         (daily_change_summary)
--   author_rollup         commits per author (recent_commits_by_author)
-- A commit queues itself in rollup_queue; once 64 commits or 256 change rows are queued, one
-- committing transaction folds the queue into every rollup. Only one transaction folds at a time
-- (a try-lock, so nobody waits for it), and a commit never updates a row another open transaction
-- may hold: the rollups add no lock waits or deadlocks between committers. Readers add what is
-- still queued, so a view always equals aggregating change_log directly.
CREATE TABLE IF NOT EXISTS pggit_audit.object_change_rollup (
    path            text COLLATE "C" NOT NULL,
    author          text NOT NULL,
    schema_name     text COLLATE "C",
    object_name     text COLLATE "C",
    object_type     text NOT NULL,
    changes         bigint NOT NULL,
    alters          bigint NOT NULL,
    last_at         timestamptz NOT NULL,  -- committed_at of this author's latest change to the object
    last_generation integer NOT NULL,      -- and that commit's generation (ties on time)
    PRIMARY KEY (path, author)
);
COMMENT ON TABLE pggit_audit.object_change_rollup IS 'change_log folded per object and author (changes, alters, latest change); the changes of commits still in rollup_queue are not in it yet. Read by pggit_v0.most_changed_objects.';
CREATE TABLE IF NOT EXISTS pggit_audit.daily_change_rollup (
    day             date PRIMARY KEY,      -- UTC
    commits         bigint NOT NULL,
    authors         bigint NOT NULL,
    creates         bigint NOT NULL,
    alters          bigint NOT NULL,
    drops           bigint NOT NULL,
    objects_changed bigint NOT NULL
);
COMMENT ON TABLE pggit_audit.daily_change_rollup IS 'Commits and change_log folded per UTC day (commits, distinct authors, creates / alters / drops, distinct objects changed); commits still in rollup_queue are not in it yet. Read by pggit_v0.daily_change_summary.';
CREATE TABLE IF NOT EXISTS pggit_audit.daily_authors (
    day    date NOT NULL,
    author text NOT NULL,
    PRIMARY KEY (day, author)
);
COMMENT ON TABLE pggit_audit.daily_authors IS 'The authors of each UTC day''s folded commits: what daily_change_rollup.authors counts.';
CREATE TABLE IF NOT EXISTS pggit_audit.daily_objects (
    day  date NOT NULL,
    path text COLLATE "C" NOT NULL,
    PRIMARY KEY (day, path)
);
COMMENT ON TABLE pggit_audit.daily_objects IS 'The objects each UTC day''s folded commits changed: what daily_change_rollup.objects_changed counts.';
-- Per author, by its own install check: tables added after the others are filled on their own.
DO $$
BEGIN
    IF to_regclass('pggit_audit.author_rollup') IS NULL THEN
        CREATE TABLE pggit_audit.author_rollup (
            author       text NOT NULL,
            author_email text NOT NULL,
            commits      bigint NOT NULL,
            PRIMARY KEY (author, author_email)
        );
        -- Every commit not queued (rollup_queue may not exist yet: then none is).
        IF to_regclass('pggit_audit.rollup_queue') IS NULL THEN
            INSERT INTO pggit_audit.author_rollup (author, author_email, commits)
            SELECT g.author, g.author_email, count(*) FROM pggit_v0.commit_graph g GROUP BY g.author, g.author_email;
        ELSE
            INSERT INTO pggit_audit.author_rollup (author, author_email, commits)
            SELECT g.author, g.author_email, count(*) FROM pggit_v0.commit_graph g
            WHERE NOT EXISTS (SELECT 1 FROM pggit_audit.rollup_queue q WHERE q.commit_sha = g.commit_sha)
            GROUP BY g.author, g.author_email;
        END IF;
    END IF;
END
$$;
COMMENT ON TABLE pggit_audit.author_rollup IS 'Commits per author folded so far; commits still in rollup_queue are not in it yet. Read by pggit_v0.recent_commits_by_author.';
CREATE TABLE IF NOT EXISTS pggit_audit.rollup_queue (
    commit_sha text COLLATE "C" PRIMARY KEY REFERENCES pggit_v0.commit_graph (commit_sha),
    changes    integer NOT NULL            -- its change_log rows
);
COMMENT ON TABLE pggit_audit.rollup_queue IS 'Commits not yet folded into object_change_rollup, daily_change_rollup and author_rollup.';
-- Upgrades: the per-change queue of the first rollup is replaced (its view goes with it and is
-- recreated by pggit_v0_views.sql); every rollup is rebuilt below.
DROP VIEW IF EXISTS pggit_v0.most_changed_objects;
DROP TABLE IF EXISTS pggit_audit.object_change_queue;
DROP FUNCTION IF EXISTS pggit_v0._fold_object_changes(integer);

-- Blobs no change_log row named when last checked: each blob is added as it is written, and a fold
-- removes those change_log now names. What stays are blobs no commit ever contained, plus those of
-- recent commits, so orphaned_objects reads these instead of comparing every blob with every
-- change. An upgrade fills it once.
CREATE INDEX IF NOT EXISTS change_log_new_sha ON pggit_audit.change_log (new_sha);
DO $$
BEGIN
    IF to_regclass('pggit_audit.unnamed_blobs') IS NULL THEN
        CREATE TABLE pggit_audit.unnamed_blobs (sha text COLLATE "C" PRIMARY KEY);
        INSERT INTO pggit_audit.unnamed_blobs (sha)
        SELECT b.sha FROM pggit_v0.objects b
        WHERE b.type = 'blob' AND NOT EXISTS (SELECT 1 FROM pggit_audit.change_log c WHERE c.new_sha = b.sha);
    END IF;
END
$$;
COMMENT ON TABLE pggit_audit.unnamed_blobs IS 'Blobs no change_log row named at the last fold (written by pggit_v0._write_blobs, pruned by pggit_v0._fold_rollups): never-committed blobs, and those of commits still in rollup_queue.';

-- Runs as its owner: writers may only INSERT into pggit_audit, and the fold also deletes the queue
-- and updates the rollups.
CREATE OR REPLACE FUNCTION pggit_v0._fold_rollups(p_min_commits integer DEFAULT 0, p_min_changes integer DEFAULT 0) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_folded bigint;
BEGIN
    -- Under REPEATABLE READ a fold could race a newer one it cannot see (40001); leave it to others.
    -- The queue is measured before the lock is tried, so the commits that do not fold never hold it.
    IF current_setting('transaction_isolation') <> 'read committed'
       OR NOT (SELECT count(*) >= p_min_commits OR coalesce(sum(q.changes), 0) >= p_min_changes FROM pggit_audit.rollup_queue q)
       OR NOT pg_try_advisory_xact_lock(hashtextextended('pggit_v0 object change rollup', 0)) THEN
        RETURN 0;
    END IF;
    WITH taken AS (
        DELETE FROM pggit_audit.rollup_queue RETURNING commit_sha
    ), commits AS MATERIALIZED (
        SELECT g.commit_sha, g.author, g.author_email, g.committed_at, g.generation, (g.committed_at AT TIME ZONE 'UTC')::date AS day
        FROM taken t
        CROSS JOIN LATERAL (SELECT y.commit_sha, y.author, y.author_email, y.committed_at, y.generation FROM pggit_v0.commit_graph y
                            WHERE y.commit_sha = t.commit_sha OFFSET 0) g
    ), changes AS MATERIALIZED (
        SELECT k.author, k.committed_at, k.generation, k.day, c.path, c.schema_name, c.object_name, c.object_type, c.change_type
        FROM commits k
        CROSS JOIN LATERAL (SELECT x.path, x.schema_name, x.object_name, x.object_type, x.change_type
                            FROM pggit_audit.change_log x WHERE x.commit_sha = k.commit_sha OFFSET 0) c
    ), per_author AS (
        SELECT c.path, c.author, max(c.schema_name) AS schema_name, max(c.object_name) AS object_name,
               max(c.object_type) AS object_type, count(*) AS changes,
               count(*) FILTER (WHERE c.change_type = 'ALTER') AS alters,
               (array_agg(c.committed_at ORDER BY c.committed_at DESC, c.generation DESC))[1] AS last_at,
               (array_agg(c.generation ORDER BY c.committed_at DESC, c.generation DESC))[1] AS last_generation
        FROM changes c
        GROUP BY c.path, c.author
    ), per_author_upserted AS (
        INSERT INTO pggit_audit.object_change_rollup AS r
            (path, author, schema_name, object_name, object_type, changes, alters, last_at, last_generation)
        SELECT * FROM per_author ORDER BY path, author
        ON CONFLICT (path, author) DO UPDATE SET
            changes = r.changes + excluded.changes,
            alters = r.alters + excluded.alters,
            last_generation = CASE WHEN (excluded.last_at, excluded.last_generation) > (r.last_at, r.last_generation)
                                   THEN excluded.last_generation ELSE r.last_generation END,
            last_at = greatest(r.last_at, excluded.last_at)
    ), per_author_commits_upserted AS (
        INSERT INTO pggit_audit.author_rollup AS r (author, author_email, commits)
        SELECT k.author, k.author_email, count(*) FROM commits k GROUP BY k.author, k.author_email ORDER BY 1, 2
        ON CONFLICT (author, author_email) DO UPDATE SET commits = r.commits + excluded.commits
    ), new_authors AS (
        INSERT INTO pggit_audit.daily_authors (day, author)
        SELECT DISTINCT k.day, k.author FROM commits k
        ON CONFLICT DO NOTHING
        RETURNING day
    ), new_objects AS (
        INSERT INTO pggit_audit.daily_objects (day, path)
        SELECT DISTINCT c.day, c.path FROM changes c
        ON CONFLICT DO NOTHING
        RETURNING day
    ), per_day AS (
        SELECT d.day, sum(d.commits)::bigint AS commits, sum(d.authors)::bigint AS authors, sum(d.creates)::bigint AS creates,
               sum(d.alters)::bigint AS alters, sum(d.drops)::bigint AS drops, sum(d.objects)::bigint AS objects_changed
        FROM (SELECT k.day, count(*) AS commits, 0 AS authors, 0 AS creates, 0 AS alters, 0 AS drops, 0 AS objects
              FROM commits k GROUP BY k.day
              UNION ALL
              SELECT a.day, 0, count(*), 0, 0, 0, 0 FROM new_authors a GROUP BY a.day
              UNION ALL
              SELECT c.day, 0, 0, count(*) FILTER (WHERE c.change_type = 'CREATE'), count(*) FILTER (WHERE c.change_type = 'ALTER'),
                     count(*) FILTER (WHERE c.change_type = 'DROP'), 0
              FROM changes c GROUP BY c.day
              UNION ALL
              SELECT o.day, 0, 0, 0, 0, 0, count(*) FROM new_objects o GROUP BY o.day) d
        GROUP BY d.day
    ), per_day_upserted AS (
        INSERT INTO pggit_audit.daily_change_rollup AS r (day, commits, authors, creates, alters, drops, objects_changed)
        SELECT * FROM per_day ORDER BY day
        ON CONFLICT (day) DO UPDATE SET
            commits = r.commits + excluded.commits,
            authors = r.authors + excluded.authors,
            creates = r.creates + excluded.creates,
            alters = r.alters + excluded.alters,
            drops = r.drops + excluded.drops,
            objects_changed = r.objects_changed + excluded.objects_changed
    )
    SELECT count(*) INTO v_folded FROM commits;
    DELETE FROM pggit_audit.unnamed_blobs u WHERE EXISTS (SELECT 1 FROM pggit_audit.change_log c WHERE c.new_sha = u.sha);
    RETURN v_folded;
END
$$;
COMMENT ON FUNCTION pggit_v0._fold_rollups(integer, integer) IS 'Folds the commits in rollup_queue into object_change_rollup, daily_change_rollup and author_rollup when at least p_min_commits commits or p_min_changes change rows are queued, and prunes unnamed_blobs; returns how many commits it folded (0 when another transaction is folding, or under REPEATABLE READ / SERIALIZABLE).';

-- First install of the rollups over an existing history (or an upgrade from the per-change
-- queue): rebuild them all from change_log.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pggit_audit.daily_change_rollup) AND NOT EXISTS (SELECT 1 FROM pggit_audit.rollup_queue)
       AND EXISTS (SELECT 1 FROM pggit_v0.commit_graph) THEN
        DELETE FROM pggit_audit.object_change_rollup;
        DELETE FROM pggit_audit.author_rollup;
        INSERT INTO pggit_audit.rollup_queue (commit_sha, changes)
        SELECT g.commit_sha, (SELECT count(*) FROM pggit_audit.change_log c WHERE c.commit_sha = g.commit_sha)
        FROM pggit_v0.commit_graph g;
        PERFORM pggit_v0._fold_rollups();
    END IF;
END
$$;

-- Per-commit counts, kept by _index_commit (filled on upgrade below, where they are described).
ALTER TABLE pggit_v0.commit_graph ADD COLUMN IF NOT EXISTS object_count integer;
ALTER TABLE pggit_v0.commit_graph ADD COLUMN IF NOT EXISTS objects_added integer;
ALTER TABLE pggit_v0.commit_graph ADD COLUMN IF NOT EXISTS ancestors integer;

-- Reachability on first-parent chains: the chains form a small graph (a chain's base commit is on
-- another chain; a merge's other parents are on other chains), loaded once; a depth-first walk
-- over it then covers each chain range once, so the cost grows with chains and merges, not with
-- commits.
CREATE OR REPLACE FUNCTION pggit_v0._chain_graph(OUT ids bigint[], OUT base_ix integer[], OUT base_depth integer[],
    OUT m_depth integer[], OUT m_to_ix integer[], OUT m_to_depth integer[], OUT m_first integer[], OUT m_last integer[])
LANGUAGE plpgsql STABLE AS $$
-- ids: chain id by dense index; base_ix / base_depth: the chain and depth of its base commit (0 and
-- -1 for a root chain); m_*: merge edges ordered by (chain, depth): the merge commit's depth and the
-- chain and depth of one of its other parents; m_first / m_last: per chain, its first and last edge
-- (0 for none). No NULLs: reading an element of an array with NULLs costs a walk of its bitmap.
DECLARE
    v_m_ix integer[];
    v_ix integer;
    v_n integer;
BEGIN
    WITH ch AS MATERIALIZED (
        SELECT c.chain_id, row_number() OVER (ORDER BY c.chain_id)::integer AS ix, b.fp_chain AS base_chain, b.fp_depth AS base_depth
        FROM pggit_v0.fp_chains c
        LEFT JOIN LATERAL (SELECT g.fp_chain, g.fp_depth FROM pggit_v0.commit_graph g
                           WHERE g.commit_sha = c.base_sha OFFSET 0) b ON true
    )
    SELECT array_agg(ch.chain_id ORDER BY ch.ix), array_agg(coalesce(bc.ix, 0) ORDER BY ch.ix), array_agg(coalesce(ch.base_depth, -1) ORDER BY ch.ix)
    INTO ids, base_ix, base_depth
    FROM ch LEFT JOIN ch bc ON bc.chain_id = ch.base_chain;
    v_n := coalesce(cardinality(ids), 0);
    m_first := array_fill(0, ARRAY[v_n]);
    m_last := array_fill(0, ARRAY[v_n]);
    IF v_n = 0 THEN
        RETURN;
    END IF;
    SELECT array_agg(e.ix ORDER BY e.ix, e.depth), array_agg(e.depth ORDER BY e.ix, e.depth),
           array_agg(e.to_ix ORDER BY e.ix, e.depth), array_agg(e.to_depth ORDER BY e.ix, e.depth)
    INTO v_m_ix, m_depth, m_to_ix, m_to_depth
    FROM (SELECT m.ix, g.fp_depth AS depth, pc.ix AS to_ix, pg.fp_depth AS to_depth
          FROM pggit_v0.commit_graph g
          JOIN unnest(ids) WITH ORDINALITY AS m(chain_id, ix) ON m.chain_id = g.fp_chain
          CROSS JOIN LATERAL unnest(g.parent_shas[2:]) AS p(sha)
          CROSS JOIN LATERAL (SELECT x.fp_chain, x.fp_depth FROM pggit_v0.commit_graph x
                              WHERE x.commit_sha = p.sha OFFSET 0) pg
          JOIN unnest(ids) WITH ORDINALITY AS pc(chain_id, ix) ON pc.chain_id = pg.fp_chain
          WHERE cardinality(g.parent_shas) > 1) e;
    FOR i IN 1 .. coalesce(cardinality(v_m_ix), 0) LOOP
        v_ix := v_m_ix[i];
        IF m_first[v_ix] = 0 THEN
            m_first[v_ix] := i;
        END IF;
        m_last[v_ix] := i;
    END LOOP;
END
$$;

-- What a set of entry points reaches, on a loaded chain graph: per chain (dense index) the deepest
-- depth reached, -1 for none. Depth-first over (chain, depth) entry points: covering a chain up to a
-- depth reaches its base (once) and the other parents of the merges in the newly covered range.
-- With p_seed (a cover already walked), only what the entry points reach beyond it is walked, and
-- the result is the union of both.
DROP FUNCTION IF EXISTS pggit_v0._chain_walk(integer[], integer[], integer[], integer[], integer[], integer[], integer[], integer[], integer[]);
CREATE OR REPLACE FUNCTION pggit_v0._chain_walk(p_base_ix integer[], p_base_depth integer[],
    p_m_depth integer[], p_m_to_ix integer[], p_m_to_depth integer[], p_m_first integer[], p_m_last integer[],
    p_start_ix integer[], p_start_depth integer[], p_seed integer[] DEFAULT NULL)
RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_covered integer[] := coalesce(p_seed, array_fill(-1, ARRAY[coalesce(cardinality(p_base_ix), 0)]));
    v_stack_ix integer[] := p_start_ix;
    v_stack_depth integer[] := p_start_depth;
    v_sp integer := coalesce(cardinality(p_start_ix), 0);
    v_ix integer;
    v_depth integer;
    v_old integer;
BEGIN
    WHILE v_sp > 0 LOOP
        v_ix := v_stack_ix[v_sp];
        v_depth := v_stack_depth[v_sp];
        v_sp := v_sp - 1;
        v_old := v_covered[v_ix];
        CONTINUE WHEN v_depth <= v_old;
        v_covered[v_ix] := v_depth;
        IF v_old < 0 AND p_base_ix[v_ix] > 0 THEN
            v_sp := v_sp + 1;
            v_stack_ix[v_sp] := p_base_ix[v_ix];
            v_stack_depth[v_sp] := p_base_depth[v_ix];
        END IF;
        IF p_m_first[v_ix] > 0 THEN
            FOR i IN p_m_first[v_ix] .. p_m_last[v_ix] LOOP
                CONTINUE WHEN p_m_depth[i] <= v_old;
                EXIT WHEN p_m_depth[i] > v_depth;
                v_sp := v_sp + 1;
                v_stack_ix[v_sp] := p_m_to_ix[i];
                v_stack_depth[v_sp] := p_m_to_depth[i];
            END LOOP;
        END IF;
    END LOOP;
    RETURN v_covered;
END
$$;

-- Commits located on a loaded chain graph: each distinct known commit of p_tips with its chain's
-- dense index, its depth and its ancestor count (unknown commits are left out).
CREATE OR REPLACE FUNCTION pggit_v0._chain_locate(p_ids bigint[], p_tips text[],
    OUT tips text[], OUT ix integer[], OUT depth integer[], OUT ancestors bigint[])
LANGUAGE sql STABLE AS $$
    SELECT array_agg(t.t), array_agg(m.ix::integer), array_agg(g.fp_depth), array_agg(g.ancestors::bigint)
    FROM (SELECT DISTINCT t FROM unnest(p_tips) t WHERE t IS NOT NULL) t
    JOIN pggit_v0.commit_graph g ON g.commit_sha = t.t
    JOIN unnest(p_ids) WITH ORDINALITY AS m(chain_id, ix) ON m.chain_id = g.fp_chain
$$;

-- The same from commits (tips).
CREATE OR REPLACE FUNCTION pggit_v0._chain_cover(p_ids bigint[], p_base_ix integer[], p_base_depth integer[],
    p_m_depth integer[], p_m_to_ix integer[], p_m_to_depth integer[], p_m_first integer[], p_m_last integer[], p_tips text[])
RETURNS integer[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    l record;
BEGIN
    IF coalesce(cardinality(p_ids), 0) = 0 THEN
        RETURN '{}';
    END IF;
    l := pggit_v0._chain_locate(p_ids, p_tips);
    RETURN pggit_v0._chain_walk(p_base_ix, p_base_depth, p_m_depth, p_m_to_ix, p_m_to_depth, p_m_first, p_m_last, l.ix, l.depth);
END
$$;

-- How many commits a cover holds: a chain's commits are the depths (its base's depth, covered depth].
CREATE OR REPLACE FUNCTION pggit_v0._cover_size(p_cover integer[], p_base_depth integer[]) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(sum(greatest(0, c.covered - c.floor)), 0)::bigint FROM unnest(p_cover, p_base_depth) AS c(covered, floor)
$$;

-- How many commits a set of tips reaches, themselves included (git rev-list --count).
CREATE OR REPLACE FUNCTION pggit_v0._count_reachable(p_tips text[]) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    g record;
BEGIN
    g := pggit_v0._chain_graph();
    RETURN pggit_v0._cover_size(pggit_v0._chain_cover(g.ids, g.base_ix, g.base_depth, g.m_depth, g.m_to_ix, g.m_to_depth,
                                                      g.m_first, g.m_last, p_tips), g.base_depth);
END
$$;

-- Per commit, kept by _index_commit:
--   object_count   objects in its tree: its first parent's count plus objects_added
--   objects_added  its creates minus its drops against its first parent (change_log is that diff)
--   ancestors      commits it reaches, itself included: its parent's + 1, or for a merge a walk of
--                  the chain graph from its parents
-- so the schema's size over time is read, not re-summed, and "behind" counts need one walk less.
-- An upgrade fills them chain by chain: a chain's base is on an older chain, so in chain order
-- every base is counted before the chains built on it; along a chain, ancestors grow by one per
-- commit from the last merge (or the base) below.
DO $$
DECLARE
    g record;
    v_chain record;
    v_base record;
    v_anchor_depth integer[];
    v_anchor_value integer[];
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pggit_v0.commit_graph x WHERE x.object_count IS NULL OR x.objects_added IS NULL OR x.ancestors IS NULL) THEN
        RETURN;
    END IF;
    g := pggit_v0._chain_graph();
    FOR v_chain IN SELECT c.chain_id, c.base_sha FROM pggit_v0.fp_chains c ORDER BY c.chain_id LOOP
        -- Read now, not with the loop's query: the base may have been counted in this loop.
        SELECT coalesce(b.object_count, 0) AS object_count, coalesce(b.ancestors, 0) AS ancestors, coalesce(b.fp_depth, -1) AS fp_depth
        INTO v_base
        FROM (SELECT 1) one LEFT JOIN pggit_v0.commit_graph b ON b.commit_sha = v_chain.base_sha;
        SELECT v_base.fp_depth || coalesce(array_agg(m.fp_depth ORDER BY m.fp_depth), '{}'),
               v_base.ancestors || coalesce(array_agg(1 + pggit_v0._cover_size(
                   pggit_v0._chain_cover(g.ids, g.base_ix, g.base_depth, g.m_depth, g.m_to_ix, g.m_to_depth, g.m_first, g.m_last, m.parent_shas),
                   g.base_depth)::integer ORDER BY m.fp_depth), '{}')
        INTO v_anchor_depth, v_anchor_value
        FROM pggit_v0.commit_graph m WHERE m.fp_chain = v_chain.chain_id AND cardinality(m.parent_shas) > 1;
        UPDATE pggit_v0.commit_graph t SET object_count = v_base.object_count + n.running, objects_added = n.net,
            ancestors = (SELECT a.value + (n.fp_depth - a.depth) FROM unnest(v_anchor_depth, v_anchor_value) AS a(depth, value)
                         WHERE a.depth <= n.fp_depth ORDER BY a.depth DESC LIMIT 1)
        FROM (SELECT x.commit_sha, x.fp_depth, coalesce(d.net, 0) AS net, sum(coalesce(d.net, 0)) OVER (ORDER BY x.fp_depth) AS running
              FROM pggit_v0.commit_graph x
              LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE l.change_type = 'CREATE') - count(*) FILTER (WHERE l.change_type = 'DROP') AS net
                                 FROM pggit_audit.change_log l WHERE l.commit_sha = x.commit_sha) d ON true
              WHERE x.fp_chain = v_chain.chain_id) n
        WHERE t.commit_sha = n.commit_sha;
    END LOOP;
END
$$;
COMMENT ON COLUMN pggit_v0.commit_graph.object_count IS 'Objects in the commit''s tree: the first parent''s count plus objects_added.';
COMMENT ON COLUMN pggit_v0.commit_graph.objects_added IS 'The commit''s creates minus its drops against its first parent.';
COMMENT ON COLUMN pggit_v0.commit_graph.ancestors IS 'Commits reachable from this one, itself included (git rev-list --count).';

-- Indexes a new commit: its diff against its first parent goes into change_log and compliance_log,
-- and its object counts into commit_graph.
CREATE OR REPLACE FUNCTION pggit_v0._index_commit(p_commit text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_commit record;
    v_net integer;
    v_changes integer;
BEGIN
    SELECT g.*, p.tree_sha AS parent_tree, p.object_count AS parent_count, p.ancestors AS parent_ancestors INTO v_commit
    FROM pggit_v0.commit_graph g LEFT JOIN pggit_v0.commit_graph p ON p.commit_sha = g.parent_shas[1]
    WHERE g.commit_sha = p_commit;

    WITH changed AS (
        INSERT INTO pggit_audit.change_log (commit_sha, path, schema_name, object_name, object_type, change_type, old_sha, new_sha,
                                            fp_chain, fp_depth, committed_at, author)
        SELECT p_commit, d.path, po.schema_name, po.object_name, coalesce(po.object_type, 'UNKNOWN'),
               CASE WHEN d.old_sha IS NULL THEN 'CREATE' WHEN d.new_sha IS NULL THEN 'DROP' ELSE 'ALTER' END,
               d.old_sha, d.new_sha, v_commit.fp_chain, v_commit.fp_depth, v_commit.committed_at, v_commit.author
        FROM pggit_v0._diff_trees(v_commit.parent_tree, v_commit.tree_sha) d
        LEFT JOIN LATERAL pggit_v0.path_object(d.path) po ON true
        RETURNING id, path, change_type
    )
    INSERT INTO pggit_audit.compliance_log (commit_sha, parent_sha, author, committer, committed_at, message,
                                            creates, alters, drops, paths, recorded_by)
    SELECT p_commit, v_commit.parent_shas[1],
           format('%s <%s>', v_commit.author, v_commit.author_email),
           format('%s <%s>', v_commit.committer, v_commit.committer_email),
           v_commit.committed_at, v_commit.message,
           count(*) FILTER (WHERE change_type = 'CREATE'), count(*) FILTER (WHERE change_type = 'ALTER'),
           count(*) FILTER (WHERE change_type = 'DROP'),
           coalesce(array_agg(path ORDER BY path COLLATE "C"), '{}'), pggit_v0._actor()
    FROM changed
    RETURNING creates - drops, creates + alters + drops INTO v_net, v_changes;
    UPDATE pggit_v0.commit_graph
    SET object_count = coalesce(v_commit.parent_count, 0) + v_net, objects_added = v_net,
        ancestors = CASE WHEN cardinality(v_commit.parent_shas) = 0 THEN 1
                         WHEN cardinality(v_commit.parent_shas) = 1 AND v_commit.parent_ancestors IS NOT NULL THEN v_commit.parent_ancestors + 1
                         ELSE 1 + pggit_v0._count_reachable(v_commit.parent_shas) END
    WHERE commit_sha = p_commit;
    INSERT INTO pggit_audit.rollup_queue (commit_sha, changes) VALUES (p_commit, v_changes);
    PERFORM pggit_v0._fold_rollups(64, 256);
END
$$;

-- ---------------------------------------------------------------------------
-- Diffs (spec 4.1)
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0._commit_tree_sha(p_ref text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref(p_ref)
$$;

CREATE OR REPLACE FUNCTION pggit_v0._diff_definitions(p_old_tree text, p_new_tree text)
RETURNS TABLE (object_path text, change_type text, old_definition text, new_definition text)
LANGUAGE sql STABLE AS $$
    SELECT d.path,
           CASE WHEN d.old_sha IS NULL THEN 'CREATE' WHEN d.new_sha IS NULL THEN 'DROP' ELSE 'ALTER' END,
           convert_from(o.data, 'UTF8'), convert_from(n.data, 'UTF8')
    FROM pggit_v0._diff_trees(p_old_tree, p_new_tree) d
    -- Index probes per changed path (OFFSET 0: the diff's row estimate is loose, and a hash of the
    -- whole objects table costs more than the diff itself).
    LEFT JOIN LATERAL (SELECT x.data FROM pggit_v0.objects x WHERE x.sha = d.old_sha OFFSET 0) o ON true
    LEFT JOIN LATERAL (SELECT x.data FROM pggit_v0.objects x WHERE x.sha = d.new_sha OFFSET 0) n ON true
    ORDER BY d.path COLLATE "C"
$$;

CREATE OR REPLACE FUNCTION pggit_v0.diff_commits(p_old_commit_sha text, p_new_commit_sha text)
RETURNS TABLE (object_path text, change_type text, old_definition text, new_definition text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_old text := pggit_v0._commit_tree_sha(p_old_commit_sha);
    v_new text := pggit_v0._commit_tree_sha(p_new_commit_sha);
BEGIN
    RETURN QUERY SELECT * FROM pggit_v0._diff_definitions(v_old, v_new);
    PERFORM pggit_v0._track('diff_commits', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.diff_commits(text, text) IS 'What changed from one commit to another (any revision resolve_ref() accepts): one row per changed path, CREATE / ALTER / DROP with both definitions. Identical subtrees are skipped unread; a rename is a DROP and a CREATE.';

CREATE OR REPLACE FUNCTION pggit_v0.diff_branches(p_branch_name1 text, p_branch_name2 text)
RETURNS TABLE (object_path text, change_type text, branch1_definition text, branch2_definition text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_one text := pggit_v0._commit_tree_sha(p_branch_name1);
    v_two text := pggit_v0._commit_tree_sha(p_branch_name2);
BEGIN
    RETURN QUERY SELECT * FROM pggit_v0._diff_definitions(v_one, v_two);
    PERFORM pggit_v0._track('diff_branches', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.diff_branches(text, text) IS 'Tip against tip: how branch 2 differs from branch 1 (CREATE = only on branch 2, DROP = only on branch 1), like git diff b1 b2.';

CREATE OR REPLACE FUNCTION pggit_v0.diff_branches_from_base(p_branch_name1 text, p_branch_name2 text)
RETURNS TABLE (object_path text, change_type text, base_definition text, branch2_definition text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_bases text[] := pggit_v0._merge_bases(pggit_v0.resolve_ref(p_branch_name1), pggit_v0.resolve_ref(p_branch_name2));
    v_base_tree text;
BEGIN
    IF cardinality(v_bases) = 0 THEN
        PERFORM pggit_v0._raise('PGC01', format('%L and %L share no history', p_branch_name1, p_branch_name2),
            'use pggit_v0.diff_branches() to compare unrelated histories tip against tip');
    END IF;
    SELECT tree_sha INTO v_base_tree FROM pggit_v0.commit_graph WHERE commit_sha = v_bases[1];
    RETURN QUERY SELECT * FROM pggit_v0._diff_definitions(v_base_tree, pggit_v0._commit_tree_sha(p_branch_name2));
    PERFORM pggit_v0._track('diff_branches_from_base', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.diff_branches_from_base(text, text) IS 'What branch 2 would bring into branch 1: branch 2 against their merge base (git diff b1...b2).';

CREATE OR REPLACE FUNCTION pggit_v0.merge_base(p_commit1 text, p_commit2 text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_bases text[] := pggit_v0._merge_bases(pggit_v0.resolve_ref(p_commit1), pggit_v0.resolve_ref(p_commit2));
BEGIN
    PERFORM pggit_v0._track('merge_base', v_started);
    RETURN v_bases[1];
END
$$;
COMMENT ON FUNCTION pggit_v0.merge_base(text, text) IS 'The best common ancestor of two revisions (git merge-base); the deepest one when there are several; NULL for unrelated histories.';

-- ---------------------------------------------------------------------------
-- Object history (spec 4.1), from the per-object index
-- ---------------------------------------------------------------------------
-- The index rows of one object: an exact name, or a function-like name without its argument
-- types when that names exactly one object. Ambiguity is an error listing the candidates.
CREATE OR REPLACE FUNCTION pggit_v0._object_paths(p_schema_name text, p_object_name text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_paths text[];
BEGIN
    SELECT array_agg(DISTINCT c.path ORDER BY c.path) INTO v_paths
    FROM pggit_audit.change_log c
    WHERE c.schema_name IS NOT DISTINCT FROM p_schema_name AND c.object_name = p_object_name;
    IF v_paths IS NULL THEN
        SELECT array_agg(DISTINCT c.path ORDER BY c.path) INTO v_paths
        FROM pggit_audit.change_log c
        WHERE c.schema_name IS NOT DISTINCT FROM p_schema_name
          AND c.object_name LIKE replace(replace(replace(p_object_name, '\', '\\'), '%', '\%'), '_', '\_') || '(%';
    END IF;
    IF v_paths IS NULL THEN
        PERFORM pggit_v0._raise('P0002', format('object %L.%L has no history', p_schema_name, p_object_name),
            'list objects with pggit_v0.list_objects()');
    ELSIF cardinality(v_paths) > 1 THEN
        PERFORM pggit_v0._raise('22023', format('object name %L.%L is ambiguous: %s', p_schema_name, p_object_name, array_to_string(v_paths, ', ')),
            'name a function with its argument types, e.g. calc(integer, text)');
    END IF;
    RETURN v_paths[1];
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.get_object_history(p_schema_name text, p_object_name text, p_limit int DEFAULT 10)
RETURNS TABLE (commit_sha text, change_type text, author text, committed_at timestamptz, message text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_line_at text;
    v_path text;
    v_found int := 0;
    v_change record;
BEGIN
    IF p_limit IS NULL OR p_limit < 0 THEN
        PERFORM pggit_v0._raise('22023', format('limit %s must be zero or more', coalesce(p_limit::text, 'NULL')), NULL);
    END IF;
    v_path := pggit_v0._object_paths(p_schema_name, p_object_name);
    v_line_at := pggit_v0.resolve_ref('HEAD');
    -- Candidates newest first; the HEAD line's commit at each candidate's depth is found from the
    -- previous one (depths only decrease), so each check is a short jump-pointer walk.
    FOR v_change IN
        SELECT c.commit_sha, c.change_type, g.author, g.committed_at, g.message, g.fp_depth
        FROM pggit_audit.change_log c JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha
        WHERE c.path = v_path
        ORDER BY g.fp_depth DESC, g.generation DESC
    LOOP
        EXIT WHEN v_found >= p_limit OR v_line_at IS NULL;
        v_line_at := pggit_v0._fp_ancestor(v_line_at, v_change.fp_depth);
        IF v_line_at = v_change.commit_sha THEN
            v_found := v_found + 1;
            commit_sha := v_change.commit_sha;
            change_type := v_change.change_type;
            author := v_change.author;
            committed_at := v_change.committed_at;
            message := v_change.message;
            RETURN NEXT;
        END IF;
    END LOOP;
    PERFORM pggit_v0._track('get_object_history', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_object_history(text, text, int) IS 'Newest first, the commits on the checked-out branch''s first-parent line that created, altered or dropped an object (git log --first-parent -- <path>), read from the per-object index. A function may be named without its argument types when that is unambiguous.';

-- ---------------------------------------------------------------------------
-- Branch deletion and restore, tags
-- ---------------------------------------------------------------------------
-- Commits reachable from p_commit that no other ref reaches (newest first, at most p_limit).
CREATE OR REPLACE FUNCTION pggit_v0._unreached_commits(p_commit text, p_ignore_ref text, p_limit int DEFAULT 10) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_floor integer := 0;
    v_result text[];
BEGIN
    IF EXISTS (SELECT 1 FROM pggit_v0.refs r WHERE r.name <> p_ignore_ref
               AND pggit_v0._on_first_parent_line(p_commit, r.target_sha)) THEN
        RETURN '{}';
    END IF;
    SELECT coalesce(max(g.generation), 0) INTO v_floor
    FROM pggit_v0.refs r, pggit_v0.commit_graph g
    WHERE r.name <> p_ignore_ref AND g.commit_sha = pggit_v0._fp_common_ancestor(p_commit, r.target_sha);
    WITH RECURSIVE mine(sha) AS (
        SELECT p_commit COLLATE "C"
        UNION
        SELECT p.sha FROM mine m JOIN pggit_v0.commit_graph g ON g.commit_sha = m.sha
        CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
        JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= v_floor
    ), others(sha) AS (
        SELECT r.target_sha FROM pggit_v0.refs r WHERE r.name <> p_ignore_ref
        UNION
        SELECT p.sha FROM others o JOIN pggit_v0.commit_graph g ON g.commit_sha = o.sha
        CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
        JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= v_floor
    )
    SELECT array_agg(u.sha ORDER BY g.generation DESC, u.sha) INTO v_result
    FROM (SELECT sha FROM mine EXCEPT SELECT sha FROM others) u
    JOIN pggit_v0.commit_graph g ON g.commit_sha = u.sha;
    RETURN coalesce(v_result[1:p_limit], '{}');
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.delete_branch(p_branch_name text, p_force boolean DEFAULT false)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_tip text;
    v_unreached text[];
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    v_tip := pggit_v0._branch_tip(p_branch_name);
    IF p_branch_name = pggit_v0._head_branch() THEN
        PERFORM pggit_v0._raise('PGC01', format('branch %L is checked out and cannot be deleted', p_branch_name),
            'check out another branch first');
    END IF;
    IF p_branch_name = (pggit_v0._setting('default_branch') #>> '{}') THEN
        PERFORM pggit_v0._raise('PGC01', format('branch %L is the default branch and cannot be deleted', p_branch_name),
            'change the default_branch setting first');
    END IF;
    IF NOT coalesce(p_force, false) THEN
        v_unreached := pggit_v0._unreached_commits(v_tip, p_branch_name);
        IF cardinality(v_unreached) > 0 THEN
            PERFORM pggit_v0._raise('PGC01', format('branch %L has commits no other branch or tag reaches: %s', p_branch_name,
                    array_to_string(ARRAY(SELECT left(u, 12) FROM unnest(v_unreached) u), ', ')),
                format('merge it first, or delete it anyway with delete_branch(%L, p_force => true); restore_branch(%L) brings it back', p_branch_name, p_branch_name));
        END IF;
    END IF;
    PERFORM pggit_v0.update_ref(p_branch_name, NULL, v_tip, 'delete_branch');
    PERFORM pggit_v0._track('delete_branch', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.delete_branch(text, boolean) IS 'Deletes a branch. Refuses the checked-out and the default branch, and (unless p_force) a branch with commits no other ref reaches, naming them. ref_log keeps the sha: restore_branch() brings it back.';

CREATE OR REPLACE FUNCTION pggit_v0.restore_branch(p_branch_name text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_sha text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    IF EXISTS (SELECT 1 FROM pggit_v0.refs WHERE name = p_branch_name) THEN
        PERFORM pggit_v0._raise('42710', format('branch %L exists; nothing to restore', p_branch_name), NULL);
    END IF;
    SELECT l.old_sha INTO v_sha FROM pggit_v0.ref_log l
    WHERE l.ref_name = p_branch_name AND l.new_sha IS NULL AND l.reason = 'delete_branch'
    ORDER BY l.id DESC LIMIT 1;
    IF v_sha IS NULL THEN
        PERFORM pggit_v0._raise('P0002', format('no deleted branch %L in ref_log', p_branch_name),
            'SELECT * FROM pggit_v0.ref_log WHERE new_sha IS NULL lists deletions');
    END IF;
    PERFORM pggit_v0.update_ref(p_branch_name, v_sha, NULL, 'restore_branch');
    PERFORM pggit_v0._track('restore_branch', v_started);
    RETURN v_sha;
END
$$;
COMMENT ON FUNCTION pggit_v0.restore_branch(text) IS 'Recreates a deleted branch at the sha ref_log recorded when it was deleted; returns that sha.';

CREATE OR REPLACE FUNCTION pggit_v0.create_tag(p_tag_name text, p_commit_sha text DEFAULT NULL, p_message text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_sha text := pggit_v0._create_ref(p_tag_name, 'tag', p_commit_sha, p_message);
BEGIN
    PERFORM pggit_v0._track('create_tag', v_started);
    RETURN v_sha;
END
$$;
COMMENT ON FUNCTION pggit_v0.create_tag(text, text, text) IS 'Tags a commit (NULL = HEAD) with an optional message; returns the commit sha. Tags share the ref namespace with branches.';

CREATE OR REPLACE FUNCTION pggit_v0.list_tags()
RETURNS TABLE (tag_name text, commit_sha text, message text, created_at timestamptz, created_by text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY SELECT r.name::text, r.target_sha::text, r.description, r.created_at, r.created_by
                 FROM pggit_v0.refs r WHERE r.type = 'tag' ORDER BY r.name COLLATE "C";
    PERFORM pggit_v0._track('list_tags', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_tags() IS 'Every tag: name, commit, message, when and by whom it was created.';

CREATE OR REPLACE FUNCTION pggit_v0.list_tags_after(p_after_name text DEFAULT NULL, p_limit int DEFAULT NULL)
RETURNS TABLE (tag_name text, commit_sha text, message text, created_at timestamptz, created_by text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF p_limit IS NOT NULL THEN
        PERFORM pggit_v0._check_limit(p_limit, 'limit');
    END IF;
    RETURN QUERY SELECT r.name::text, r.target_sha::text, r.description, r.created_at, r.created_by
                 FROM pggit_v0.refs r
                 WHERE r.type = 'tag' AND (p_after_name IS NULL OR r.name > p_after_name)
                 ORDER BY r.name LIMIT p_limit;
    PERFORM pggit_v0._track('list_tags_after', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_tags_after(text, int) IS 'Keyset-paged tag list, for the server: tags named after p_after_name (bytewise; NULL = from the first), up to p_limit (NULL = all); reads only the page (refs'' name index).';

CREATE OR REPLACE FUNCTION pggit_v0.delete_tag(p_tag_name text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_sha text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    SELECT target_sha INTO v_sha FROM pggit_v0.refs WHERE name = p_tag_name AND type = 'tag';
    IF v_sha IS NULL THEN
        PERFORM pggit_v0._raise('P0002', format('tag %L not found', p_tag_name), 'list tags with pggit_v0.list_tags()');
    END IF;
    PERFORM pggit_v0.update_ref(p_tag_name, NULL, v_sha, 'delete_tag', 'tag');
    PERFORM pggit_v0._track('delete_tag', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.delete_tag(text) IS 'Deletes a tag; ref_log keeps the sha.';
