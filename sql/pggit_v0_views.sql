-- pggit_v0 insight views (spec 4.2). Each view says in its COMMENT which question it answers.

INSERT INTO pggit_v0.settings (key, value, description) VALUES
    ('large_commit_threshold', '20'::jsonb, 'A commit that changes at least this many objects is listed by pggit_v0.large_commits.'),
    ('reflog_expiry_days', '90'::jsonb, 'ref_log entries younger than this keep their commits out of orphaned_objects.')
ON CONFLICT (key) DO NOTHING;

-- Everything reachable from a set of tips, as first-parent chain segments (chain, max_depth): a
-- commit is reachable exactly when its chain has a segment reaching at least its depth (the chain
-- graph and its walk are in pggit_v0_history.sql).
CREATE OR REPLACE FUNCTION pggit_v0._reachable_segments(p_tips text[]) RETURNS TABLE (chain bigint, max_depth integer)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    g record;
    v_covered integer[];
BEGIN
    g := pggit_v0._chain_graph();
    v_covered := pggit_v0._chain_cover(g.ids, g.base_ix, g.base_depth, g.m_depth, g.m_to_ix, g.m_to_depth, g.m_first, g.m_last, p_tips);
    RETURN QUERY SELECT g.ids[s.ix], s.depth
                 FROM unnest(v_covered) WITH ORDINALITY AS s(depth, ix) WHERE s.depth >= 0;
END
$$;

-- For each tip, how many commits it reaches that p_base does not (ahead) and the reverse (behind):
-- git rev-list --count base..tip and tip..base. The chain graph is loaded and p_base's cover walked
-- once; per tip only what it reaches beyond that cover is walked (ahead). Then
-- behind = |base| - |base and tip| = |base| - (|tip| - ahead), with |tip| its kept ancestor count.
CREATE OR REPLACE FUNCTION pggit_v0._ahead_behind(p_base text, p_tips text[]) RETURNS TABLE (tip text, ahead bigint, behind bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    g record;
    v_base integer[];
    v_base_size bigint;
    l record;
BEGIN
    IF p_base IS NULL THEN
        RETURN;
    END IF;
    g := pggit_v0._chain_graph();
    v_base := pggit_v0._chain_cover(g.ids, g.base_ix, g.base_depth, g.m_depth, g.m_to_ix, g.m_to_depth, g.m_first, g.m_last, ARRAY[p_base]);
    v_base_size := pggit_v0._cover_size(v_base, g.base_depth);
    l := pggit_v0._chain_locate(g.ids, p_tips);  -- every tip in one query
    FOR i IN 1 .. coalesce(cardinality(l.tips), 0) LOOP
        tip := l.tips[i];
        ahead := pggit_v0._cover_size(pggit_v0._chain_walk(g.base_ix, g.base_depth, g.m_depth, g.m_to_ix, g.m_to_depth, g.m_first, g.m_last,
                                                           ARRAY[l.ix[i]], ARRAY[l.depth[i]], v_base), g.base_depth) - v_base_size;
        behind := v_base_size - (l.ancestors[i] - ahead);
        RETURN NEXT;
    END LOOP;
END
$$;

-- Commits reachable from a set of tips (all of history they reach).
CREATE OR REPLACE FUNCTION pggit_v0._reachable_commits(p_tips text[]) RETURNS TABLE (commit_sha text)
LANGUAGE sql STABLE AS $$
    SELECT g.commit_sha
    FROM pggit_v0._reachable_segments(p_tips) s
    JOIN pggit_v0.commit_graph g ON g.fp_chain = s.chain AND g.fp_depth <= s.max_depth
$$;

-- Totals from the per-author rollup plus the queued commits; the last 7 and 30 days by a range of
-- the committed_at index (only recent commits are read); each author's latest commit by one probe
-- of this index.
CREATE INDEX IF NOT EXISTS commit_graph_author_latest ON pggit_v0.commit_graph (author, author_email, committed_at DESC, generation DESC);
CREATE OR REPLACE VIEW pggit_v0.recent_commits_by_author AS
WITH totals AS (
    SELECT x.author, x.author_email, sum(x.commits)::bigint AS commits
    FROM (SELECT r.author, r.author_email, r.commits FROM pggit_audit.author_rollup r
          UNION ALL
          SELECT g.author, g.author_email, 1 FROM pggit_audit.rollup_queue q
          CROSS JOIN LATERAL (SELECT y.author, y.author_email FROM pggit_v0.commit_graph y WHERE y.commit_sha = q.commit_sha OFFSET 0) g) x
    GROUP BY x.author, x.author_email
), recent AS (
    SELECT g.author, g.author_email,
           count(*) FILTER (WHERE g.committed_at > now() - interval '7 days') AS commits_last_7_days,
           count(*) AS commits_last_30_days
    FROM pggit_v0.commit_graph g WHERE g.committed_at > now() - interval '30 days'
    GROUP BY g.author, g.author_email
)
SELECT t.author, t.author_email, t.commits, coalesce(r.commits_last_7_days, 0) AS commits_last_7_days,
       coalesce(r.commits_last_30_days, 0) AS commits_last_30_days, l.committed_at AS last_commit_at,
       l.commit_sha AS last_commit_sha, l.message AS last_message
FROM totals t
LEFT JOIN recent r ON r.author = t.author AND r.author_email = t.author_email
CROSS JOIN LATERAL (SELECT g.commit_sha, g.message, g.committed_at FROM pggit_v0.commit_graph g
                    WHERE g.author = t.author AND g.author_email = t.author_email
                    ORDER BY g.committed_at DESC, g.generation DESC LIMIT 1) l;
COMMENT ON VIEW pggit_v0.recent_commits_by_author IS 'Who has been committing: commits per author (all time, last 7 and 30 days) with their latest commit.';

-- From the per-author rollup plus the changes of the commits still queued for it (a few hundred at most).
CREATE OR REPLACE VIEW pggit_v0.most_changed_objects AS
WITH per_author AS (
    SELECT r.path, r.author, r.schema_name, r.object_name, r.object_type, r.changes, r.alters, r.last_at, r.last_generation
    FROM pggit_audit.object_change_rollup r
    UNION ALL
    SELECT c.path, g.author, c.schema_name, c.object_name, c.object_type, 1, (c.change_type = 'ALTER')::int, g.committed_at, g.generation
    FROM pggit_audit.rollup_queue q
    CROSS JOIN LATERAL (SELECT y.author, y.committed_at, y.generation FROM pggit_v0.commit_graph y
                        WHERE y.commit_sha = q.commit_sha OFFSET 0) g
    CROSS JOIN LATERAL (SELECT x.path, x.schema_name, x.object_name, x.object_type, x.change_type FROM pggit_audit.change_log x
                        WHERE x.commit_sha = q.commit_sha OFFSET 0) c
)
SELECT p.path AS object_path, p.schema_name, p.object_name, p.object_type,
       sum(p.changes)::bigint AS change_count,
       sum(p.alters)::bigint AS alters,
       count(DISTINCT p.author) AS authors,
       max(p.last_at) AS last_changed_at,
       (array_agg(p.author ORDER BY p.last_at DESC, p.last_generation DESC))[1] AS last_changed_by
FROM per_author p
GROUP BY p.path, p.schema_name, p.object_name, p.object_type;
COMMENT ON VIEW pggit_v0.most_changed_objects IS 'Which objects change most often: changes per object over every commit (against its first parent), with how many authors and the latest change. ORDER BY change_count DESC.';

CREATE OR REPLACE VIEW pggit_v0.branch_comparison AS
SELECT r.name AS branch_name, r.target_sha AS head_sha,
       (pggit_v0._setting('default_branch') #>> '{}') AS compared_to,
       x.ahead, x.behind,
       g.committed_at AS last_commit_at, g.author AS last_author, g.message AS last_message,
       x.ahead = 0 AS merged,
       r.name = (SELECT branch FROM pggit_v0.head) AS checked_out
FROM pggit_v0.refs r
JOIN pggit_v0.commit_graph g ON g.commit_sha = r.target_sha
LEFT JOIN pggit_v0._ahead_behind(
        (SELECT d.target_sha FROM pggit_v0.refs d WHERE d.name = (pggit_v0._setting('default_branch') #>> '{}') AND d.type = 'branch'),
        ARRAY(SELECT b.target_sha FROM pggit_v0.refs b WHERE b.type = 'branch')) x ON x.tip = r.target_sha
WHERE r.type = 'branch';
COMMENT ON VIEW pggit_v0.branch_comparison IS 'Every branch at a glance against the default branch: commits ahead and behind (git rev-list --count), last commit, and whether it is fully merged into the default branch.';
-- The per-branch walk branch_comparison used before _ahead_behind (its generation floor missed
-- side branches older than the fork); an upgrade drops it once the view no longer calls it.
DROP FUNCTION IF EXISTS pggit_v0._count_exclusive(text, text);

-- The per-day rollup plus what the commits still queued for it add: their commits and changes,
-- and the authors and objects the rollup has not yet counted for their day.
DROP VIEW IF EXISTS pggit_v0.daily_change_summary;
CREATE VIEW pggit_v0.daily_change_summary AS
WITH queued AS MATERIALIZED (
    SELECT q.commit_sha, g.author, (g.committed_at AT TIME ZONE 'UTC')::date AS day
    FROM pggit_audit.rollup_queue q
    CROSS JOIN LATERAL (SELECT y.author, y.committed_at FROM pggit_v0.commit_graph y WHERE y.commit_sha = q.commit_sha OFFSET 0) g
), queued_changes AS (
    SELECT k.day, c.path, c.change_type, o.seen IS NULL AS new_object
    FROM queued k
    CROSS JOIN LATERAL (SELECT x.path, x.change_type FROM pggit_audit.change_log x WHERE x.commit_sha = k.commit_sha OFFSET 0) c
    LEFT JOIN LATERAL (SELECT true AS seen FROM pggit_audit.daily_objects y WHERE y.day = k.day AND y.path = c.path LIMIT 1) o ON true
), added AS (
    -- (The "already counted" probes are LATERAL so that each is one index probe, not a hash of the
    -- whole table.)
    SELECT d.day, sum(d.commits) AS commits, sum(d.authors) AS authors, sum(d.creates) AS creates, sum(d.alters) AS alters,
           sum(d.drops) AS drops, sum(d.objects) AS objects_changed
    FROM (SELECT k.day, count(*) AS commits, count(DISTINCT k.author) FILTER (WHERE a.seen IS NULL) AS authors,
                 0 AS creates, 0 AS alters, 0 AS drops, 0 AS objects
          FROM queued k
          LEFT JOIN LATERAL (SELECT true AS seen FROM pggit_audit.daily_authors y WHERE y.day = k.day AND y.author = k.author LIMIT 1) a ON true
          GROUP BY k.day
          UNION ALL
          SELECT c.day, 0, 0, count(*) FILTER (WHERE c.change_type = 'CREATE'), count(*) FILTER (WHERE c.change_type = 'ALTER'),
                 count(*) FILTER (WHERE c.change_type = 'DROP'), count(DISTINCT c.path) FILTER (WHERE c.new_object)
          FROM queued_changes c GROUP BY c.day) d
    GROUP BY d.day
)
SELECT coalesce(r.day, a.day) AS day,
       (coalesce(r.commits, 0) + coalesce(a.commits, 0))::bigint AS commits,
       (coalesce(r.authors, 0) + coalesce(a.authors, 0))::bigint AS authors,
       (coalesce(r.creates, 0) + coalesce(a.creates, 0))::bigint AS creates,
       (coalesce(r.alters, 0) + coalesce(a.alters, 0))::bigint AS alters,
       (coalesce(r.drops, 0) + coalesce(a.drops, 0))::bigint AS drops,
       (coalesce(r.objects_changed, 0) + coalesce(a.objects_changed, 0))::bigint AS objects_changed
FROM pggit_audit.daily_change_rollup r
FULL JOIN added a ON a.day = r.day;
COMMENT ON VIEW pggit_v0.daily_change_summary IS 'How much changed each day (UTC): commits, authors, and objects created, altered and dropped. ORDER BY day DESC.';

-- The default branch's first-parent line as chain segments (no commit-by-commit walk), with each
-- commit's object count and growth as commit_graph keeps them (no running sum, no sort). (The
-- columns were numeric when the count was a running sum; DROP lets an upgrade give them their
-- bigint types.)
DROP VIEW IF EXISTS pggit_v0.schema_growth_history;
CREATE VIEW pggit_v0.schema_growth_history AS
SELECT g.fp_depth + 1 AS commit_number, g.commit_sha, g.committed_at, g.message,
       g.objects_added::bigint AS objects_added, g.object_count::bigint AS object_count
FROM pggit_v0.refs r
CROSS JOIN LATERAL pggit_v0._fp_line_segments(r.target_sha) s
JOIN pggit_v0.commit_graph g ON g.fp_chain = s.chain AND g.fp_depth <= s.max_depth
WHERE r.name = (SELECT st.value #>> '{}' FROM pggit_v0.settings st WHERE st.key = 'default_branch') AND r.type = 'branch';
COMMENT ON VIEW pggit_v0.schema_growth_history IS 'How many objects the schema had over time: object count after each commit on the default branch''s first-parent line.';

CREATE OR REPLACE VIEW pggit_v0.author_activity AS
SELECT g.author, g.author_email, g.committed_at, c.commit_sha, c.path AS object_path,
       c.schema_name, c.object_name, c.object_type, c.change_type, g.message
FROM pggit_audit.change_log c
JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha;
COMMENT ON VIEW pggit_v0.author_activity IS 'Who changed what and when: one row per object change with its author, time, commit and message.';

-- The commits commit_without_message lists, indexed (the predicate is the view's WHERE, word for
-- word, so the planner reads the index and not all of history).
CREATE INDEX IF NOT EXISTS commit_graph_without_message ON pggit_v0.commit_graph (committed_at)
WHERE btrim(message) = ''
   OR length(btrim(message)) < 4
   OR lower(btrim(message, E' \t\n.!')) IN ('wip', 'fix', 'fixes', 'update', 'updates', 'changes', 'change', 'misc', 'stuff', 'tmp', 'temp', 'test', 'asdf', 'commit');

CREATE OR REPLACE VIEW pggit_v0.commit_without_message AS
SELECT g.commit_sha, g.author, g.author_email, g.committed_at, g.message,
       CASE WHEN btrim(g.message) = '' THEN 'empty' ELSE 'uninformative' END AS problem
FROM pggit_v0.commit_graph g
WHERE btrim(g.message) = ''
   OR length(btrim(g.message)) < 4
   OR lower(btrim(g.message, E' \t\n.!')) IN ('wip', 'fix', 'fixes', 'update', 'updates', 'changes', 'change', 'misc', 'stuff', 'tmp', 'temp', 'test', 'asdf', 'commit');
COMMENT ON VIEW pggit_v0.commit_without_message IS 'Commits that do not say why: an empty message (possible through commit_tree) or an uninformative one (shorter than 4 characters, or wip / fix / update / misc …).';

-- Blobs no change_log row names come from pggit_audit.unnamed_blobs, not from all blobs.
DROP INDEX IF EXISTS pggit_v0.objects_blobs;

CREATE OR REPLACE FUNCTION pggit_v0._orphaned_objects() RETURNS TABLE (sha text, type text, size integer)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    v_tips text[];
    v_commits text[];       -- commits nothing kept reaches
    v_trees text[];         -- their root trees
    v_kept_commits text[];  -- what pending merges and open merge requests refer to
    v_kept_blobs text[];
BEGIN
    SELECT coalesce(array_agg(m.sha) FILTER (WHERE m.object_type = 'commit'), '{}'),
           coalesce(array_agg(m.sha) FILTER (WHERE m.object_type = 'blob'), '{}')
    INTO v_kept_commits, v_kept_blobs
    FROM pggit_v0._merge_state_shas() m;
    v_tips := ARRAY(
        SELECT r.target_sha FROM pggit_v0.refs r
        UNION
        SELECT s.sha FROM pggit_v0.ref_log l, LATERAL (VALUES (l.old_sha), (l.new_sha)) AS s(sha)
        WHERE s.sha IS NOT NULL AND l.at > now() - make_interval(days => (pggit_v0._setting('reflog_expiry_days'))::text::int)
        UNION
        SELECT k FROM unnest(v_kept_commits) k);
    -- Per chain, the commits above what is reached (chains nothing reaches entirely).
    SELECT coalesce(array_agg(g.commit_sha), '{}'), coalesce(array_agg(DISTINCT g.tree_sha), '{}') INTO v_commits, v_trees
    FROM pggit_v0.fp_chains c
    LEFT JOIN pggit_v0._reachable_segments(v_tips) r ON r.chain = c.chain_id
    CROSS JOIN LATERAL (SELECT x.commit_sha, x.tree_sha FROM pggit_v0.commit_graph x
                        WHERE x.fp_chain = c.chain_id AND x.fp_depth > coalesce(r.max_depth, -1) OFFSET 0) g;

    RETURN QUERY
    SELECT o.sha, o.type, o.size
    FROM unnest(v_commits) u(sha) CROSS JOIN LATERAL (SELECT * FROM pggit_v0.objects x WHERE x.sha = u.sha OFFSET 0) o;
    -- A blob in a commit's tree was introduced (per change_log) by that commit or a first-parent
    -- ancestor of it, so a blob is kept exactly when a reachable commit's change_log row names it:
    -- blobs no row names at all, and blobs only unreachable commits' rows name, are orphans.
    RETURN QUERY
    SELECT o.sha, o.type, o.size
    FROM (SELECT b.sha FROM pggit_audit.unnamed_blobs b
          WHERE NOT EXISTS (SELECT 1 FROM pggit_audit.change_log c WHERE c.new_sha = b.sha) OFFSET 0) b
    CROSS JOIN LATERAL (SELECT * FROM pggit_v0.objects x WHERE x.sha = b.sha OFFSET 0) o
    WHERE b.sha <> ALL (v_kept_blobs);
    IF cardinality(v_commits) > 0 THEN
        RETURN QUERY
        SELECT o.sha, o.type, o.size
        FROM (SELECT DISTINCT c.new_sha FROM unnest(v_commits) u(sha)
              CROSS JOIN LATERAL (SELECT y.new_sha FROM pggit_audit.change_log y
                                  WHERE y.commit_sha = u.sha AND y.new_sha IS NOT NULL OFFSET 0) c) b
        CROSS JOIN LATERAL (SELECT * FROM pggit_v0.objects x WHERE x.sha = b.new_sha OFFSET 0) o
        WHERE NOT EXISTS (SELECT 1 FROM pggit_audit.change_log c WHERE c.new_sha = b.new_sha AND c.commit_sha <> ALL (v_commits))
          AND b.new_sha <> ALL (v_kept_blobs);
        -- Root trees only unreachable commits use, unless a stored tree is a delta of them.
        RETURN QUERY
        SELECT o.sha, o.type, o.size
        FROM unnest(v_trees) t(sha)
        CROSS JOIN LATERAL (SELECT * FROM pggit_v0.objects x WHERE x.sha = t.sha OFFSET 0) o
        WHERE NOT EXISTS (SELECT 1 FROM pggit_v0.commit_graph g WHERE g.tree_sha = t.sha AND g.commit_sha <> ALL (v_commits))
          AND NOT EXISTS (SELECT 1 FROM pggit_v0.trees d WHERE d.base_sha = t.sha);
    END IF;
END
$$;

CREATE OR REPLACE VIEW pggit_v0.orphaned_objects AS
SELECT o.sha COLLATE "C" AS sha, o.type, o.size FROM pggit_v0._orphaned_objects() o;
COMMENT ON VIEW pggit_v0.orphaned_objects IS 'Objects nothing keeps: commits no ref, recent ref_log entry, pending merge or open merge request reaches, blobs no such commit contains, and root trees only such commits use (and no stored tree is a delta of). What a garbage collection would remove (pggit_v0 has no gc() yet). Subtrees are not listed.';

-- The large commits' compliance records by this index (not every record), each commit's author by
-- one probe.
CREATE INDEX IF NOT EXISTS compliance_log_size ON pggit_audit.compliance_log ((creates + alters + drops));
DROP VIEW IF EXISTS pggit_v0.large_commits;
CREATE VIEW pggit_v0.large_commits AS
SELECT l.commit_sha, g.author, g.author_email, l.committed_at, l.message,
       l.creates + l.alters + l.drops AS objects_changed, l.creates, l.alters, l.drops
FROM pggit_audit.compliance_log l
CROSS JOIN LATERAL (SELECT y.author, y.author_email FROM pggit_v0.commit_graph y WHERE y.commit_sha = l.commit_sha OFFSET 0) g
WHERE l.creates + l.alters + l.drops >= (SELECT (s.value)::text::int FROM pggit_v0.settings s WHERE s.key = 'large_commit_threshold');
COMMENT ON VIEW pggit_v0.large_commits IS 'Commits that change many objects at once (at least the large_commit_threshold setting, default 20), with their create / alter / drop counts.';
