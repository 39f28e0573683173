-- pggit_v0 branching and merging (spec 5.2): feature branches, three-way merges with git's
-- line-level rules, conflicts and their resolution, rebase, cherry-pick and merge requests.
-- Applied by install.sql inside one transaction; every statement is idempotent.
--
-- Layers, bottom up:
--   _xdiff / _merge_file      git's xdiff: histogram diff, slider compaction, xdl_merge (zealous)
--   _merge_trees              one three-way merge of trees (or of in-memory path maps)
--   _virtual_base             criss-cross: the merge bases merged into a virtual base, as git does
--   _merge_commits            the plan for merging two commits; merge_branch and
--                             detect_merge_conflicts both read it, so they cannot disagree
--   public functions          merge_branch, resolve_conflict, rebase_branch, cherry_pick, merge requests

INSERT INTO pggit_v0.settings (key, value, description) VALUES
    ('required_approvals', '1'::jsonb, 'Approvals (by someone other than its author) a merge request needs before complete_merge_request() merges it.')
ON CONFLICT (key) DO NOTHING;

-- ---------------------------------------------------------------------------
-- Merge state
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pggit_v0.merges (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_branch    text COLLATE "C" NOT NULL,
    target_branch    text COLLATE "C" NOT NULL,
    source_sha       text COLLATE "C" NOT NULL,
    target_sha       text COLLATE "C" NOT NULL,
    base_shas        text[] COLLATE "C" NOT NULL,
    strategy         text NOT NULL,
    status           text NOT NULL CHECK (status IN ('conflicted', 'completed')),
    merge_commit_sha text COLLATE "C",
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_by     text,
    completed_at     timestamptz
);
-- One pending merge per source and target, so that a second merge_branch() call cannot fork the state.
CREATE UNIQUE INDEX IF NOT EXISTS merges_pending_pair ON pggit_v0.merges (target_branch, source_branch) WHERE status = 'conflicted';
COMMENT ON TABLE pggit_v0.merges IS 'Merges that stopped on conflicts: pending (status conflicted) until every conflict is resolved and the merge commit written (status completed); abort_merge() deletes a pending one. base_shas are the merge bases (several for criss-cross histories).';

CREATE TABLE IF NOT EXISTS pggit_v0.merge_conflicts (
    merge_id      uuid NOT NULL REFERENCES pggit_v0.merges (id) ON DELETE CASCADE,
    object_path   text COLLATE "C" NOT NULL,
    conflict_type text NOT NULL CHECK (conflict_type IN ('modify/modify', 'modify/delete', 'delete/modify', 'add/add')),
    base_sha      text COLLATE "C",
    source_sha    text COLLATE "C",
    target_sha    text COLLATE "C",
    base_ddl      text,
    source_ddl    text,
    target_ddl    text,
    merged_ddl    text,
    resolution    text CHECK (resolution IN ('source', 'target', 'manual_ddl')),
    resolved_sha  text COLLATE "C",
    resolved_by   text,
    resolved_at   timestamptz,
    PRIMARY KEY (merge_id, object_path)
);
COMMENT ON TABLE pggit_v0.merge_conflicts IS 'The conflicting paths of a merge: conflict_type is <source change>/<target change> (modify/modify, modify/delete = modified on the source and deleted on the target, delete/modify, add/add), the three versions (blob and DDL; NULL = absent), merged_ddl with git''s conflict markers, and the resolution once made (resolved_sha NULL = delete).';

CREATE TABLE IF NOT EXISTS pggit_v0.merge_requests (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_branch    text COLLATE "C" NOT NULL,
    target_branch    text COLLATE "C" NOT NULL,
    title            text NOT NULL,
    description      text,
    reviewer         text,
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'merged', 'closed')),
    source_sha       text COLLATE "C" NOT NULL,
    target_sha       text COLLATE "C" NOT NULL,
    has_conflicts    boolean NOT NULL,
    conflict_objects text[] COLLATE "C" NOT NULL DEFAULT '{}',
    checked_at       timestamptz NOT NULL DEFAULT now(),
    merge_commit_sha text COLLATE "C",
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    merged_by        text,
    merged_at        timestamptz,
    closed_by        text,
    closed_at        timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS merge_requests_one_active ON pggit_v0.merge_requests (source_branch, target_branch) WHERE status IN ('open', 'approved');
CREATE INDEX IF NOT EXISTS merge_requests_created ON pggit_v0.merge_requests (created_at, id);
COMMENT ON TABLE pggit_v0.merge_requests IS 'Merge requests: source into target, status open | approved | merged | closed, the conflict state found when it was last checked (with the tips checked), and the merge commit once merged.';

CREATE TABLE IF NOT EXISTS pggit_v0.merge_request_approvals (
    mr_id       uuid NOT NULL REFERENCES pggit_v0.merge_requests (id) ON DELETE CASCADE,
    approved_by text NOT NULL,
    approved_at timestamptz NOT NULL DEFAULT now(),
    notes       text,
    PRIMARY KEY (mr_id, approved_by)
);
COMMENT ON TABLE pggit_v0.merge_request_approvals IS 'One approval per approver and merge request; the request''s author cannot approve it.';

-- Writers need these tables on upgrades too (the roles exist by then; roles.sql grants on first install).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pggit_writer') THEN
        GRANT INSERT, UPDATE, DELETE ON pggit_v0.merges, pggit_v0.merge_conflicts, pggit_v0.merge_requests,
            pggit_v0.merge_request_approvals TO pggit_writer;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Line diff: git's xdiff with the histogram algorithm (what merge-ort uses)
-- ---------------------------------------------------------------------------
-- Lines keep their terminators, so "x" at the end of a file without a newline differs from "x\n"
-- exactly as in git; joining the lines gives the text back byte for byte.
CREATE OR REPLACE FUNCTION pggit_v0._split_lines(p_text text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(CASE WHEN u.ord < n.n THEN u.l || E'\n' ELSE u.l END ORDER BY u.ord)
                    FILTER (WHERE u.ord < n.n OR u.l <> ''), '{}')
    FROM (SELECT string_to_array(p_text, E'\n') AS parts) s
    CROSS JOIN LATERAL (SELECT cardinality(s.parts) AS n) n
    CROSS JOIN LATERAL unnest(s.parts) WITH ORDINALITY AS u(l, ord)
$$;

-- git's fallback when every common line of a region occurs more than 64 times: a minimal diff
-- (LCS). git runs its Myers implementation there, which can place equal-cost hunks differently.
CREATE OR REPLACE FUNCTION pggit_v0._lcs_changes(p_a int[], p_b int[], OUT removed boolean[], OUT added boolean[])
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    n int := coalesce(cardinality(p_a), 0);
    m int := coalesce(cardinality(p_b), 0);
    w int := m + 1;
    len int[];
    i int;
    j int;
BEGIN
    removed := array_fill(true, ARRAY[greatest(n, 1)]);
    added := array_fill(true, ARRAY[greatest(m, 1)]);
    IF n::bigint * m > 4000000 THEN
        RETURN;  -- too large to be a schema object; everything counts as changed
    END IF;
    -- len[(i-1)*w + j] = LCS length of p_a[i..n] and p_b[j..m] (1-based, with a zero border).
    len := array_fill(0, ARRAY[(n + 1) * w]);
    FOR i IN REVERSE n..1 LOOP
        FOR j IN REVERSE m..1 LOOP
            IF p_a[i] = p_b[j] THEN
                len[(i - 1) * w + j] := len[i * w + j + 1] + 1;
            ELSE
                len[(i - 1) * w + j] := greatest(len[i * w + j], len[(i - 1) * w + j + 1]);
            END IF;
        END LOOP;
    END LOOP;
    i := 1;
    j := 1;
    WHILE i <= n AND j <= m LOOP
        IF p_a[i] = p_b[j] THEN
            removed[i] := false;
            added[j] := false;
            i := i + 1;
            j := j + 1;
        ELSIF len[i * w + j] >= len[(i - 1) * w + j + 1] THEN
            i := i + 1;
        ELSE
            j := j + 1;
        END IF;
    END LOOP;
END
$$;

-- xdl_change_compact: slides each group of changed lines (in p_changed, indexed -1..n with false
-- sentinels at both ends) up and down over equal lines, merging groups it bumps into, and leaves
-- it aligned with a group of changes in the other file when it can (git without the indent
-- heuristic, which merge-ort does not turn on). Returns the new p_changed.
CREATE OR REPLACE FUNCTION pggit_v0._xdl_compact(p_lines int[], p_changed boolean[], p_other boolean[]) RETURNS boolean[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    changed boolean[] := p_changed;
    n int := coalesce(cardinality(p_lines), 0);
    n_other int := array_upper(p_other, 1);
    gs int := 0;        -- the group: first changed line and first unchanged line after it (0-based)
    ge int := 0;
    os int := 0;        -- the matching group in the other file
    oe int := 0;
    group_size int;
    earliest_end int;
    end_matching_other int;
BEGIN
    WHILE changed[ge] LOOP ge := ge + 1; END LOOP;
    WHILE p_other[oe] LOOP oe := oe + 1; END LOOP;
    LOOP
        IF ge <> gs THEN
            LOOP
                group_size := ge - gs;
                end_matching_other := -1;
                -- Slide up while the line above equals the group's last line.
                WHILE gs > 0 AND p_lines[gs] = p_lines[ge] LOOP
                    gs := gs - 1;
                    changed[gs] := true;
                    ge := ge - 1;
                    changed[ge] := false;
                    WHILE changed[gs - 1] LOOP gs := gs - 1; END LOOP;
                    IF os = 0 THEN RAISE EXCEPTION 'xdiff: group sync broken sliding up'; END IF;
                    oe := os - 1;
                    os := oe;
                    WHILE p_other[os - 1] LOOP os := os - 1; END LOOP;
                END LOOP;
                earliest_end := ge;
                IF oe > os THEN end_matching_other := ge; END IF;
                -- Slide down while the line below equals the group's first line.
                WHILE ge < n AND p_lines[gs + 1] = p_lines[ge + 1] LOOP
                    changed[gs] := false;
                    gs := gs + 1;
                    changed[ge] := true;
                    ge := ge + 1;
                    WHILE changed[ge] LOOP ge := ge + 1; END LOOP;
                    IF oe = n_other THEN RAISE EXCEPTION 'xdiff: group sync broken sliding down'; END IF;
                    os := oe + 1;
                    oe := os;
                    WHILE p_other[oe] LOOP oe := oe + 1; END LOOP;
                    IF oe > os THEN end_matching_other := ge; END IF;
                END LOOP;
                EXIT WHEN group_size = ge - gs;   -- it grew by merging: slide again
            END LOOP;
            -- Now as far down as possible; move back up to align with the other file's changes.
            IF ge <> earliest_end AND end_matching_other <> -1 THEN
                WHILE oe = os LOOP
                    IF NOT (gs > 0 AND p_lines[gs] = p_lines[ge]) THEN
                        RAISE EXCEPTION 'xdiff: match disappeared';
                    END IF;
                    gs := gs - 1;
                    changed[gs] := true;
                    ge := ge - 1;
                    changed[ge] := false;
                    WHILE changed[gs - 1] LOOP gs := gs - 1; END LOOP;
                    oe := os - 1;
                    os := oe;
                    WHILE p_other[os - 1] LOOP os := os - 1; END LOOP;
                END LOOP;
            END IF;
        END IF;
        EXIT WHEN ge = n;
        gs := ge + 1;
        ge := gs;
        WHILE changed[ge] LOOP ge := ge + 1; END LOOP;
        IF oe = n_other THEN RAISE EXCEPTION 'xdiff: group sync broken moving to next group'; END IF;
        os := oe + 1;
        oe := os;
        WHILE p_other[oe] LOOP oe := oe + 1; END LOOP;
    END LOOP;
    RETURN changed;
END
$$;

-- The edit script from p_a to p_b (arrays of line ids; equal id = equal line), as git's
-- xdl_diff builds it with XDF_HISTOGRAM_DIFF: hunks (i1, chg1, i2, chg2), 0-based, in order.
-- Histogram diff: in each region, the longest run of matching lines anchored on the line that
-- occurs least often in the old side becomes the split point; the regions before and after are
-- diffed the same way. Regions without a common line are all changed; regions whose common lines
-- all occur more than 64 times fall back to a minimal diff.
CREATE OR REPLACE FUNCTION pggit_v0._xdiff(p_a int[], p_b int[], OUT i1 int[], OUT chg1 int[], OUT i2 int[], OUT chg2 int[])
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    n1 int := coalesce(cardinality(p_a), 0);
    n2 int := coalesce(cardinality(p_b), 0);
    max_id int;
    changed1 boolean[] := array_fill(false, ARRAY[n1 + 2], ARRAY[-1]);
    changed2 boolean[] := array_fill(false, ARRAY[n2 + 2], ARRAY[-1]);
    occurrences int[];     -- per line id: occurrences in the old side of the region
    first_at int[];        -- per line id: its first line in the region
    next_at int[];         -- per old line: the next line with the same id (0 = none)
    st_l1 int[] := ARRAY[1];
    st_c1 int[] := ARRAY[n1];
    st_l2 int[] := ARRAY[1];
    st_c2 int[] := ARRAY[n2];
    sp int := 1;
    l1 int; c1 int; l2 int; c2 int; e1 int; e2 int;
    ptr int; id int; cnt int;
    b_ptr int; b_next int;
    a_s int; a_e int; b_s int; b_e int; np int; rc int;
    lcs_b1 int; lcs_e1 int; lcs_b2 int; lcs_e2 int;
    best_count int;
    has_common boolean;
    fallback record;
    a int; b int; la int; lb int;
BEGIN
    i1 := '{}'; chg1 := '{}'; i2 := '{}'; chg2 := '{}';
    SELECT greatest(max(x), 1) INTO max_id FROM (SELECT unnest(p_a) UNION ALL SELECT unnest(p_b)) u(x);
    occurrences := array_fill(0, ARRAY[max_id]);
    first_at := array_fill(0, ARRAY[max_id]);
    next_at := array_fill(0, ARRAY[greatest(n1, 1)]);

    WHILE sp > 0 LOOP
        l1 := st_l1[sp]; c1 := st_c1[sp]; l2 := st_l2[sp]; c2 := st_c2[sp];
        sp := sp - 1;
        CONTINUE WHEN c1 <= 0 AND c2 <= 0;
        IF c1 <= 0 THEN
            FOR ptr IN l2..l2 + c2 - 1 LOOP changed2[ptr - 1] := true; END LOOP;
            CONTINUE;
        ELSIF c2 <= 0 THEN
            FOR ptr IN l1..l1 + c1 - 1 LOOP changed1[ptr - 1] := true; END LOOP;
            CONTINUE;
        END IF;
        e1 := l1 + c1 - 1;
        e2 := l2 + c2 - 1;

        -- Index the old side: per line id its count and its occurrences in ascending order.
        FOR ptr IN REVERSE e1..l1 LOOP
            id := p_a[ptr];
            next_at[ptr] := CASE WHEN occurrences[id] > 0 THEN first_at[id] ELSE 0 END;
            first_at[id] := ptr;
            occurrences[id] := occurrences[id] + 1;
        END LOOP;

        -- Find the longest common run through the rarest line (git's try_lcs, line for line).
        lcs_b1 := 0; lcs_e1 := 0; lcs_b2 := 0; lcs_e2 := 0;
        best_count := 65;
        has_common := false;
        b_ptr := l2;
        WHILE b_ptr <= e2 LOOP
            b_next := b_ptr + 1;
            id := p_b[b_ptr];
            cnt := occurrences[id];
            IF cnt > 0 THEN
                has_common := true;
                IF cnt <= best_count THEN
                    a_s := first_at[id];
                    LOOP
                        np := next_at[a_s];
                        b_s := b_ptr;
                        a_e := a_s;
                        b_e := b_s;
                        rc := cnt;
                        WHILE l1 < a_s AND l2 < b_s AND p_a[a_s - 1] = p_b[b_s - 1] LOOP
                            a_s := a_s - 1;
                            b_s := b_s - 1;
                            IF rc > 1 THEN rc := least(rc, occurrences[p_a[a_s]]); END IF;
                        END LOOP;
                        WHILE a_e < e1 AND b_e < e2 AND p_a[a_e + 1] = p_b[b_e + 1] LOOP
                            a_e := a_e + 1;
                            b_e := b_e + 1;
                            IF rc > 1 THEN rc := least(rc, occurrences[p_a[a_e]]); END IF;
                        END LOOP;
                        IF b_next <= b_e THEN b_next := b_e + 1; END IF;
                        IF lcs_e1 - lcs_b1 < a_e - a_s OR rc < best_count THEN
                            lcs_b1 := a_s; lcs_e1 := a_e; lcs_b2 := b_s; lcs_e2 := b_e;
                            best_count := rc;
                        END IF;
                        EXIT WHEN np = 0;
                        WHILE np <> 0 AND np <= a_e LOOP np := next_at[np]; END LOOP;
                        EXIT WHEN np = 0;
                        a_s := np;
                    END LOOP;
                END IF;
            END IF;
            b_ptr := b_next;
        END LOOP;
        FOR ptr IN l1..e1 LOOP occurrences[p_a[ptr]] := 0; END LOOP;

        IF has_common AND best_count > 64 THEN
            fallback := pggit_v0._lcs_changes(p_a[l1:e1], p_b[l2:e2]);
            FOR ptr IN 1..c1 LOOP changed1[l1 + ptr - 2] := fallback.removed[ptr]; END LOOP;
            FOR ptr IN 1..c2 LOOP changed2[l2 + ptr - 2] := fallback.added[ptr]; END LOOP;
        ELSIF lcs_b1 = 0 AND lcs_b2 = 0 THEN
            FOR ptr IN l1..e1 LOOP changed1[ptr - 1] := true; END LOOP;
            FOR ptr IN l2..e2 LOOP changed2[ptr - 1] := true; END LOOP;
        ELSE
            sp := sp + 1;   -- the region after the run
            st_l1[sp] := lcs_e1 + 1; st_c1[sp] := e1 - lcs_e1; st_l2[sp] := lcs_e2 + 1; st_c2[sp] := e2 - lcs_e2;
            sp := sp + 1;   -- the region before it
            st_l1[sp] := l1; st_c1[sp] := lcs_b1 - l1; st_l2[sp] := l2; st_c2[sp] := lcs_b2 - l2;
        END IF;
    END LOOP;

    changed1 := pggit_v0._xdl_compact(p_a, changed1, changed2);
    changed2 := pggit_v0._xdl_compact(p_b, changed2, changed1);

    -- xdl_build_script: walk both files backwards in step; each run of changes is one hunk.
    a := n1;
    b := n2;
    WHILE a >= 0 OR b >= 0 LOOP
        IF coalesce(changed1[a - 1], false) OR coalesce(changed2[b - 1], false) THEN
            la := a;
            lb := b;
            WHILE coalesce(changed1[a - 1], false) LOOP a := a - 1; END LOOP;
            WHILE coalesce(changed2[b - 1], false) LOOP b := b - 1; END LOOP;
            i1 := a || i1; chg1 := (la - a) || chg1; i2 := b || i2; chg2 := (lb - b) || chg2;
        END IF;
        a := a - 1;
        b := b - 1;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- Three-way file merge: git's xdl_merge at level XDL_MERGE_ZEALOUS, style "merge"
-- ---------------------------------------------------------------------------
-- Returns the merged text and the number of conflicting hunks (0 = clean). Conflicts are written
-- with git's markers: p_marker_size '<' followed by ' ' and the ours label, '=', '>' and the
-- theirs label. Rules, in git's order:
--   * a side that did not change the file gives the other side's text;
--   * changes separated by at least one unchanged base line merge; changes that touch or overlap
--     (including two insertions at the same place) form one conflicting region, unless both sides
--     made the very same change;
--   * each conflicting region is diffed ours-against-theirs and shrunk to the lines that really
--     differ (identical regions are no conflict), and conflicts at most 3 lines apart are joined
--     (git's XDL_MERGE_ZEALOUS; this only shapes the markers).
CREATE OR REPLACE FUNCTION pggit_v0._merge_file(p_base text, p_ours text, p_theirs text, p_marker_size int DEFAULT 7,
    p_ours_label text DEFAULT NULL, p_theirs_label text DEFAULT NULL, OUT merged text, OUT conflicts int)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    base_lines text[] := pggit_v0._split_lines(coalesce(p_base, ''));
    ours_lines text[] := pggit_v0._split_lines(coalesce(p_ours, ''));
    theirs_lines text[] := pggit_v0._split_lines(coalesce(p_theirs, ''));
    b int[];
    o int[];
    t int[];
    d1 record;
    d2 record;
    k1 int;
    k2 int;
    p int := 1;
    q int := 1;
    -- The merge list (xdmerge_t): mode 0 conflict, 1 ours, 2 theirs, 4 identical; i0/c0 base, i1/c1 ours, i2/c2 theirs.
    m_mode int[] := '{}';
    m_i0 int[] := '{}'; m_c0 int[] := '{}';
    m_i1 int[] := '{}'; m_c1 int[] := '{}';
    m_i2 int[] := '{}'; m_c2 int[] := '{}';
    mc int := 0;
    have boolean;
    mode int; x0 int; y0 int; x1 int; y1 int; x2 int; y2 int;
    off int; ffo int; end1 int; end2 int;
    r_mode int[]; r_i0 int[]; r_c0 int[]; r_i1 int[]; r_c1 int[]; r_i2 int[]; r_c2 int[];
    sub record;
    k int; h int;
    pieces text[] := '{}';
    pos int := 0;
    chunk text;
BEGIN
    conflicts := 0;
    WITH all_lines AS (
        SELECT 0 AS f, u.ord, u.l FROM unnest(base_lines) WITH ORDINALITY AS u(l, ord)
        UNION ALL SELECT 1, u.ord, u.l FROM unnest(ours_lines) WITH ORDINALITY AS u(l, ord)
        UNION ALL SELECT 2, u.ord, u.l FROM unnest(theirs_lines) WITH ORDINALITY AS u(l, ord)
    ), ranked AS (
        SELECT f, ord, dense_rank() OVER (ORDER BY l COLLATE "C")::int AS id FROM all_lines
    )
    SELECT coalesce(array_agg(id ORDER BY ord) FILTER (WHERE f = 0), '{}'),
           coalesce(array_agg(id ORDER BY ord) FILTER (WHERE f = 1), '{}'),
           coalesce(array_agg(id ORDER BY ord) FILTER (WHERE f = 2), '{}')
    INTO b, o, t FROM ranked;

    d1 := pggit_v0._xdiff(b, o);
    d2 := pggit_v0._xdiff(b, t);
    k1 := cardinality(d1.i1);
    k2 := cardinality(d2.i1);
    IF k1 = 0 THEN
        merged := coalesce(p_theirs, '');
        RETURN;
    ELSIF k2 = 0 THEN
        merged := coalesce(p_ours, '');
        RETURN;
    END IF;

    -- xdl_do_merge: walk both hunk lists in base order.
    LOOP
        have := false;
        IF p <= k1 AND q <= k2 THEN
            IF d1.i1[p] + d1.chg1[p] < d2.i1[q] THEN
                -- Ours ends at least one unchanged line before theirs starts.
                mode := 1;
                x0 := d1.i1[p]; y0 := d1.chg1[p];
                x1 := d1.i2[p]; y1 := d1.chg2[p];
                x2 := d2.i2[q] - d2.i1[q] + d1.i1[p]; y2 := d1.chg1[p];
                have := true;
                p := p + 1;
            ELSIF d2.i1[q] + d2.chg1[q] < d1.i1[p] THEN
                mode := 2;
                x0 := d2.i1[q]; y0 := d2.chg1[q];
                x1 := d1.i2[p] - d1.i1[p] + d2.i1[q]; y1 := d2.chg1[q];
                x2 := d2.i2[q]; y2 := d2.chg2[q];
                have := true;
                q := q + 1;
            ELSE
                -- Touching or overlapping: a conflict unless both sides made the same change.
                IF d1.i1[p] <> d2.i1[q] OR d1.chg1[p] <> d2.chg1[q] OR d1.chg2[p] <> d2.chg2[q]
                   OR o[d1.i2[p] + 1 : d1.i2[p] + d1.chg2[p]] IS DISTINCT FROM t[d2.i2[q] + 1 : d2.i2[q] + d2.chg2[q]] THEN
                    off := d1.i1[p] - d2.i1[q];
                    ffo := off + d1.chg1[p] - d2.chg1[q];
                    x0 := d1.i1[p]; x1 := d1.i2[p]; x2 := d2.i2[q];
                    IF off > 0 THEN
                        x0 := x0 - off;
                        x1 := x1 - off;
                    ELSE
                        x2 := x2 + off;
                    END IF;
                    y0 := d1.i1[p] + d1.chg1[p] - x0;
                    y1 := d1.i2[p] + d1.chg2[p] - x1;
                    y2 := d2.i2[q] + d2.chg2[q] - x2;
                    IF ffo < 0 THEN
                        y0 := y0 - ffo;
                        y1 := y1 - ffo;
                    ELSE
                        y2 := y2 + ffo;
                    END IF;
                    mode := 0;
                    have := true;
                END IF;
                end1 := d1.i1[p] + d1.chg1[p];
                end2 := d2.i1[q] + d2.chg1[q];
                IF end1 >= end2 THEN q := q + 1; END IF;
                IF end2 >= end1 THEN p := p + 1; END IF;
            END IF;
        ELSIF p <= k1 THEN
            mode := 1;
            x0 := d1.i1[p]; y0 := d1.chg1[p];
            x1 := d1.i2[p]; y1 := d1.chg2[p];
            x2 := d1.i1[p] + cardinality(t) - cardinality(b); y2 := d1.chg1[p];
            have := true;
            p := p + 1;
        ELSIF q <= k2 THEN
            mode := 2;
            x0 := d2.i1[q]; y0 := d2.chg1[q];
            x1 := d2.i1[q] + cardinality(o) - cardinality(b); y1 := d2.chg1[q];
            x2 := d2.i2[q]; y2 := d2.chg2[q];
            have := true;
            q := q + 1;
        ELSE
            EXIT;
        END IF;
        IF have THEN
            -- xdl_append_merge: a hunk that touches the previous one (on either side) joins it,
            -- and hunks from different sides joined that way become a conflict.
            IF mc > 0 AND (x1 <= m_i1[mc] + m_c1[mc] OR x2 <= m_i2[mc] + m_c2[mc]) THEN
                IF mode <> m_mode[mc] THEN m_mode[mc] := 0; END IF;
                m_c0[mc] := x0 + y0 - m_i0[mc];
                m_c1[mc] := x1 + y1 - m_i1[mc];
                m_c2[mc] := x2 + y2 - m_i2[mc];
            ELSE
                mc := mc + 1;
                m_mode[mc] := mode;
                m_i0[mc] := x0; m_c0[mc] := y0;
                m_i1[mc] := x1; m_c1[mc] := y1;
                m_i2[mc] := x2; m_c2[mc] := y2;
            END IF;
        END IF;
    END LOOP;

    -- xdl_refine_conflicts: diff the two sides of each conflict; identical sides are no conflict,
    -- otherwise only the differing hunks stay conflicts (lines common to both are merged).
    r_mode := '{}'; r_i0 := '{}'; r_c0 := '{}'; r_i1 := '{}'; r_c1 := '{}'; r_i2 := '{}'; r_c2 := '{}';
    FOR k IN 1..mc LOOP
        IF m_mode[k] <> 0 OR m_c1[k] = 0 OR m_c2[k] = 0 THEN
            r_mode := r_mode || m_mode[k]; r_i0 := r_i0 || m_i0[k]; r_c0 := r_c0 || m_c0[k];
            r_i1 := r_i1 || m_i1[k]; r_c1 := r_c1 || m_c1[k]; r_i2 := r_i2 || m_i2[k]; r_c2 := r_c2 || m_c2[k];
            CONTINUE;
        END IF;
        sub := pggit_v0._xdiff(o[m_i1[k] + 1 : m_i1[k] + m_c1[k]], t[m_i2[k] + 1 : m_i2[k] + m_c2[k]]);
        IF cardinality(sub.i1) = 0 THEN
            r_mode := r_mode || 4; r_i0 := r_i0 || m_i0[k]; r_c0 := r_c0 || m_c0[k];
            r_i1 := r_i1 || m_i1[k]; r_c1 := r_c1 || m_c1[k]; r_i2 := r_i2 || m_i2[k]; r_c2 := r_c2 || m_c2[k];
            CONTINUE;
        END IF;
        FOR h IN 1..cardinality(sub.i1) LOOP
            r_mode := r_mode || 0; r_i0 := r_i0 || m_i0[k]; r_c0 := r_c0 || m_c0[k];
            r_i1 := r_i1 || (sub.i1[h] + m_i1[k]); r_c1 := r_c1 || sub.chg1[h];
            r_i2 := r_i2 || (sub.i2[h] + m_i2[k]); r_c2 := r_c2 || sub.chg2[h];
        END LOOP;
    END LOOP;
    m_mode := r_mode; m_i0 := r_i0; m_c0 := r_c0; m_i1 := r_i1; m_c1 := r_c1; m_i2 := r_i2; m_c2 := r_c2;
    mc := cardinality(m_mode);

    -- xdl_simplify_non_conflicts: conflicts at most 3 lines apart become one.
    k := 1;
    WHILE k < mc LOOP
        IF m_mode[k] = 0 AND m_mode[k + 1] = 0 AND m_i1[k + 1] - (m_i1[k] + m_c1[k]) <= 3 THEN
            m_c0[k] := m_i0[k + 1] + m_c0[k + 1] - m_i0[k];
            m_c1[k] := m_i1[k + 1] + m_c1[k + 1] - m_i1[k];
            m_c2[k] := m_i2[k + 1] + m_c2[k + 1] - m_i2[k];
            m_mode := m_mode[1:k] || m_mode[k + 2:mc];
            m_i0 := m_i0[1:k] || m_i0[k + 2:mc]; m_c0 := m_c0[1:k] || m_c0[k + 2:mc];
            m_i1 := m_i1[1:k] || m_i1[k + 2:mc]; m_c1 := m_c1[1:k] || m_c1[k + 2:mc];
            m_i2 := m_i2[1:k] || m_i2[k + 2:mc]; m_c2 := m_c2[1:k] || m_c2[k + 2:mc];
            mc := mc - 1;
        ELSE
            k := k + 1;
        END IF;
    END LOOP;

    -- xdl_fill_merge_buffer: ours, with theirs' hunks and the conflicts spliced in.
    FOR k IN 1..mc LOOP
        CONTINUE WHEN m_mode[k] = 4;
        pieces := pieces || array_to_string(ours_lines[pos + 1 : m_i1[k]], '');
        IF m_mode[k] = 0 THEN
            conflicts := conflicts + 1;
            pieces := pieces || (repeat('<', p_marker_size) || coalesce(' ' || p_ours_label, '') || E'\n');
            chunk := array_to_string(ours_lines[m_i1[k] + 1 : m_i1[k] + m_c1[k]], '');
            pieces := pieces || CASE WHEN chunk = '' OR right(chunk, 1) = E'\n' THEN chunk ELSE chunk || E'\n' END;
            pieces := pieces || (repeat('=', p_marker_size) || E'\n');
            chunk := array_to_string(theirs_lines[m_i2[k] + 1 : m_i2[k] + m_c2[k]], '');
            pieces := pieces || CASE WHEN chunk = '' OR right(chunk, 1) = E'\n' THEN chunk ELSE chunk || E'\n' END;
            pieces := pieces || (repeat('>', p_marker_size) || coalesce(' ' || p_theirs_label, '') || E'\n');
        ELSIF m_mode[k] = 1 THEN
            pieces := pieces || array_to_string(ours_lines[m_i1[k] + 1 : m_i1[k] + m_c1[k]], '');
        ELSE
            pieces := pieces || array_to_string(theirs_lines[m_i2[k] + 1 : m_i2[k] + m_c2[k]], '');
        END IF;
        pos := m_i1[k] + m_c1[k];
    END LOOP;
    pieces := pieces || array_to_string(ours_lines[pos + 1 : cardinality(ours_lines)], '');
    merged := array_to_string(pieces, '');
END
$$;
COMMENT ON FUNCTION pggit_v0._merge_file(text, text, text, int, text, text) IS 'Three-way merge of one file as git''s xdl_merge does it (histogram diff, zealous level): the merged text and the number of conflict hunks, written with conflict markers.';

-- ---------------------------------------------------------------------------
-- Tree merges
-- ---------------------------------------------------------------------------
-- A blob's text: synthesized blobs of a virtual merge base live only in p_blobs {sha: text}.
CREATE OR REPLACE FUNCTION pggit_v0._blob_text(p_sha text, p_blobs jsonb DEFAULT NULL) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(p_blobs ->> p_sha, (SELECT convert_from(o.data, 'UTF8') FROM pggit_v0.objects o WHERE o.sha = p_sha))
$$;

-- A tree as a path map {path: blob sha}: the form in-memory (virtual) trees take.
CREATE OR REPLACE FUNCTION pggit_v0._tree_map(p_tree text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_object_agg(b.path, b.sha), '{}') FROM pggit_v0._tree_blobs(p_tree) b
$$;

-- A commit's root tree (a full sha; resolve_ref() names first). PL/pgSQL, as _author_of: the
-- plan of a SQL function that cannot be inlined is made anew at every call from a query.
CREATE OR REPLACE FUNCTION pggit_v0._commit_tree_of(p_commit text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = p_commit);
END
$$;

-- One path changed on both sides, differently (the caller settles every other case):
--   both present             three-way content merge (base '' when the path is new: add/add);
--   deleted on one side      modify/delete (source modified, target deleted) or delete/modify.
-- At p_depth > 0 (inside a virtual merge base) conflicts are settled as git settles them there:
-- a content conflict keeps the text with markers (7 + 2 * depth characters wide), a
-- modify/delete keeps the merge base's version.
CREATE OR REPLACE FUNCTION pggit_v0._merge_entry(p_base text, p_ours text, p_theirs text, p_blobs jsonb, p_depth int,
    p_ours_label text, p_theirs_label text,
    OUT result_sha text, OUT result_content text, OUT conflict_type text, OUT merged_content text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_merge record;
BEGIN
    IF p_ours IS NULL OR p_theirs IS NULL THEN
        conflict_type := CASE WHEN p_ours IS NULL THEN 'modify/delete' ELSE 'delete/modify' END;
        IF p_depth > 0 THEN
            result_sha := p_base;
        END IF;
        RETURN;
    END IF;
    v_merge := pggit_v0._merge_file(pggit_v0._blob_text(p_base, p_blobs), pggit_v0._blob_text(p_ours, p_blobs),
        pggit_v0._blob_text(p_theirs, p_blobs), 7 + 2 * p_depth, p_ours_label, p_theirs_label);
    IF v_merge.conflicts > 0 THEN
        conflict_type := CASE WHEN p_base IS NULL THEN 'add/add' ELSE 'modify/modify' END;
        merged_content := v_merge.merged;
        IF p_depth = 0 THEN
            RETURN;
        END IF;
    END IF;
    result_content := v_merge.merged;
    result_sha := pggit_v0._hash_object('blob', convert_to(v_merge.merged, 'UTF8'));
END
$$;

-- The blob ids of some paths in a tree (absent paths give no row); only the directories on the
-- way to them are read, each once.
CREATE OR REPLACE FUNCTION pggit_v0._tree_lookup(p_tree text, p_paths text[]) RETURNS TABLE (path text, sha text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    IF cardinality(p_paths) <= 8 THEN
        -- A few paths (a rebase or cherry-pick replays small commits): point lookups, each reading
        -- only the delta chains down to its name, not whole directories.
        RETURN QUERY
            SELECT p.p, s.sha FROM (SELECT DISTINCT unnest(p_paths)) AS p(p),
                LATERAL (SELECT pggit_v0._tree_path_sha(p_tree, p.p) AS sha OFFSET 0) s   -- one lookup per path
            WHERE s.sha IS NOT NULL;
        RETURN;
    END IF;
    RETURN QUERY
    WITH RECURSIVE walk(path, sha) AS (
        SELECT ''::text COLLATE "C", p_tree COLLATE "C"
        UNION ALL
        SELECT w.path || e.name, e.sha
        FROM walk w
        CROSS JOIN LATERAL (
            SELECT x.name, x.sha FROM pggit_v0._tree_entries(w.sha) x
            WHERE x.name IN (SELECT split_part(substr(p, length(w.path) + 1), '/', 1)
                                    || CASE WHEN strpos(substr(p, length(w.path) + 1), '/') > 0 THEN '/' ELSE '' END
                             FROM unnest(p_paths) AS p WHERE starts_with(p, w.path))
        ) e
        WHERE w.path = '' OR right(w.path, 1) = '/'
    )
    SELECT w.path::text, w.sha::text FROM walk w WHERE w.path <> '' AND right(w.path, 1) <> '/';
END
$$;

-- Three-way merge of trees: one row per path the theirs side changed against the base (a path
-- only ours changed keeps ours, so it needs no row), with the result (result_sha NULL = absent;
-- result_content set when the result is a new blob not stored yet) or, at depth 0, the conflict.
-- Base and ours may be given as path maps instead of trees (virtual merge bases); otherwise only
-- theirs' changes are read (identical subtrees skipped), and ours only at those paths.
CREATE OR REPLACE FUNCTION pggit_v0._merge_trees(p_base_tree text, p_base_map jsonb, p_ours_tree text, p_ours_map jsonb,
    p_theirs_tree text, p_blobs jsonb, p_depth int, p_ours_label text, p_theirs_label text)
RETURNS TABLE (path text, base_sha text, ours_sha text, theirs_sha text, result_sha text, result_content text,
               conflict_type text, merged_content text, base_content text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_paths text[];
    v_base text[];
    v_ours text[];
    v_theirs text[];
BEGIN
    IF p_base_map IS NULL AND p_ours_map IS NULL THEN
        WITH theirs AS (
            SELECT d.path, d.old_sha, d.new_sha FROM pggit_v0._diff_trees(p_base_tree, p_theirs_tree) d
        )
        SELECT array_agg(t.path ORDER BY t.path COLLATE "C"), array_agg(t.old_sha ORDER BY t.path COLLATE "C"),
               array_agg(o.sha ORDER BY t.path COLLATE "C"), array_agg(t.new_sha ORDER BY t.path COLLATE "C")
        INTO v_paths, v_base, v_ours, v_theirs
        FROM theirs t
        LEFT JOIN pggit_v0._tree_lookup(p_ours_tree, ARRAY(SELECT x.path FROM theirs x)) o ON o.path = t.path;
    ELSE
        SELECT array_agg(t.key ORDER BY t.key COLLATE "C"), array_agg(b.value ORDER BY t.key COLLATE "C"),
               array_agg(o.value ORDER BY t.key COLLATE "C"), array_agg(t.value ORDER BY t.key COLLATE "C")
        INTO v_paths, v_base, v_ours, v_theirs
        FROM (SELECT coalesce(tb.key, tt.key) AS key, tt.value
              FROM jsonb_each_text(coalesce(p_base_map, pggit_v0._tree_map(p_base_tree))) tb
              FULL JOIN jsonb_each_text(pggit_v0._tree_map(p_theirs_tree)) tt ON tt.key = tb.key
              WHERE tb.value IS DISTINCT FROM tt.value) t
        LEFT JOIN jsonb_each_text(coalesce(p_base_map, pggit_v0._tree_map(p_base_tree))) b ON b.key = t.key
        LEFT JOIN jsonb_each_text(coalesce(p_ours_map, pggit_v0._tree_map(p_ours_tree))) o ON o.key = t.key;
    END IF;

    RETURN QUERY
    SELECT c.path, c.base_sha, c.ours_sha, c.theirs_sha,
           CASE WHEN c.ours_sha IS NOT DISTINCT FROM c.theirs_sha THEN c.ours_sha
                WHEN c.base_sha IS NOT DISTINCT FROM c.ours_sha THEN c.theirs_sha
                ELSE e.result_sha END,
           e.result_content, e.conflict_type, e.merged_content,
           CASE WHEN e.conflict_type IS NOT NULL THEN pggit_v0._blob_text(c.base_sha, p_blobs) END
    FROM unnest(v_paths, v_base, v_ours, v_theirs) AS c(path, base_sha, ours_sha, theirs_sha)
    LEFT JOIN LATERAL (
        -- Only paths both sides changed differently reach the content merge (a one-time filter:
        -- OFFSET 0 keeps the subquery from being flattened, which would call _merge_entry first).
        SELECT x.* FROM pggit_v0._merge_entry(c.base_sha, c.ours_sha, c.theirs_sha, p_blobs, p_depth, p_ours_label, p_theirs_label) x
        WHERE c.ours_sha IS DISTINCT FROM c.theirs_sha AND c.base_sha IS DISTINCT FROM c.ours_sha
        OFFSET 0
    ) e ON true
    ORDER BY c.path COLLATE "C";
END
$$;

-- Best common ancestors of two sets of commits (a virtual commit stands for the set of its
-- parents): the pairwise merge bases, less those that are ancestors of another.
CREATE OR REPLACE FUNCTION pggit_v0._merge_bases_of_sets(p_a text[], p_b text[]) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_candidates text[];
BEGIN
    IF cardinality(p_a) = 1 AND cardinality(p_b) = 1 THEN
        RETURN pggit_v0._merge_bases(p_a[1], p_b[1]);
    END IF;
    SELECT coalesce(array_agg(DISTINCT c), '{}') INTO v_candidates
    FROM unnest(p_a) a, unnest(p_b) b, LATERAL unnest(pggit_v0._merge_bases(a, b)) c;
    RETURN ARRAY(
        SELECT c FROM unnest(v_candidates) c JOIN pggit_v0.commit_graph g ON g.commit_sha = c
        WHERE NOT EXISTS (SELECT 1 FROM unnest(v_candidates) d
                          WHERE d <> c AND pggit_v0._merge_bases(c, d) = ARRAY[c])
        ORDER BY g.generation DESC, c);
END
$$;

-- git's virtual merge base for criss-cross histories: the merge bases, oldest commit first, are
-- merged one into the other (their own merge bases found, and merged the same way when there are
-- several, one level deeper); conflicts inside stay in the result as git leaves them (markers,
-- or the older version for modify/delete). The result is a path map and the texts of the blobs
-- it made up; nothing is written.
CREATE OR REPLACE FUNCTION pggit_v0._virtual_base(p_bases text[], p_depth int, OUT map jsonb, OUT blobs jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_ordered text[];
    v_tips text[];
    v_inner text[];
    v_inner_tree text;
    v_inner_map jsonb;
    v_inner_base record;
    v_next text;
    v_result record;
BEGIN
    v_ordered := ARRAY(SELECT b FROM unnest(p_bases) b JOIN pggit_v0.commit_graph g ON g.commit_sha = b
                       ORDER BY g.committed_at, g.generation, b);
    map := pggit_v0._tree_map(pggit_v0._commit_tree_of(v_ordered[1]));
    blobs := '{}';
    v_tips := ARRAY[v_ordered[1]];
    FOREACH v_next IN ARRAY v_ordered[2:] LOOP
        v_inner := pggit_v0._merge_bases_of_sets(v_tips, ARRAY[v_next]);
        v_inner_tree := NULL;
        v_inner_map := NULL;
        IF cardinality(v_inner) = 0 THEN
            v_inner_map := '{}';
        ELSIF cardinality(v_inner) = 1 THEN
            v_inner_tree := pggit_v0._commit_tree_of(v_inner[1]);
        ELSE
            v_inner_base := pggit_v0._virtual_base(v_inner, p_depth + 1);
            v_inner_map := v_inner_base.map;
            blobs := blobs || v_inner_base.blobs;
        END IF;
        SELECT coalesce(jsonb_object_agg(r.path, r.result_sha) FILTER (WHERE r.result_sha IS NOT NULL), '{}') AS kept,
               coalesce(array_agg(r.path) FILTER (WHERE r.result_sha IS NULL), '{}') AS removed,
               coalesce(jsonb_object_agg(r.result_sha, r.result_content) FILTER (WHERE r.result_content IS NOT NULL), '{}') AS made
        INTO v_result
        FROM pggit_v0._merge_trees(v_inner_tree, v_inner_map, NULL, map,
                                   pggit_v0._commit_tree_of(v_next),
                                   blobs, p_depth, 'Temporary merge branch 1', 'Temporary merge branch 2') r;
        map := (map - v_result.removed) || v_result.kept;
        blobs := blobs || v_result.made;
        v_tips := v_tips || v_next;
    END LOOP;
END
$$;

-- The plan for merging p_theirs into p_ours (commits) over their merge bases: _merge_trees' rows.
-- merge_branch, complete_merge and detect_merge_conflicts all read this one function.
CREATE OR REPLACE FUNCTION pggit_v0._merge_commits(p_ours text, p_theirs text, p_bases text[], p_ours_label text, p_theirs_label text)
RETURNS TABLE (path text, base_sha text, ours_sha text, theirs_sha text, result_sha text, result_content text,
               conflict_type text, merged_content text, base_content text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_ours_tree text := pggit_v0._commit_tree_of(p_ours);
    v_theirs_tree text := pggit_v0._commit_tree_of(p_theirs);
    v_virtual record;
BEGIN
    IF cardinality(p_bases) = 1 THEN
        RETURN QUERY SELECT * FROM pggit_v0._merge_trees(
            pggit_v0._commit_tree_of(p_bases[1]), NULL,
            v_ours_tree, NULL, v_theirs_tree, '{}', 0, p_ours_label, p_theirs_label);
    ELSE
        v_virtual := pggit_v0._virtual_base(p_bases, 1);
        RETURN QUERY SELECT * FROM pggit_v0._merge_trees(NULL, v_virtual.map, v_ours_tree, NULL, v_theirs_tree,
            v_virtual.blobs, 0, p_ours_label, p_theirs_label);
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Shared helpers of the public functions
-- ---------------------------------------------------------------------------
-- The live database is the checked-out branch's working tree: nothing but commit() may move it
-- until there is an apply step that changes the database to match.
CREATE OR REPLACE FUNCTION pggit_v0._refuse_checked_out(p_branch text, p_operation text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_branch = pggit_v0._head_branch() THEN
        PERFORM pggit_v0._raise('PGC01',
            format('branch %L is checked out, so the live database is its working tree; %s needs the working-tree apply step, which does not exist yet',
                   p_branch, p_operation),
            'work on another branch (pggit_v0.create_branch()), or check out another branch first');
    END IF;
END
$$;

-- How two commits relate for a merge of p_source into p_target:
-- up_to_date (the source is already in the target), fast_forward (the target is an ancestor of
-- the source) or merge; unrelated histories are refused, as git merge does.
CREATE OR REPLACE FUNCTION pggit_v0._merge_kind(p_source_sha text, p_target_sha text, p_source text, p_target text,
    OUT bases text[], OUT kind text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    bases := pggit_v0._merge_bases(p_target_sha, p_source_sha);
    IF cardinality(bases) = 0 THEN
        PERFORM pggit_v0._raise('PGC01', format('%L and %L share no history, so there is no merge base', p_source, p_target),
            'merge branches that grew from a common commit');
    END IF;
    kind := CASE WHEN p_source_sha = p_target_sha OR p_source_sha = ANY (bases) THEN 'up_to_date'
                 WHEN p_target_sha = ANY (bases) THEN 'fast_forward'
                 ELSE 'merge' END;
END
$$;

-- The identity of a commit's author as commit_tree() takes it.
CREATE OR REPLACE FUNCTION pggit_v0._author_of(p_commit text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT format('%s <%s>', author, author_email) FROM pggit_v0.commit_graph WHERE commit_sha = p_commit);
END
$$;

-- Writes the new blobs of a plan's result and the tree that results from applying it to
-- p_base_tree. p_paths/p_shas/p_contents: NULL sha and NULL content delete the path.
CREATE OR REPLACE FUNCTION pggit_v0._write_result_tree(p_base_tree text, p_paths text[], p_shas text[], p_contents text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_written text[] := pggit_v0._write_blobs(p_contents);
BEGIN
    RETURN pggit_v0._write_tree(p_base_tree, p_paths,
        coalesce(ARRAY(SELECT coalesce(w, s) FROM unnest(p_shas, v_written) WITH ORDINALITY AS u(s, w, ord) ORDER BY ord), '{}'));
END
$$;

-- The pending merge a call means: p_merge_id, else the only pending merge (that has a conflict on
-- p_path, when given). Errors name the candidates.
CREATE OR REPLACE FUNCTION pggit_v0._pending_merge(p_merge_id uuid, p_path text DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_candidates text[];
    v_ids uuid[];
BEGIN
    IF p_merge_id IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM pggit_v0.merges WHERE id = p_merge_id AND status = 'conflicted') THEN
            PERFORM pggit_v0._raise('P0002', format('no pending merge %s', p_merge_id),
                'pending merges: SELECT * FROM pggit_v0.list_merges()');
        END IF;
        RETURN p_merge_id;
    END IF;
    SELECT array_agg(m.id ORDER BY m.created_at, m.id),
           array_agg(format('%s (%s into %s)', m.id, m.source_branch, m.target_branch) ORDER BY m.created_at, m.id)
    INTO v_ids, v_candidates
    FROM pggit_v0.merges m
    WHERE m.status = 'conflicted'
      AND (p_path IS NULL OR EXISTS (SELECT 1 FROM pggit_v0.merge_conflicts c WHERE c.merge_id = m.id AND c.object_path = p_path));
    IF v_ids IS NULL THEN
        IF p_path IS NOT NULL AND EXISTS (SELECT 1 FROM pggit_v0.merges WHERE status = 'conflicted') THEN
            PERFORM pggit_v0._raise('P0002', format('no pending merge has a conflict on path %L', p_path),
                'list the conflicts with SELECT * FROM pggit_v0.list_merge_conflicts()');
        END IF;
        PERFORM pggit_v0._raise('P0002', 'no merge is pending', 'merge_branch() records a merge that stops on conflicts');
    ELSIF cardinality(v_ids) > 1 THEN
        PERFORM pggit_v0._raise('22023', format('%s merges are pending%s: %s', cardinality(v_ids),
                CASE WHEN p_path IS NULL THEN '' ELSE format(' with a conflict on %L', p_path) END, array_to_string(v_candidates, ', ')),
            'name one with p_merge_id');
    END IF;
    RETURN v_ids[1];
END
$$;

-- ---------------------------------------------------------------------------
-- Feature branches
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0.create_feature_branch(p_feature_name text, p_description text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_branch text := 'feature/' || regexp_replace(coalesce(btrim(p_feature_name), ''), '^feature/', '');
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    PERFORM pggit_v0.create_branch(v_branch, NULL);
    UPDATE pggit_v0.refs SET description = p_description WHERE name = v_branch;
    PERFORM pggit_v0._track('create_feature_branch', v_started);
    RETURN v_branch;
END
$$;
COMMENT ON FUNCTION pggit_v0.create_feature_branch(text, text) IS 'Creates branch feature/<name> at HEAD with a description (kept in refs.description); returns the branch name. A name already starting with feature/ is not prefixed twice.';

-- ---------------------------------------------------------------------------
-- Merging
-- ---------------------------------------------------------------------------
-- The merge itself. p_on_conflict: 'record' keeps a pending merge (merge_branch), 'raise' refuses
-- with PGC01 (complete_merge_request).
CREATE OR REPLACE FUNCTION pggit_v0._merge_branch(p_source text, p_target text, p_strategy text, p_message text,
    p_author text, p_on_conflict text,
    OUT merge_commit_sha text, OUT conflicts boolean, OUT conflict_objects text[], OUT kind text, OUT merge_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
    v_source text;
    v_target text;
    v_merge record;
    v_pending record;
    v_plan record;
    v_paths text[];
    v_shas text[];
    v_contents text[];
    v_tree text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    IF p_strategy IS NULL OR p_strategy NOT IN ('recursive', 'ours', 'theirs') THEN
        PERFORM pggit_v0._raise('22023', format('merge strategy %L is unknown', p_strategy),
            'use recursive (stop on conflicts), ours (conflicts take the target''s version) or theirs (the source''s)');
    END IF;
    PERFORM pggit_v0._parse_ident(p_author);
    v_source := pggit_v0.resolve_ref(p_source);
    PERFORM pggit_v0._branch_tip(p_target);
    -- Merges into one branch queue on its ref row and merge into the tip they find.
    SELECT r.target_sha INTO v_target FROM pggit_v0.refs r WHERE r.name = p_target AND r.type = 'branch' FOR UPDATE;
    v_merge := pggit_v0._merge_kind(v_source, v_target, p_source, p_target);
    kind := v_merge.kind;
    conflicts := false;
    conflict_objects := '{}';
    IF kind = 'up_to_date' THEN
        merge_commit_sha := v_target;
        RETURN;
    END IF;
    PERFORM pggit_v0._refuse_checked_out(p_target, 'merging into it');
    IF kind = 'fast_forward' THEN
        PERFORM pggit_v0.update_ref(p_target, v_source, v_target, 'merge', 'branch',
            jsonb_build_object('source', p_source, 'source_sha', v_source, 'strategy', p_strategy, 'fast_forward', true));
        merge_commit_sha := v_source;
        RETURN;
    END IF;

    SELECT * INTO v_pending FROM pggit_v0.merges m
    WHERE m.target_branch = p_target AND m.source_branch = p_source AND m.status = 'conflicted';
    IF FOUND THEN
        IF p_strategy = 'recursive' AND p_on_conflict = 'record' AND v_pending.source_sha = v_source AND v_pending.target_sha = v_target THEN
            conflicts := true;
            conflict_objects := ARRAY(SELECT c.object_path::text FROM pggit_v0.merge_conflicts c
                                      WHERE c.merge_id = v_pending.id ORDER BY c.object_path);
            merge_id := v_pending.id;
            RETURN;
        END IF;
        PERFORM pggit_v0._raise('PGC01', format('a merge of %L into %L is pending (merge %s)', p_source, p_target, v_pending.id),
            format('resolve its conflicts with resolve_conflict(), or abort_merge(%L) and merge again', v_pending.id));
    END IF;

    -- One pass over the plan: what each path takes (a conflict: the strategy's side) and the conflicts.
    SELECT coalesce(array_agg(p.path ORDER BY p.path COLLATE "C") FILTER (WHERE p.conflict_type IS NOT NULL), '{}') AS conflicted,
           coalesce(array_agg(p.path ORDER BY p.path COLLATE "C") FILTER (WHERE p.take IS DISTINCT FROM p.ours_sha), '{}') AS paths,
           coalesce(array_agg(p.take ORDER BY p.path COLLATE "C") FILTER (WHERE p.take IS DISTINCT FROM p.ours_sha), '{}') AS shas,
           coalesce(array_agg(p.result_content ORDER BY p.path COLLATE "C") FILTER (WHERE p.take IS DISTINCT FROM p.ours_sha), '{}') AS contents,
           jsonb_agg(jsonb_build_object('path', p.path, 'type', p.conflict_type, 'base_sha', p.base_sha, 'source_sha', p.theirs_sha,
                                        'target_sha', p.ours_sha, 'base_ddl', p.base_content, 'merged_ddl', p.merged_content))
               FILTER (WHERE p.conflict_type IS NOT NULL) AS conflict_rows
    INTO v_plan
    FROM (SELECT x.*, CASE WHEN x.conflict_type IS NULL THEN x.result_sha WHEN p_strategy = 'theirs' THEN x.theirs_sha ELSE x.ours_sha END AS take
          FROM pggit_v0._merge_commits(v_target, v_source, v_merge.bases, p_target, p_source) x) p;
    conflict_objects := v_plan.conflicted;

    IF cardinality(v_plan.conflicted) > 0 AND p_strategy = 'recursive' THEN
        conflicts := true;
        IF p_on_conflict = 'raise' THEN
            RETURN;
        END IF;
        INSERT INTO pggit_v0.merges (source_branch, target_branch, source_sha, target_sha, base_shas, strategy, status, created_by)
        VALUES (p_source, p_target, v_source, v_target, v_merge.bases, p_strategy, 'conflicted', pggit_v0._actor())
        RETURNING id INTO merge_id;
        INSERT INTO pggit_v0.merge_conflicts (merge_id, object_path, conflict_type, base_sha, source_sha, target_sha,
                                              base_ddl, source_ddl, target_ddl, merged_ddl)
        SELECT merge_id, c.path, c.type, c.base_sha, c.source_sha, c.target_sha,
               c.base_ddl, pggit_v0._blob_text(c.source_sha), pggit_v0._blob_text(c.target_sha), c.merged_ddl
        FROM jsonb_to_recordset(v_plan.conflict_rows)
             AS c(path text, type text, base_sha text, source_sha text, target_sha text, base_ddl text, merged_ddl text);
        PERFORM pggit_v0._record_activity('merge_conflicts', p_target, NULL, jsonb_build_object(
            'merge_id', merge_id, 'source', p_source, 'source_sha', v_source, 'target_sha', v_target,
            'conflict_objects', to_jsonb(conflict_objects)));
        RETURN;
    END IF;

    v_tree := pggit_v0._write_result_tree(pggit_v0._commit_tree_of(v_target), v_plan.paths, v_plan.shas, v_plan.contents);
    IF v_tree IS NULL THEN
        PERFORM pggit_v0._raise('22023', format('merging %L into %L would leave %L empty', p_source, p_target, p_target),
            'keep at least one object on one side');
    END IF;
    merge_commit_sha := pggit_v0.commit_tree(v_tree, ARRAY[v_target, v_source],
        coalesce(p_message, format('Merge branch %L into %L', p_source, p_target)), p_author, pggit_v0._actor());
    PERFORM pggit_v0.update_ref(p_target, merge_commit_sha, v_target, 'merge', 'branch',
        jsonb_build_object('source', p_source, 'source_sha', v_source, 'strategy', p_strategy, 'fast_forward', false,
                           'resolved_by_strategy', to_jsonb(conflict_objects)));
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.merge_branch_detailed(p_source_branch text, p_target_branch text, p_merge_strategy text DEFAULT 'recursive',
    p_message text DEFAULT NULL, p_author text DEFAULT NULL)
RETURNS TABLE (merge_commit_sha text, conflicts boolean, conflict_objects text[], outcome text, merge_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_result record;
BEGIN
    v_result := pggit_v0._merge_branch(p_source_branch, p_target_branch, p_merge_strategy, p_message, p_author, 'record');
    IF v_result.conflicts THEN
        RAISE NOTICE 'merge of % into % stopped on conflicts in %; pending merge %', p_source_branch, p_target_branch,
            array_to_string(v_result.conflict_objects, ', '), v_result.merge_id;
    ELSIF v_result.kind = 'up_to_date' THEN
        RAISE NOTICE 'already up to date: % is merged into %', p_source_branch, p_target_branch;
    END IF;
    merge_commit_sha := v_result.merge_commit_sha;
    conflicts := v_result.conflicts;
    conflict_objects := v_result.conflict_objects;
    outcome := CASE WHEN v_result.conflicts THEN 'conflicts' ELSE v_result.kind END;
    merge_id := CASE WHEN v_result.conflicts THEN v_result.merge_id END;
    RETURN NEXT;
    PERFORM pggit_v0._track('merge_branch', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.merge_branch_detailed(text, text, text, text, text) IS 'merge_branch() with what happened: outcome merge | fast_forward | up_to_date | conflicts, and on conflicts the pending merge''s id.';

CREATE OR REPLACE FUNCTION pggit_v0.merge_branch(p_source_branch text, p_target_branch text, p_merge_strategy text DEFAULT 'recursive',
    p_message text DEFAULT NULL, p_author text DEFAULT NULL)
RETURNS TABLE (merge_commit_sha text, conflicts boolean, conflict_objects text[])
LANGUAGE sql AS $$
    SELECT m.merge_commit_sha, m.conflicts, m.conflict_objects
    FROM pggit_v0.merge_branch_detailed(p_source_branch, p_target_branch, p_merge_strategy, p_message, p_author) m
$$;
COMMENT ON FUNCTION pggit_v0.merge_branch(text, text, text, text, text) IS 'Merges a branch (or any revision) into a branch that is not checked out, as git merge does: up to date = nothing written, merge_commit_sha the target tip; target an ancestor = fast-forward; otherwise a three-way merge with git''s line-level rules and one merge commit (parents target, source). recursive: conflicts write nothing but a pending merge (merges, merge_conflicts), merge_commit_sha NULL; ours / theirs: conflicting paths take the target''s / the source''s version (conflict_objects lists them, conflicts false).';

CREATE OR REPLACE FUNCTION pggit_v0.detect_merge_conflicts(p_source_branch text, p_target_branch text)
RETURNS TABLE (object_path text, conflict_type text, source_definition text, target_definition text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_source text := pggit_v0.resolve_ref(p_source_branch);
    v_target text := pggit_v0._branch_tip(p_target_branch);
    v_merge record := pggit_v0._merge_kind(v_source, v_target, p_source_branch, p_target_branch);
BEGIN
    IF v_merge.kind = 'merge' THEN
        RETURN QUERY
            SELECT p.path, p.conflict_type, pggit_v0._blob_text(p.theirs_sha), pggit_v0._blob_text(p.ours_sha)
            FROM pggit_v0._merge_commits(v_target, v_source, v_merge.bases, p_target_branch, p_source_branch) p
            WHERE p.conflict_type IS NOT NULL
            ORDER BY p.path COLLATE "C";
    END IF;
    PERFORM pggit_v0._track('detect_merge_conflicts', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.detect_merge_conflicts(text, text) IS 'The conflicts merge_branch(source, target, ''recursive'') would stop on, writing nothing: path, type (source change / target change: modify/modify, modify/delete, delete/modify, add/add) and both definitions (NULL = deleted).';

CREATE OR REPLACE FUNCTION pggit_v0.list_merges(p_source_branch text DEFAULT NULL, p_target_branch text DEFAULT NULL,
    p_status text DEFAULT 'conflicted')
RETURNS TABLE (merge_id uuid, source_branch text, target_branch text, source_sha text, target_sha text, strategy text,
               status text, conflicts int, unresolved int, merge_commit_sha text, created_by text, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF p_status IS NOT NULL AND p_status NOT IN ('conflicted', 'completed') THEN
        PERFORM pggit_v0._raise('22023', format('merge status %L is unknown', p_status), 'use conflicted, completed, or NULL for all');
    END IF;
    RETURN QUERY
        SELECT m.id, m.source_branch::text, m.target_branch::text, m.source_sha::text, m.target_sha::text, m.strategy, m.status,
               (SELECT count(*)::int FROM pggit_v0.merge_conflicts c WHERE c.merge_id = m.id),
               (SELECT count(*)::int FROM pggit_v0.merge_conflicts c WHERE c.merge_id = m.id AND c.resolution IS NULL),
               m.merge_commit_sha::text, m.created_by, m.created_at
        FROM pggit_v0.merges m
        WHERE (p_source_branch IS NULL OR m.source_branch = p_source_branch)
          AND (p_target_branch IS NULL OR m.target_branch = p_target_branch)
          AND (p_status IS NULL OR m.status = p_status)
        ORDER BY m.created_at, m.id;
    PERFORM pggit_v0._track('list_merges', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_merges(text, text, text) IS 'Merges that stopped on conflicts, by source and target: pending ones (status conflicted, the default) or completed ones (p_status NULL = all), with their conflict counts.';

CREATE OR REPLACE FUNCTION pggit_v0.list_merge_conflicts(p_merge_id uuid DEFAULT NULL)
RETURNS TABLE (merge_id uuid, source_branch text, target_branch text, object_path text, conflict_type text,
               base_definition text, source_definition text, target_definition text, merged_definition text,
               resolution text, resolved_by text, resolved_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY
        SELECT m.id, m.source_branch::text, m.target_branch::text, c.object_path::text, c.conflict_type,
               c.base_ddl, c.source_ddl, c.target_ddl, c.merged_ddl, c.resolution, c.resolved_by, c.resolved_at
        FROM pggit_v0.merges m JOIN pggit_v0.merge_conflicts c ON c.merge_id = m.id
        WHERE m.status = 'conflicted' AND (p_merge_id IS NULL OR m.id = p_merge_id)
        ORDER BY m.created_at, m.id, c.object_path;
    PERFORM pggit_v0._track('list_merge_conflicts', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_merge_conflicts(uuid) IS 'The conflicts of the pending merges (or of one): base, source and target definitions, the text with git''s conflict markers (modify/modify, add/add), and the resolution made so far.';

CREATE OR REPLACE FUNCTION pggit_v0.complete_merge(p_merge_id uuid DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_id uuid;
    v_merge record;
    v_tip text;
    v_unresolved text[];
    v_plan record;
    v_tree text;
    v_commit text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    v_id := pggit_v0._pending_merge(p_merge_id);
    SELECT * INTO v_merge FROM pggit_v0.merges WHERE id = v_id FOR UPDATE;
    IF v_merge.status <> 'conflicted' THEN
        PERFORM pggit_v0._raise('P0002', format('merge %s is no longer pending', v_id), NULL);
    END IF;
    SELECT array_agg(object_path::text ORDER BY object_path) INTO v_unresolved
    FROM pggit_v0.merge_conflicts WHERE merge_id = v_id AND resolution IS NULL;
    IF v_unresolved IS NOT NULL THEN
        PERFORM pggit_v0._raise('PGC01', format('merge %s still has unresolved conflicts: %s', v_id, array_to_string(v_unresolved, ', ')),
            'resolve each with resolve_conflict(path, ''source'' | ''target'' | ''manual_ddl'', ddl)');
    END IF;
    PERFORM pggit_v0._refuse_checked_out(v_merge.target_branch, 'merging into it');
    SELECT r.target_sha INTO v_tip FROM pggit_v0.refs r WHERE r.name = v_merge.target_branch AND r.type = 'branch' FOR UPDATE;
    IF v_tip IS DISTINCT FROM v_merge.target_sha THEN
        PERFORM pggit_v0._raise('PGC01', format('branch %L moved from %s to %s since merge %s started', v_merge.target_branch,
                left(v_merge.target_sha, 12), coalesce(left(v_tip, 12), 'nothing'), v_id),
            format('abort_merge(%L) and merge again', v_id));
    END IF;

    -- The plan is recomputed (it is deterministic) and each conflict takes its resolution.
    SELECT coalesce(array_agg(p.path ORDER BY p.path COLLATE "C"), '{}') AS paths,
           coalesce(array_agg(coalesce(c.resolved_sha, CASE WHEN c.object_path IS NULL THEN p.result_sha END) ORDER BY p.path COLLATE "C"), '{}') AS shas,
           coalesce(array_agg(CASE WHEN c.object_path IS NULL THEN p.result_content END ORDER BY p.path COLLATE "C"), '{}') AS contents,
           count(*) FILTER (WHERE p.conflict_type IS NOT NULL AND c.object_path IS NULL) AS unplanned
    INTO v_plan
    FROM pggit_v0._merge_commits(v_merge.target_sha, v_merge.source_sha, v_merge.base_shas, v_merge.target_branch, v_merge.source_branch) p
    LEFT JOIN pggit_v0.merge_conflicts c ON c.merge_id = v_id AND c.object_path = p.path
    WHERE coalesce(c.resolved_sha, CASE WHEN c.object_path IS NULL THEN p.result_sha END) IS DISTINCT FROM p.ours_sha
       OR (p.conflict_type IS NOT NULL AND c.object_path IS NULL);
    IF v_plan.unplanned > 0 THEN
        RAISE EXCEPTION 'merge %: the recomputed merge has conflicts the pending merge did not record', v_id;
    END IF;
    v_tree := pggit_v0._write_result_tree(pggit_v0._commit_tree_of(v_merge.target_sha), v_plan.paths, v_plan.shas, v_plan.contents);
    IF v_tree IS NULL THEN
        PERFORM pggit_v0._raise('22023', format('these resolutions would leave %L empty', v_merge.target_branch), 'keep at least one object');
    END IF;
    v_commit := pggit_v0.commit_tree(v_tree, ARRAY[v_merge.target_sha, v_merge.source_sha],
        format('Merge branch %L into %L', v_merge.source_branch, v_merge.target_branch)
        || E'\n\nConflicts resolved:\n' || (SELECT string_agg(format(E'\t%s (%s)', object_path, resolution), E'\n' ORDER BY object_path)
                                          FROM pggit_v0.merge_conflicts WHERE merge_id = v_id),
        NULL, pggit_v0._actor());
    PERFORM pggit_v0.update_ref(v_merge.target_branch, v_commit, v_merge.target_sha, 'merge', 'branch',
        jsonb_build_object('source', v_merge.source_branch, 'source_sha', v_merge.source_sha, 'strategy', v_merge.strategy,
                           'fast_forward', false, 'merge_id', v_id));
    UPDATE pggit_v0.merges SET status = 'completed', merge_commit_sha = v_commit, completed_by = pggit_v0._actor(), completed_at = now()
    WHERE id = v_id;
    PERFORM pggit_v0._track('complete_merge', v_started);
    RETURN v_commit;
END
$$;
COMMENT ON FUNCTION pggit_v0.complete_merge(uuid) IS 'Writes the merge commit of a pending merge whose conflicts are all resolved and moves the target (which must not have moved since); returns the commit. resolve_conflict() calls it after the last resolution. NULL = the only pending merge.';

CREATE OR REPLACE FUNCTION pggit_v0.abort_merge(p_merge_id uuid DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_id uuid;
    v_merge record;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    v_id := pggit_v0._pending_merge(p_merge_id);
    DELETE FROM pggit_v0.merges WHERE id = v_id AND status = 'conflicted' RETURNING * INTO v_merge;
    IF v_merge.id IS NULL THEN
        PERFORM pggit_v0._raise('P0002', format('merge %s is no longer pending', v_id), NULL);
    END IF;
    PERFORM pggit_v0._record_activity('merge_aborted', v_merge.target_branch, NULL,
        jsonb_build_object('merge_id', v_id, 'source', v_merge.source_branch, 'source_sha', v_merge.source_sha, 'target_sha', v_merge.target_sha));
    PERFORM pggit_v0._track('abort_merge', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.abort_merge(uuid) IS 'Drops a pending merge and its conflicts and resolutions (nothing of it stays); no ref moved when it stopped. NULL = the only pending merge.';

CREATE OR REPLACE FUNCTION pggit_v0.resolve_conflict(p_object_path text, p_resolution_strategy text, p_manual_ddl text DEFAULT NULL,
    p_merge_id uuid DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_id uuid;
    v_conflict record;
    v_sha text;
    v_commit text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    IF p_resolution_strategy IS NULL OR p_resolution_strategy NOT IN ('source', 'target', 'manual_ddl') THEN
        PERFORM pggit_v0._raise('22023', format('resolution strategy %L is unknown', p_resolution_strategy),
            'use source (the source''s version), target (the target''s) or manual_ddl (with p_manual_ddl)');
    END IF;
    v_id := pggit_v0._pending_merge(p_merge_id, p_object_path);
    SELECT * INTO v_conflict FROM pggit_v0.merge_conflicts WHERE merge_id = v_id AND object_path = p_object_path FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM pggit_v0._raise('P0002', format('merge %s has no conflict on path %L', v_id, p_object_path),
            format('its conflicts: SELECT object_path FROM pggit_v0.list_merge_conflicts(%L)', v_id));
    END IF;
    IF p_resolution_strategy = 'manual_ddl' THEN
        IF p_manual_ddl IS NULL THEN
            PERFORM pggit_v0._raise('22023', format('resolution manual_ddl for %L needs p_manual_ddl', p_object_path),
                'pass the resolved DDL, or resolve with source or target to take a side (including a deletion)');
        END IF;
        PERFORM pggit_v0._check_ddl_syntax(p_object_path, p_manual_ddl);
        v_sha := (pggit_v0._write_blobs(ARRAY[pggit_v0._normalize_ddl(p_manual_ddl)]))[1];
    ELSIF p_resolution_strategy = 'source' THEN
        v_sha := v_conflict.source_sha;
    ELSE
        v_sha := v_conflict.target_sha;
    END IF;
    UPDATE pggit_v0.merge_conflicts SET resolution = p_resolution_strategy, resolved_sha = v_sha,
        resolved_by = pggit_v0._actor(), resolved_at = now()
    WHERE merge_id = v_id AND object_path = p_object_path;
    PERFORM pggit_v0._record_activity('conflict_resolved', (SELECT target_branch FROM pggit_v0.merges WHERE id = v_id), v_sha,
        jsonb_build_object('merge_id', v_id, 'path', p_object_path, 'resolution', p_resolution_strategy));
    IF NOT EXISTS (SELECT 1 FROM pggit_v0.merge_conflicts WHERE merge_id = v_id AND resolution IS NULL) THEN
        v_commit := pggit_v0.complete_merge(v_id);
        RAISE NOTICE 'last conflict resolved: merge % completed with commit %', v_id, v_commit;
    END IF;
    PERFORM pggit_v0._track('resolve_conflict', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.resolve_conflict(text, text, text, uuid) IS 'Resolves one conflicting path of the pending merge (p_merge_id when several are pending): source or target takes that side''s version (a deletion included), manual_ddl the given DDL (syntax-checked as commit_changes does). The last resolution completes the merge (complete_merge()).';

-- ---------------------------------------------------------------------------
-- Cherry-pick and rebase: three-way merges of one commit's change onto another tip
-- ---------------------------------------------------------------------------
-- Applies commit p_commit's change (against its first parent) onto p_onto. Returns the new tree
-- (written), or the conflicting paths (nothing written).
CREATE OR REPLACE FUNCTION pggit_v0._pick(p_commit text, p_onto text, p_onto_label text, OUT tree text, OUT conflict_objects text[])
LANGUAGE plpgsql AS $$
DECLARE
    v_commit record;
    v_onto_tree text := pggit_v0._commit_tree_of(p_onto);
    v_plan record;
BEGIN
    SELECT g.tree_sha, p.tree_sha AS parent_tree INTO v_commit
    FROM pggit_v0.commit_graph g LEFT JOIN pggit_v0.commit_graph p ON p.commit_sha = g.parent_shas[1]
    WHERE g.commit_sha = p_commit;
    SELECT coalesce(array_agg(x.path ORDER BY x.path COLLATE "C") FILTER (WHERE x.conflict_type IS NOT NULL), '{}') AS conflicted,
           coalesce(array_agg(x.path ORDER BY x.path COLLATE "C") FILTER (WHERE x.result_sha IS DISTINCT FROM x.ours_sha), '{}') AS paths,
           coalesce(array_agg(x.result_sha ORDER BY x.path COLLATE "C") FILTER (WHERE x.result_sha IS DISTINCT FROM x.ours_sha), '{}') AS shas,
           coalesce(array_agg(x.result_content ORDER BY x.path COLLATE "C") FILTER (WHERE x.result_sha IS DISTINCT FROM x.ours_sha), '{}') AS contents
    INTO v_plan
    FROM pggit_v0._merge_trees(v_commit.parent_tree, NULL, v_onto_tree, NULL, v_commit.tree_sha, '{}', 0,
                               p_onto_label, left(p_commit, 12)) x;
    conflict_objects := v_plan.conflicted;
    IF cardinality(conflict_objects) = 0 THEN
        tree := pggit_v0._write_result_tree(v_onto_tree, v_plan.paths, v_plan.shas, v_plan.contents);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.cherry_pick(p_commit text, p_branch text)
RETURNS TABLE (new_commit_sha text, conflicts boolean, conflict_objects text[])
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_commit text;
    v_tip text;
    v_pick record;
    v_info record;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    v_commit := pggit_v0.resolve_ref(p_commit);
    PERFORM pggit_v0._branch_tip(p_branch);
    PERFORM pggit_v0._refuse_checked_out(p_branch, 'cherry-picking onto it');
    SELECT r.target_sha INTO v_tip FROM pggit_v0.refs r WHERE r.name = p_branch AND r.type = 'branch' FOR UPDATE;
    v_pick := pggit_v0._pick(v_commit, v_tip, p_branch);
    IF cardinality(v_pick.conflict_objects) > 0 THEN
        RAISE NOTICE 'cherry-pick of % onto % stopped on conflicts in %; nothing was written', left(v_commit, 12), p_branch,
            array_to_string(v_pick.conflict_objects, ', ');
        RETURN QUERY SELECT NULL::text, true, v_pick.conflict_objects;
    ELSIF v_pick.tree IS NOT DISTINCT FROM pggit_v0._commit_tree_of(v_tip) THEN
        RAISE NOTICE 'nothing to cherry-pick: branch % already has the change of %', p_branch, left(v_commit, 12);
        RETURN QUERY SELECT v_tip, false, '{}'::text[];
    ELSE
        SELECT g.message, g.authored_at INTO v_info FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_commit;
        new_commit_sha := pggit_v0.commit_tree(v_pick.tree, ARRAY[v_tip], v_info.message, pggit_v0._author_of(v_commit),
            pggit_v0._actor(), v_info.authored_at);
        PERFORM pggit_v0.update_ref(p_branch, new_commit_sha, v_tip, 'cherry_pick', 'branch', jsonb_build_object('commit', v_commit));
        RETURN QUERY SELECT new_commit_sha, false, '{}'::text[];
    END IF;
    PERFORM pggit_v0._track('cherry_pick', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.cherry_pick(text, text) IS 'Applies one commit''s change (against its first parent) to a branch that is not checked out, as a new commit with the original author, author time and message (git cherry-pick). Conflicts write nothing and list the paths; a change the branch already has writes nothing and returns its tip.';

CREATE OR REPLACE FUNCTION pggit_v0.rebase_branch_detailed(p_branch_name text, p_onto_commit_sha text DEFAULT NULL)
RETURNS TABLE (rebased_commit_sha text, conflicts boolean, conflict_objects text[], conflict_commit_sha text,
               replayed_commits int, dropped_commits int, old_tip_sha text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_onto text;
    v_tip text;
    v_merge record;
    v_commits text[];
    v_commit text;
    v_new_tip text;
    v_pick record;
    v_info record;
    v_replayed int := 0;
    v_dropped int := 0;
    v_progress boolean := coalesce(current_setting('pggit.progress', true), '') = 'on';
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    PERFORM pggit_v0._branch_tip(p_branch_name);
    PERFORM pggit_v0._refuse_checked_out(p_branch_name, 'rebasing it');
    v_onto := pggit_v0.resolve_ref(coalesce(p_onto_commit_sha, pggit_v0._setting('default_branch') #>> '{}'));
    SELECT r.target_sha INTO v_tip FROM pggit_v0.refs r WHERE r.name = p_branch_name AND r.type = 'branch' FOR UPDATE;
    -- Rebasing onto X is merging X in by replaying: the same relations decide what happens.
    v_merge := pggit_v0._merge_kind(v_onto, v_tip, coalesce(p_onto_commit_sha, 'the default branch'), p_branch_name);
    old_tip_sha := v_tip;
    IF v_merge.kind = 'up_to_date' THEN
        RAISE NOTICE 'branch % is up to date with %', p_branch_name, left(v_onto, 12);
        RETURN QUERY SELECT v_tip, false, '{}'::text[], NULL::text, 0, 0, v_tip;
        PERFORM pggit_v0._track('rebase_branch', v_started);
        RETURN;
    ELSIF v_merge.kind = 'fast_forward' THEN
        PERFORM pggit_v0.update_ref(p_branch_name, v_onto, v_tip, 'rebase', 'branch',
            jsonb_build_object('onto', v_onto, 'old_tip', v_tip, 'replayed', 0, 'dropped', 0, 'fast_forward', true));
        RETURN QUERY SELECT v_onto, false, '{}'::text[], NULL::text, 0, 0, v_tip;
        PERFORM pggit_v0._track('rebase_branch', v_started);
        RETURN;
    END IF;

    -- The commits onto..tip, merges left out, parents before children (git rebase replays the
    -- same set; for a branch without merges the order is the same too).
    v_commits := ARRAY(
        WITH RECURSIVE floor AS (
            SELECT coalesce(min(g.generation), 0) AS generation
            FROM unnest(v_merge.bases) b JOIN pggit_v0.commit_graph g ON g.commit_sha = b
        ), mine(sha) AS (
            SELECT v_tip COLLATE "C"
            UNION
            SELECT p.sha FROM mine m JOIN pggit_v0.commit_graph g ON g.commit_sha = m.sha
            CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
            JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= (SELECT generation FROM floor)
        ), theirs(sha) AS (
            SELECT v_onto COLLATE "C"
            UNION
            SELECT p.sha FROM theirs t JOIN pggit_v0.commit_graph g ON g.commit_sha = t.sha
            CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
            JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= (SELECT generation FROM floor)
        )
        SELECT g.commit_sha FROM (SELECT sha FROM mine EXCEPT SELECT sha FROM theirs) x
        JOIN pggit_v0.commit_graph g ON g.commit_sha = x.sha
        WHERE cardinality(g.parent_shas) <= 1
        ORDER BY g.generation, g.committed_at, g.commit_sha);

    -- Replay in a subtransaction: on a conflict it is rolled back, so nothing is left behind.
    v_new_tip := v_onto;
    BEGIN
        FOREACH v_commit IN ARRAY v_commits LOOP
            v_pick := pggit_v0._pick(v_commit, v_new_tip, p_branch_name);
            IF cardinality(v_pick.conflict_objects) > 0 THEN
                conflict_commit_sha := v_commit;
                conflict_objects := v_pick.conflict_objects;
                RAISE EXCEPTION USING ERRCODE = 'PGR01';
            END IF;
            SELECT g.message, g.authored_at, g.tree_sha = coalesce(p.tree_sha, '') AS started_empty INTO v_info
            FROM pggit_v0.commit_graph g LEFT JOIN pggit_v0.commit_graph p ON p.commit_sha = g.parent_shas[1]
            WHERE g.commit_sha = v_commit;
            IF v_pick.tree IS NOT DISTINCT FROM pggit_v0._commit_tree_of(v_new_tip) AND NOT v_info.started_empty THEN
                v_dropped := v_dropped + 1;   -- its change is already there (git rebase --empty=drop)
            ELSIF v_pick.tree IS NULL THEN
                PERFORM pggit_v0._raise('22023', format('replaying %s would leave %L empty', left(v_commit, 12), p_branch_name), NULL);
            ELSE
                v_new_tip := pggit_v0.commit_tree(v_pick.tree, ARRAY[v_new_tip], v_info.message, pggit_v0._author_of(v_commit),
                    pggit_v0._actor(), v_info.authored_at);
                v_replayed := v_replayed + 1;
            END IF;
            IF v_progress THEN
                RAISE NOTICE 'pggit progress: rebase % %/%', p_branch_name, v_replayed + v_dropped, cardinality(v_commits);
            END IF;
        END LOOP;
    EXCEPTION WHEN SQLSTATE 'PGR01' THEN
        RAISE NOTICE 'rebase of % onto % stopped at commit % on conflicts in %; nothing was moved', p_branch_name,
            left(v_onto, 12), conflict_commit_sha, array_to_string(conflict_objects, ', ');
        RETURN QUERY SELECT NULL::text, true, conflict_objects, conflict_commit_sha, v_replayed, v_dropped, v_tip;
        PERFORM pggit_v0._track('rebase_branch', v_started);
        RETURN;
    END;
    PERFORM pggit_v0.update_ref(p_branch_name, v_new_tip, v_tip, 'rebase', 'branch',
        jsonb_build_object('onto', v_onto, 'old_tip', v_tip, 'replayed', v_replayed, 'dropped', v_dropped, 'fast_forward', false));
    RETURN QUERY SELECT v_new_tip, false, '{}'::text[], NULL::text, v_replayed, v_dropped, v_tip;
    PERFORM pggit_v0._track('rebase_branch', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.rebase_branch_detailed(text, text) IS 'rebase_branch() with the details: on a conflict the commit that could not be replayed; how many commits were replayed and dropped (their change was already there); the tip before (kept in ref_log). Set pggit.progress = on for a NOTICE per replayed commit.';

CREATE OR REPLACE FUNCTION pggit_v0.rebase_branch(p_branch_name text, p_onto_commit_sha text DEFAULT NULL)
RETURNS TABLE (rebased_commit_sha text, conflicts boolean, conflict_objects text[])
LANGUAGE sql AS $$
    SELECT r.rebased_commit_sha, r.conflicts, r.conflict_objects FROM pggit_v0.rebase_branch_detailed(p_branch_name, p_onto_commit_sha) r
$$;
COMMENT ON FUNCTION pggit_v0.rebase_branch(text, text) IS 'Replays the branch''s own commits (merges left out, oldest first) onto a commit (NULL = the default branch) as new commits with the original author, author time and message, like git rebase; commits whose change is already there are dropped. On the first conflict nothing moves: rebased_commit_sha NULL and the paths (the commit is named in a NOTICE and by rebase_branch_detailed()). The old tip stays in ref_log.';

-- ---------------------------------------------------------------------------
-- Merge requests
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0._merge_request_rows()
RETURNS TABLE (mr_id uuid, source_branch text, target_branch text, title text, description text, reviewer text, status text,
               conflicts boolean, conflict_objects text[], approvals int, required_approvals int, approved_by text[],
               source_sha text, target_sha text, checked_at timestamptz, merge_commit_sha text,
               created_by text, created_at timestamptz, updated_at timestamptz, merged_by text, merged_at timestamptz,
               closed_by text, closed_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.source_branch::text, r.target_branch::text, r.title, r.description, r.reviewer, r.status,
           r.has_conflicts, r.conflict_objects::text[], coalesce(a.n, 0)::int, (pggit_v0._setting('required_approvals'))::text::int,
           coalesce(a.who, '{}'), r.source_sha::text, r.target_sha::text, r.checked_at, r.merge_commit_sha::text,
           r.created_by, r.created_at, r.updated_at, r.merged_by, r.merged_at, r.closed_by, r.closed_at
    FROM pggit_v0.merge_requests r
    LEFT JOIN LATERAL (SELECT count(*) AS n, array_agg(x.approved_by ORDER BY x.approved_at, x.approved_by) AS who
                       FROM pggit_v0.merge_request_approvals x WHERE x.mr_id = r.id) a ON true
$$;

-- The conflicts merging p_source into p_target would stop on now ('{}' when up to date or a fast-forward).
CREATE OR REPLACE FUNCTION pggit_v0._conflicting_paths(p_source text, p_target text, p_source_sha text, p_target_sha text) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_merge record := pggit_v0._merge_kind(p_source_sha, p_target_sha, p_source, p_target);
BEGIN
    IF v_merge.kind <> 'merge' THEN
        RETURN '{}';
    END IF;
    RETURN ARRAY(SELECT p.path FROM pggit_v0._merge_commits(p_target_sha, p_source_sha, v_merge.bases, p_target, p_source) p
                 WHERE p.conflict_type IS NOT NULL ORDER BY p.path COLLATE "C");
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0._merge_request(p_mr_id uuid, p_lock boolean DEFAULT false) RETURNS pggit_v0.merge_requests
LANGUAGE plpgsql AS $$
DECLARE
    v_request pggit_v0.merge_requests;
BEGIN
    IF p_lock THEN
        SELECT * INTO v_request FROM pggit_v0.merge_requests WHERE id = p_mr_id FOR UPDATE;
    ELSE
        SELECT * INTO v_request FROM pggit_v0.merge_requests WHERE id = p_mr_id;
    END IF;
    IF v_request.id IS NULL THEN
        PERFORM pggit_v0._raise('P0002', format('merge request %s not found', p_mr_id), 'list them with pggit_v0.list_merge_requests()');
    END IF;
    RETURN v_request;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.create_merge_request(p_source_branch text, p_target_branch text, p_title text, p_description text,
    p_reviewer text DEFAULT NULL)
RETURNS TABLE (mr_id uuid, status text, conflicts boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_source text;
    v_target text;
    v_conflicts text[];
    v_existing uuid;
    v_id uuid;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    IF p_title IS NULL OR btrim(p_title) = '' THEN
        PERFORM pggit_v0._raise('22023', 'merge request title is empty', 'say what the change is for');
    END IF;
    v_source := pggit_v0._branch_tip(p_source_branch);
    v_target := pggit_v0._branch_tip(p_target_branch);
    IF p_source_branch = p_target_branch THEN
        PERFORM pggit_v0._raise('22023', format('merge request source and target are both %L', p_source_branch), 'name two different branches');
    END IF;
    SELECT r.id INTO v_existing FROM pggit_v0.merge_requests r
    WHERE r.source_branch = p_source_branch AND r.target_branch = p_target_branch AND r.status IN ('open', 'approved');
    IF v_existing IS NOT NULL THEN
        PERFORM pggit_v0._raise('42710', format('merge request %s already asks to merge %L into %L', v_existing, p_source_branch, p_target_branch),
            'complete or close it first');
    END IF;
    v_conflicts := pggit_v0._conflicting_paths(p_source_branch, p_target_branch, v_source, v_target);
    -- One instant for created, checked and updated (created_at alone defaults to clock_timestamp()).
    INSERT INTO pggit_v0.merge_requests (source_branch, target_branch, title, description, reviewer, source_sha, target_sha,
                                         has_conflicts, conflict_objects, created_by, created_at, checked_at, updated_at)
    SELECT p_source_branch, p_target_branch, p_title, p_description, nullif(btrim(p_reviewer), ''), v_source, v_target,
           cardinality(v_conflicts) > 0, v_conflicts, pggit_v0._actor(), t.at, t.at, t.at
    FROM (SELECT clock_timestamp() AS at) t
    RETURNING id INTO v_id;
    PERFORM pggit_v0._record_activity('merge_request_created', p_target_branch, v_source, jsonb_build_object(
        'mr_id', v_id, 'source', p_source_branch, 'title', p_title, 'reviewer', p_reviewer, 'conflict_objects', to_jsonb(v_conflicts)));
    RETURN QUERY SELECT v_id, 'open'::text, cardinality(v_conflicts) > 0;
    PERFORM pggit_v0._track('create_merge_request', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.create_merge_request(text, text, text, text, text) IS 'Opens a merge request of one branch into another (one open request per pair) and records whether merging would conflict right now (conflict_objects). Status starts open.';

CREATE OR REPLACE FUNCTION pggit_v0.approve_merge_request(p_mr_id uuid, p_approved_by text, p_notes text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_request pggit_v0.merge_requests;
    v_approver text := coalesce(nullif(btrim(p_approved_by), ''), pggit_v0._actor());
    v_required int := (pggit_v0._setting('required_approvals'))::text::int;
    v_approvals int;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    v_request := pggit_v0._merge_request(p_mr_id, true);
    IF v_request.status NOT IN ('open', 'approved') THEN
        PERFORM pggit_v0._raise('PGC01', format('merge request %s is %s and can no longer be approved', p_mr_id, v_request.status), NULL);
    END IF;
    IF v_approver = v_request.created_by THEN
        PERFORM pggit_v0._raise('42501', format('%s opened merge request %s and cannot approve it', v_approver, p_mr_id),
            'ask someone else to review it');
    END IF;
    INSERT INTO pggit_v0.merge_request_approvals (mr_id, approved_by, notes) VALUES (p_mr_id, v_approver, p_notes)
    ON CONFLICT (mr_id, approved_by) DO UPDATE SET notes = coalesce(EXCLUDED.notes, pggit_v0.merge_request_approvals.notes), approved_at = now();
    SELECT count(*) INTO v_approvals FROM pggit_v0.merge_request_approvals WHERE mr_id = p_mr_id;
    UPDATE pggit_v0.merge_requests SET status = CASE WHEN v_approvals >= v_required THEN 'approved' ELSE 'open' END, updated_at = now()
    WHERE id = p_mr_id;
    PERFORM pggit_v0._record_activity('merge_request_approved', v_request.target_branch, NULL, jsonb_build_object(
        'mr_id', p_mr_id, 'approved_by', v_approver, 'approvals', v_approvals, 'required', v_required, 'notes', p_notes));
    PERFORM pggit_v0._track('approve_merge_request', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.approve_merge_request(uuid, text, text) IS 'Records an approval (by p_approved_by, or the acting identity when NULL; once per approver, again = new notes). The request''s author cannot approve it (42501). With required_approvals approvals the status becomes approved.';

CREATE OR REPLACE FUNCTION pggit_v0.list_merge_requests(p_status text DEFAULT NULL, p_target_branch text DEFAULT NULL,
    p_source_branch text DEFAULT NULL, p_after_id uuid DEFAULT NULL, p_limit int DEFAULT NULL)
RETURNS TABLE (mr_id uuid, source_branch text, target_branch text, title text, description text, reviewer text, status text,
               conflicts boolean, conflict_objects text[], approvals int, required_approvals int, approved_by text[],
               source_sha text, target_sha text, checked_at timestamptz, merge_commit_sha text,
               created_by text, created_at timestamptz, updated_at timestamptz, merged_by text, merged_at timestamptz,
               closed_by text, closed_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_after_at timestamptz;
BEGIN
    IF p_status IS NOT NULL AND p_status NOT IN ('open', 'approved', 'merged', 'closed') THEN
        PERFORM pggit_v0._raise('22023', format('merge request status %L is unknown', p_status), 'use open, approved, merged or closed');
    END IF;
    IF p_limit IS NOT NULL AND p_limit < 0 THEN
        PERFORM pggit_v0._raise('22023', format('limit %s must be zero or more', p_limit), NULL);
    END IF;
    IF p_after_id IS NOT NULL THEN
        SELECT r.created_at INTO v_after_at FROM pggit_v0.merge_requests r WHERE r.id = p_after_id;
        IF NOT FOUND THEN
            PERFORM pggit_v0._raise('P0002', format('merge request %s not found', p_after_id), 'page from the last id of the previous page');
        END IF;
    END IF;
    RETURN QUERY
        SELECT m.* FROM pggit_v0._merge_request_rows() m
        WHERE (p_status IS NULL OR m.status = p_status)
          AND (p_target_branch IS NULL OR m.target_branch = p_target_branch)
          AND (p_source_branch IS NULL OR m.source_branch = p_source_branch)
          AND (p_after_id IS NULL OR (m.created_at, m.mr_id) > (v_after_at, p_after_id))
        ORDER BY m.created_at, m.mr_id
        LIMIT p_limit;
    PERFORM pggit_v0._track('list_merge_requests', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.list_merge_requests(text, text, text, uuid, int) IS 'Merge requests, oldest first, filtered by status and branches, with approvals (and who), the required count and the recorded conflict state. Keyset pages: p_after_id = the last id of the previous page.';

CREATE OR REPLACE FUNCTION pggit_v0.get_merge_request(p_mr_id uuid)
RETURNS TABLE (mr_id uuid, source_branch text, target_branch text, title text, description text, reviewer text, status text,
               conflicts boolean, conflict_objects text[], approvals int, required_approvals int, approved_by text[],
               source_sha text, target_sha text, checked_at timestamptz, merge_commit_sha text,
               created_by text, created_at timestamptz, updated_at timestamptz, merged_by text, merged_at timestamptz,
               closed_by text, closed_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    PERFORM pggit_v0._merge_request(p_mr_id);
    RETURN QUERY SELECT m.* FROM pggit_v0._merge_request_rows() m WHERE m.mr_id = p_mr_id;
    PERFORM pggit_v0._track('get_merge_request', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_merge_request(uuid) IS 'One merge request with its approvals and recorded conflict state; P0002 when there is none.';

CREATE OR REPLACE FUNCTION pggit_v0.complete_merge_request(p_mr_id uuid, p_author text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_request pggit_v0.merge_requests;
    v_required int := (pggit_v0._setting('required_approvals'))::text::int;
    v_approvals int;
    v_result record;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    v_request := pggit_v0._merge_request(p_mr_id, true);
    IF v_request.status IN ('merged', 'closed') THEN
        PERFORM pggit_v0._raise('PGC01', format('merge request %s is already %s', p_mr_id, v_request.status), NULL);
    END IF;
    SELECT count(*) INTO v_approvals FROM pggit_v0.merge_request_approvals WHERE mr_id = p_mr_id;
    IF v_approvals < v_required THEN
        PERFORM pggit_v0._raise('PGC01', format('merge request %s is not approved: it has %s of the %s approvals required', p_mr_id, v_approvals, v_required),
            'approve it with pggit_v0.approve_merge_request() (not as its author)');
    END IF;
    v_result := pggit_v0._merge_branch(v_request.source_branch, v_request.target_branch, 'recursive',
        format(E'Merge branch %L into %L\n\n%s (merge request %s)', v_request.source_branch, v_request.target_branch, v_request.title, p_mr_id),
        p_author, 'raise');
    IF v_result.conflicts THEN
        PERFORM pggit_v0._raise('PGC01', format('merge request %s conflicts now: merging %L into %L conflicts on %s', p_mr_id,
                v_request.source_branch, v_request.target_branch, array_to_string(v_result.conflict_objects, ', ')),
            format('merge %L into %L and resolve the conflicts there, then complete the request again', v_request.target_branch, v_request.source_branch));
    END IF;
    UPDATE pggit_v0.merge_requests SET status = 'merged', merge_commit_sha = v_result.merge_commit_sha, has_conflicts = false,
        conflict_objects = '{}', checked_at = now(), source_sha = pggit_v0._branch_tip(v_request.source_branch),
        target_sha = v_result.merge_commit_sha, merged_by = pggit_v0._actor(), merged_at = now(), updated_at = now()
    WHERE id = p_mr_id;
    PERFORM pggit_v0._record_activity('merge_request_merged', v_request.target_branch, v_result.merge_commit_sha,
        jsonb_build_object('mr_id', p_mr_id, 'source', v_request.source_branch, 'kind', v_result.kind));
    PERFORM pggit_v0._track('complete_merge_request', v_started);
    RETURN v_result.merge_commit_sha;
END
$$;
COMMENT ON FUNCTION pggit_v0.complete_merge_request(uuid, text) IS 'Merges an approved merge request (required_approvals reached at this moment) whose branches merge without conflicts at this moment; returns the merge commit (or the fast-forwarded tip) and marks the request merged. Otherwise PGC01 says why.';

CREATE OR REPLACE FUNCTION pggit_v0.close_merge_request(p_mr_id uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_request pggit_v0.merge_requests;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    v_request := pggit_v0._merge_request(p_mr_id, true);
    IF v_request.status = 'merged' THEN
        PERFORM pggit_v0._raise('PGC01', format('merge request %s is merged and cannot be closed', p_mr_id), NULL);
    ELSIF v_request.status = 'closed' THEN
        PERFORM pggit_v0._track('close_merge_request', v_started);
        RETURN false;
    END IF;
    UPDATE pggit_v0.merge_requests SET status = 'closed', closed_by = pggit_v0._actor(), closed_at = now(), updated_at = now()
    WHERE id = p_mr_id;
    PERFORM pggit_v0._record_activity('merge_request_closed', v_request.target_branch, NULL,
        jsonb_build_object('mr_id', p_mr_id, 'source', v_request.source_branch));
    PERFORM pggit_v0._track('close_merge_request', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.close_merge_request(uuid) IS 'Closes an open or approved merge request without merging; false when it was already closed.';

-- ---------------------------------------------------------------------------
-- What merge state keeps alive (for orphaned_objects and gc)
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0._merge_state_shas() RETURNS TABLE (sha text, object_type text)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT s.sha::text, 'commit'::text
    FROM pggit_v0.merges m, LATERAL unnest(ARRAY[m.source_sha, m.target_sha] || m.base_shas) AS s(sha)
    WHERE m.status = 'conflicted'
    UNION
    SELECT s.sha::text, 'commit' FROM pggit_v0.merge_requests r, LATERAL (VALUES (r.source_sha), (r.target_sha)) AS s(sha)
    WHERE r.status IN ('open', 'approved')
    UNION
    SELECT s.sha::text, 'blob' FROM pggit_v0.merges m JOIN pggit_v0.merge_conflicts c ON c.merge_id = m.id,
        LATERAL (VALUES (c.base_sha), (c.source_sha), (c.target_sha), (c.resolved_sha)) AS s(sha)
    WHERE m.status = 'conflicted' AND s.sha IS NOT NULL
$$;
COMMENT ON FUNCTION pggit_v0._merge_state_shas() IS 'Commits and blobs that pending merges and active merge requests refer to: orphaned_objects (and any future garbage collection) must keep them (commits as tips whose history is kept).';
