-- pggit_v0 monitoring (spec 5.3): summary views for dashboards, alerts and recommendations.
-- The views read tables directly (one row each, or one per activity kind), so polling them is
-- cheap; health_check_summary runs the checks behind check_for_alerts() and costs what they do.

CREATE OR REPLACE VIEW pggit_v0.current_state_summary AS
SELECT h.branch AS head_branch,
       r.target_sha AS head_commit,
       hc.committed_at AS head_committed_at,
       (SELECT count(*) FROM pggit_v0.refs x WHERE x.type = 'branch') AS branches,
       (SELECT count(*) FROM pggit_v0.refs x WHERE x.type = 'tag') AS tags,
       (SELECT count(*) FROM pggit_v0.commit_graph) AS commits,
       (SELECT count(*) FROM pggit_v0.objects) AS objects,
       (SELECT max(g.committed_at) FROM pggit_v0.commit_graph g) AS last_commit_at,
       (SELECT count(*) FROM pggit_v0.commit_graph g WHERE g.committed_at >= now() - interval '24 hours') AS commits_last_24h,
       (SELECT count(*) FROM pggit_v0.merges m WHERE m.status = 'conflicted') AS pending_merges,
       (SELECT count(*) FROM pggit_v0.merge_requests mr WHERE mr.status IN ('open', 'approved')) AS open_merge_requests,
       (SELECT v.version FROM pggit_v0.schema_version v ORDER BY v.installed_at DESC, v.version DESC LIMIT 1) AS installed_version
FROM pggit_v0.head h
LEFT JOIN pggit_v0.refs r ON r.name = h.branch AND r.type = 'branch'
LEFT JOIN pggit_v0.commit_graph hc ON hc.commit_sha = r.target_sha;
COMMENT ON VIEW pggit_v0.current_state_summary IS 'Quick status check, one row: which branch is checked out and its commit, how many branches, tags, commits and objects exist, when the last commit was made and how many in the last 24 hours, pending (conflicted) merges, open merge requests, installed version.';

-- Alerts: what needs someone's attention now. Integrity failures are critical; anomalies keep
-- their severity (info ones are not alerts); operations slow on average in the last day warn.
CREATE OR REPLACE FUNCTION pggit_v0.check_for_alerts(p_integrity_sample integer DEFAULT 20, p_slow_threshold interval DEFAULT '1 second')
RETURNS TABLE (alert_level text, alert_message text)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF p_integrity_sample IS NULL OR p_integrity_sample < 0 THEN
        PERFORM pggit_v0._raise('22023', format('p_integrity_sample %s must be zero or more', coalesce(p_integrity_sample::text, 'NULL')), NULL);
    END IF;
    IF p_slow_threshold IS NULL OR p_slow_threshold <= interval '0' THEN
        PERFORM pggit_v0._raise('22023', format('p_slow_threshold %s must be a positive interval', coalesce(p_slow_threshold::text, 'NULL')), NULL);
    END IF;
    RETURN QUERY
    SELECT a.level, a.message FROM (
        SELECT 0 AS rank, 'critical'::text AS level, format('integrity check "%s" failed: %s', i.check_name, i.details) AS message
        FROM pggit_v0.validate_data_integrity(p_integrity_sample) i WHERE i.status <> 'ok'
        UNION ALL
        SELECT CASE d.severity WHEN 'critical' THEN 0 ELSE 1 END, d.severity, format('%s: %s', d.anomaly_type, d.details)
        FROM pggit_v0.detect_anomalies() d WHERE d.severity IN ('critical', 'warning')
        UNION ALL
        SELECT 1, 'warning', format('%s averaged %s ms over %s calls in the last 24 hours (threshold %s ms)',
                                    s.operation, round(s.avg_ms::numeric, 1), s.calls, (extract(epoch FROM p_slow_threshold) * 1000)::double precision)
        FROM (SELECT m.operation, avg(m.duration_ms) AS avg_ms, count(*) AS calls
              FROM pggit_v0.operation_metrics m
              WHERE m.started_at >= now() - interval '24 hours'
                AND m.operation NOT IN ('benchmark_extraction_functions', 'validate_data_integrity', 'check_for_alerts')
              GROUP BY m.operation) s
        WHERE s.avg_ms > extract(epoch FROM p_slow_threshold) * 1000
    ) a
    ORDER BY a.rank, a.message COLLATE "C";
    PERFORM pggit_v0._track('check_for_alerts', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.check_for_alerts(integer, interval) IS 'Issues needing attention, critical first: every failed validate_data_integrity() check (re-hashing p_integrity_sample objects, default 20) is critical; detect_anomalies() findings of severity warning or critical keep their level; an operation whose average in the last 24 hours exceeds p_slow_threshold (default 1 second; the checks themselves excepted) is a warning. No rows when all is well.';

CREATE OR REPLACE VIEW pggit_v0.health_check_summary AS
SELECT CASE WHEN count(*) FILTER (WHERE a.alert_level = 'critical') > 0 THEN 'critical'
            WHEN count(*) > 0 THEN 'warning' ELSE 'healthy' END AS status,
       count(*) FILTER (WHERE a.alert_level = 'critical') AS critical_alerts,
       count(*) FILTER (WHERE a.alert_level = 'warning') AS warning_alerts,
       coalesce(array_agg(a.alert_message) FILTER (WHERE a.alert_message IS NOT NULL), '{}') AS alerts,
       now() AS checked_at
FROM pggit_v0.check_for_alerts() a;
COMMENT ON VIEW pggit_v0.health_check_summary IS 'Overall system health, one row: healthy, warning or critical (the worst check_for_alerts() level), the number of critical and warning alerts and their messages. Runs the integrity and anomaly checks on every read.';

-- The last day of activity is read by time: without this index every poll scans all of history
-- (200,000 events: 31 ms a poll; with it, under 2 ms).
CREATE INDEX IF NOT EXISTS activity_at ON pggit_v0.activity (at);

CREATE OR REPLACE VIEW pggit_v0.recent_activity_summary AS
SELECT a.kind AS activity_kind,
       count(*) AS events,
       array_agg(DISTINCT a.actor ORDER BY a.actor) AS actors,
       coalesce(array_agg(DISTINCT a.ref_name ORDER BY a.ref_name) FILTER (WHERE a.ref_name IS NOT NULL), '{}') AS refs,
       min(a.at) AS first_at,
       max(a.at) AS last_at
FROM pggit_v0.activity a
WHERE a.at >= now() - interval '24 hours' AND a.id > 0
GROUP BY a.kind;
COMMENT ON VIEW pggit_v0.recent_activity_summary IS 'The last 24 hours of activity, one row per kind of write (commit, branch, merge, ...): how many events, who acted, which refs were touched, first and last time.';

CREATE OR REPLACE FUNCTION pggit_v0.get_recommendations()
RETURNS TABLE (recommendation text, priority integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    RETURN QUERY
    SELECT r.recommendation, r.priority FROM (
        SELECT format('Resolve or abort the merge of %s into %s (merge id %s): it has waited on conflicts since %s; pggit_v0.list_merge_conflicts(%L), then complete_merge() or abort_merge()',
                      m.source_branch, m.target_branch, m.id, m.created_at::date, m.id) AS recommendation, 1 AS priority
        FROM pggit_v0.merges m WHERE m.status = 'conflicted' AND m.created_at < now() - interval '7 days'
        UNION ALL
        SELECT format('ANALYZE %I.%I: it has %s rows and no planner statistics, so history queries may get poor plans', s.schemaname, s.relname, s.n_live_tup), 2
        FROM pg_stat_user_tables s
        WHERE s.schemaname IN ('pggit_v0', 'pggit_audit') AND s.n_live_tup >= 1000
          AND s.last_analyze IS NULL AND s.last_autoanalyze IS NULL
        UNION ALL
        SELECT format('VACUUM %I.%I: %s of its %s rows are dead', s.schemaname, s.relname, s.n_dead_tup, s.n_live_tup + s.n_dead_tup), 3
        FROM pg_stat_user_tables s
        WHERE s.schemaname IN ('pggit_v0', 'pggit_audit') AND s.n_dead_tup >= 1000 AND s.n_dead_tup > s.n_live_tup / 5
        UNION ALL
        SELECT format('Raise the tree_delta_max_depth setting (it is 0): all %s trees are stored in full, so storage grows with history x schema size', t.n), 3
        FROM (SELECT count(*) AS n FROM pggit_v0.trees) t
        WHERE (pggit_v0._setting('tree_delta_max_depth'))::text::int = 0 AND t.n >= 100
        UNION ALL
        SELECT format('Review merge request "%s" (%s into %s): %s since %s', mr.title, mr.source_branch, mr.target_branch, mr.status, mr.created_at::date), 3
        FROM pggit_v0.merge_requests mr WHERE mr.status IN ('open', 'approved') AND mr.created_at < now() - interval '7 days'
        UNION ALL
        SELECT format('Delete or merge %s branches not moved in 90 days: %s', count(*), string_agg(r.name, ', ' ORDER BY r.name COLLATE "C")), 4
        FROM pggit_v0._stale_branches(90) r
        HAVING count(*) > 0
        UNION ALL
        SELECT format('Lower the metrics_retention_days setting (%s days): operation_metrics holds %s rows', pggit_v0._setting('metrics_retention_days'), m.n), 4
        FROM (SELECT count(*) AS n FROM (SELECT 1 FROM pggit_v0.operation_metrics LIMIT 1000001) x) m
        WHERE m.n > 1000000
        UNION ALL
        SELECT format('Write commit messages: %s commits have an empty one (see pggit_v0.commit_without_message)', count(*)), 5
        FROM pggit_v0.commit_graph g WHERE btrim(g.message) = ''
        HAVING count(*) > 0
    ) r
    ORDER BY r.priority, r.recommendation COLLATE "C";
    PERFORM pggit_v0._track('get_recommendations', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.get_recommendations() IS 'Suggested actions, most urgent first (priority 1 = do now ... 5 = nice to have), each saying why: resolve merges conflicted for over 7 days (1); ANALYZE pggit tables of 1,000+ rows without statistics (2); VACUUM pggit tables with 1,000+ dead rows over a fifth of the live ones (3); raise tree_delta_max_depth from 0 (3); review merge requests open over 7 days (3); delete or merge branches not moved in 90 days (4); lower metrics_retention_days when operation_metrics passes a million rows (4); write messages for commits without one (5). No rows when there is nothing to suggest.';
