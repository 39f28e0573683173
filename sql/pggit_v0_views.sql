-- pggit_v0 insight views (spec 4.2). Each view says in its COMMENT which question it answers.

INSERT INTO pggit_v0.settings (key, value, description) VALUES
    ('large_commit_threshold', '20'::jsonb, 'A commit that changes at least this many objects is listed by pggit_v0.large_commits.'),
    ('reflog_expiry_days', '90'::jsonb, 'ref_log entries younger than this keep their commits from gc() (and out of orphaned_objects).')
ON CONFLICT (key) DO NOTHING;

-- Everything reachable from a set of tips, as first-parent chain segments (chain, max_depth): a
-- commit is reachable exactly when its chain has a segment reaching at least its depth. Each round
-- follows the first-parent lines of a frontier (stopping where a line enters covered ground), then
-- makes the other parents of the merge commits it newly covered the next frontier; the rounds are
-- as many as merges nest, and no round walks the history commit by commit.
CREATE OR REPLACE FUNCTION pggit_v0._reachable_segments(p_tips text[]) RETURNS TABLE (chain bigint, max_depth integer)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_chains bigint[] := '{}';
    v_depths integer[] := '{}';
    v_frontier text[] := ARRAY(SELECT DISTINCT t FROM unnest(p_tips) t WHERE t IS NOT NULL);
    v_new_chains bigint[];
    v_new_depths integer[];
    v_old_depths integer[];
BEGIN
    WHILE cardinality(v_frontier) > 0 LOOP
        WITH covered AS MATERIALIZED (
            SELECT r.chain, r.max_depth FROM unnest(v_chains, v_depths) AS r(chain, max_depth)
        ), line AS (
            SELECT s.chain, max(s.max_depth) AS max_depth
            FROM (WITH RECURSIVE walk AS (
                      SELECT g.fp_chain AS chain, g.fp_depth AS max_depth
                      FROM pggit_v0.commit_graph g WHERE g.commit_sha = ANY (v_frontier)
                      UNION
                      SELECT g.fp_chain, g.fp_depth
                      FROM walk w
                      JOIN pggit_v0.fp_chains c ON c.chain_id = w.chain
                      JOIN pggit_v0.commit_graph g ON g.commit_sha = c.base_sha
                      WHERE NOT EXISTS (SELECT 1 FROM covered v WHERE v.chain = w.chain AND v.max_depth >= w.max_depth)
                  )
                  SELECT w.chain, w.max_depth FROM walk w) s
            GROUP BY s.chain
        )
        SELECT array_agg(l.chain), array_agg(l.max_depth), array_agg(coalesce(v.max_depth, -1))
        INTO v_new_chains, v_new_depths, v_old_depths
        FROM line l LEFT JOIN covered v ON v.chain = l.chain
        WHERE l.max_depth > coalesce(v.max_depth, -1);
        EXIT WHEN v_new_chains IS NULL;
        -- The other parents of merge commits in the newly covered ranges.
        SELECT coalesce(array_agg(DISTINCT p.sha), '{}') INTO v_frontier
        FROM unnest(v_new_chains, v_new_depths, v_old_depths) AS n(chain, max_depth, old_depth)
        JOIN pggit_v0.commit_graph g ON g.fp_chain = n.chain AND g.fp_depth > n.old_depth AND g.fp_depth <= n.max_depth
                                     AND cardinality(g.parent_shas) > 1
        CROSS JOIN LATERAL unnest(g.parent_shas[2:]) AS p(sha);
        -- Merge the new segments into the covered set.
        SELECT array_agg(m.chain), array_agg(m.max_depth) INTO v_chains, v_depths
        FROM (SELECT r.chain, max(r.max_depth) AS max_depth
              FROM (SELECT * FROM unnest(v_chains, v_depths) UNION ALL SELECT * FROM unnest(v_new_chains, v_new_depths)) AS r(chain, max_depth)
              GROUP BY r.chain) m;
    END LOOP;
    RETURN QUERY SELECT r.chain, r.max_depth FROM unnest(v_chains, v_depths) AS r(chain, max_depth);
END
$$;

-- Commits reachable from a set of tips (all of history they reach).
CREATE OR REPLACE FUNCTION pggit_v0._reachable_commits(p_tips text[]) RETURNS TABLE (commit_sha text)
LANGUAGE sql STABLE AS $$
    SELECT g.commit_sha
    FROM pggit_v0._reachable_segments(p_tips) s
    JOIN pggit_v0.commit_graph g ON g.fp_chain = s.chain AND g.fp_depth <= s.max_depth
$$;

-- |commits reachable from p_a but not from p_b| (git rev-list --count b..a).
CREATE OR REPLACE FUNCTION pggit_v0._count_exclusive(p_a text, p_b text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_floor integer;
    v_count bigint;
BEGIN
    IF p_a = p_b THEN
        RETURN 0;
    END IF;
    SELECT coalesce(min(g.generation), 0) INTO v_floor
    FROM unnest(pggit_v0._merge_bases(p_a, p_b)) b JOIN pggit_v0.commit_graph g ON g.commit_sha = b;
    WITH RECURSIVE from_a(sha) AS (
        SELECT p_a COLLATE "C"
        UNION
        SELECT p.sha FROM from_a a JOIN pggit_v0.commit_graph g ON g.commit_sha = a.sha
        CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
        JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= v_floor
    ), from_b(sha) AS (
        SELECT p_b COLLATE "C"
        UNION
        SELECT p.sha FROM from_b b JOIN pggit_v0.commit_graph g ON g.commit_sha = b.sha
        CROSS JOIN LATERAL unnest(g.parent_shas) AS p(sha)
        JOIN pggit_v0.commit_graph pg ON pg.commit_sha = p.sha AND pg.generation >= v_floor
    )
    SELECT count(*) INTO v_count FROM (SELECT sha FROM from_a EXCEPT SELECT sha FROM from_b) x;
    RETURN v_count;
END
$$;

CREATE OR REPLACE VIEW pggit_v0.recent_commits_by_author AS
SELECT g.author, g.author_email,
       count(*) AS commits,
       count(*) FILTER (WHERE g.committed_at > now() - interval '7 days') AS commits_last_7_days,
       count(*) FILTER (WHERE g.committed_at > now() - interval '30 days') AS commits_last_30_days,
       max(g.committed_at) AS last_commit_at,
       (array_agg(g.commit_sha ORDER BY g.committed_at DESC, g.generation DESC))[1] AS last_commit_sha,
       (array_agg(g.message ORDER BY g.committed_at DESC, g.generation DESC))[1] AS last_message
FROM pggit_v0.commit_graph g
GROUP BY g.author, g.author_email;
COMMENT ON VIEW pggit_v0.recent_commits_by_author IS 'Who has been committing: commits per author (all time, last 7 and 30 days) with their latest commit.';

CREATE OR REPLACE VIEW pggit_v0.most_changed_objects AS
SELECT c.path AS object_path, c.schema_name, c.object_name, c.object_type,
       count(*) AS change_count,
       count(*) FILTER (WHERE c.change_type = 'ALTER') AS alters,
       count(DISTINCT g.author) AS authors,
       max(g.committed_at) AS last_changed_at,
       (array_agg(g.author ORDER BY g.committed_at DESC, g.generation DESC))[1] AS last_changed_by
FROM pggit_audit.change_log c
JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha
GROUP BY c.path, c.schema_name, c.object_name, c.object_type;
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
LEFT JOIN pggit_v0.refs d ON d.name = (pggit_v0._setting('default_branch') #>> '{}') AND d.type = 'branch'
LEFT JOIN LATERAL (SELECT pggit_v0._count_exclusive(r.target_sha, d.target_sha) AS ahead,
                          pggit_v0._count_exclusive(d.target_sha, r.target_sha) AS behind
                   WHERE d.target_sha IS NOT NULL) x ON true
WHERE r.type = 'branch';
COMMENT ON VIEW pggit_v0.branch_comparison IS 'Every branch at a glance against the default branch: commits ahead and behind (git rev-list --count), last commit, and whether it is fully merged into the default branch.';

CREATE OR REPLACE VIEW pggit_v0.daily_change_summary AS
SELECT (g.committed_at AT TIME ZONE 'UTC')::date AS day,
       count(DISTINCT g.commit_sha) AS commits,
       count(DISTINCT g.author) AS authors,
       count(c.id) FILTER (WHERE c.change_type = 'CREATE') AS creates,
       count(c.id) FILTER (WHERE c.change_type = 'ALTER') AS alters,
       count(c.id) FILTER (WHERE c.change_type = 'DROP') AS drops,
       count(DISTINCT c.path) AS objects_changed
FROM pggit_v0.commit_graph g
LEFT JOIN pggit_audit.change_log c ON c.commit_sha = g.commit_sha
GROUP BY 1;
COMMENT ON VIEW pggit_v0.daily_change_summary IS 'How much changed each day (UTC): commits, authors, and objects created, altered and dropped. ORDER BY day DESC.';

CREATE OR REPLACE VIEW pggit_v0.schema_growth_history AS
-- The default branch's first-parent line as chain segments (no commit-by-commit walk), and each
-- commit's creates and drops from its compliance record (one row per commit).
WITH line AS (
    SELECT g.commit_sha, g.committed_at, g.message, g.fp_depth
    FROM pggit_v0.refs r
    CROSS JOIN LATERAL pggit_v0._fp_line_segments(r.target_sha) s
    JOIN pggit_v0.commit_graph g ON g.fp_chain = s.chain AND g.fp_depth <= s.max_depth
    WHERE r.name = (SELECT st.value #>> '{}' FROM pggit_v0.settings st WHERE st.key = 'default_branch') AND r.type = 'branch'
), deltas AS (
    SELECT l.commit_sha, l.committed_at, l.message, l.fp_depth, coalesce(c.creates - c.drops, 0)::bigint AS net
    FROM line l LEFT JOIN pggit_audit.compliance_log c ON c.commit_sha = l.commit_sha
)
SELECT fp_depth + 1 AS commit_number, commit_sha, committed_at, message, net AS objects_added,
       sum(net) OVER (ORDER BY fp_depth) AS object_count
FROM deltas;
COMMENT ON VIEW pggit_v0.schema_growth_history IS 'How many objects the schema had over time: object count after each commit on the default branch''s first-parent line.';

CREATE OR REPLACE VIEW pggit_v0.author_activity AS
SELECT g.author, g.author_email, g.committed_at, c.commit_sha, c.path AS object_path,
       c.schema_name, c.object_name, c.object_type, c.change_type, g.message
FROM pggit_audit.change_log c
JOIN pggit_v0.commit_graph g ON g.commit_sha = c.commit_sha;
COMMENT ON VIEW pggit_v0.author_activity IS 'Who changed what and when: one row per object change with its author, time, commit and message.';

CREATE OR REPLACE VIEW pggit_v0.commit_without_message AS
SELECT g.commit_sha, g.author, g.author_email, g.committed_at, g.message,
       CASE WHEN btrim(g.message) = '' THEN 'empty' ELSE 'uninformative' END AS problem
FROM pggit_v0.commit_graph g
WHERE btrim(g.message) = ''
   OR length(btrim(g.message)) < 4
   OR lower(btrim(g.message, E' \t\n.!')) IN ('wip', 'fix', 'fixes', 'update', 'updates', 'changes', 'change', 'misc', 'stuff', 'tmp', 'temp', 'test', 'asdf', 'commit');
COMMENT ON VIEW pggit_v0.commit_without_message IS 'Commits that do not say why: an empty message (possible through commit_tree) or an uninformative one (shorter than 4 characters, or wip / fix / update / misc …).';

CREATE OR REPLACE VIEW pggit_v0.orphaned_objects AS
WITH kept_tips AS (
    SELECT r.target_sha AS sha FROM pggit_v0.refs r
    UNION
    SELECT s.sha FROM pggit_v0.ref_log l, LATERAL (VALUES (l.old_sha), (l.new_sha)) AS s(sha)
    WHERE s.sha IS NOT NULL AND l.at > now() - make_interval(days => (pggit_v0._setting('reflog_expiry_days'))::text::int)
    UNION
    SELECT m.sha FROM pggit_v0._merge_state_shas() m WHERE m.object_type = 'commit'
), reached AS MATERIALIZED (
    SELECT s.chain, s.max_depth FROM pggit_v0._reachable_segments(ARRAY(SELECT sha FROM kept_tips)) s
), unreached AS MATERIALIZED (
    -- Per chain, the commits above what is reached (chains nothing reaches entirely).
    SELECT g.commit_sha, g.tree_sha
    FROM pggit_v0.fp_chains c
    LEFT JOIN reached r ON r.chain = c.chain_id
    JOIN pggit_v0.commit_graph g ON g.fp_chain = c.chain_id AND g.fp_depth > coalesce(r.max_depth, -1)
), reachable_blobs AS (
    -- A blob in a commit's tree was introduced (per change_log) by that commit or a first-parent
    -- ancestor of it, so the blobs of reachable commits are the new_sha of their change_log rows.
    SELECT c.new_sha AS sha FROM pggit_audit.change_log c
    WHERE c.new_sha IS NOT NULL AND c.commit_sha NOT IN (SELECT u.commit_sha FROM unreached u)
)
SELECT o.sha, o.type, o.size
FROM pggit_v0.objects o
WHERE (o.type = 'commit' AND o.sha IN (SELECT u.commit_sha FROM unreached u))
   OR (o.type = 'blob' AND o.sha NOT IN (SELECT sha FROM reachable_blobs)
       AND o.sha NOT IN (SELECT m.sha FROM pggit_v0._merge_state_shas() m WHERE m.object_type = 'blob'))
   OR (o.type = 'tree' AND o.sha IN (SELECT u.tree_sha FROM unreached u)
       AND o.sha NOT IN (SELECT g.tree_sha FROM pggit_v0.commit_graph g WHERE g.commit_sha NOT IN (SELECT u.commit_sha FROM unreached u))
       AND o.sha NOT IN (SELECT t.base_sha FROM pggit_v0.trees t WHERE t.base_sha IS NOT NULL));
COMMENT ON VIEW pggit_v0.orphaned_objects IS 'Objects nothing keeps: commits no ref, recent ref_log entry, pending merge or open merge request reaches, blobs no such commit contains, and root trees only such commits use (and no stored tree is a delta of). What gc() would remove. Subtrees are not listed.';

DROP VIEW IF EXISTS pggit_v0.large_commits;
CREATE VIEW pggit_v0.large_commits AS
SELECT l.commit_sha, g.author, g.author_email, l.committed_at, l.message,
       l.creates + l.alters + l.drops AS objects_changed, l.creates, l.alters, l.drops
FROM pggit_audit.compliance_log l
JOIN pggit_v0.commit_graph g ON g.commit_sha = l.commit_sha
WHERE l.creates + l.alters + l.drops >= (SELECT (s.value)::text::int FROM pggit_v0.settings s WHERE s.key = 'large_commit_threshold');
COMMENT ON VIEW pggit_v0.large_commits IS 'Commits that change many objects at once (at least the large_commit_threshold setting, default 20), with their create / alter / drop counts.';
