-- Roles and grants: pggit_reader (read everything), pggit_writer (commit, branch),
-- pggit_admin (settings, everything). NOLOGIN: grant them to login roles.
DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['pggit_reader', 'pggit_writer', 'pggit_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database's install created it concurrently (roles are cluster-wide)
            END;
        END IF;
    END LOOP;
END
$$;

DO $$
BEGIN
    IF NOT pg_has_role('pggit_admin', 'pggit_writer', 'MEMBER') THEN
        GRANT pggit_writer TO pggit_admin;
    END IF;
    IF NOT pg_has_role('pggit_writer', 'pggit_reader', 'MEMBER') THEN
        GRANT pggit_reader TO pggit_writer;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA pggit_v0, pggit_audit TO pggit_reader;
REVOKE ALL ON ALL TABLES IN SCHEMA pggit_v0 FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pggit_v0 FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA pggit_v0, pggit_audit TO pggit_reader;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA pggit_v0 TO pggit_reader;
-- Readers run functions too: read functions record their duration (operation_metrics),
-- and every write function checks pggit_writer membership itself with a clear message.
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pggit_v0 TO pggit_reader;
GRANT INSERT, DELETE ON pggit_v0.operation_metrics TO pggit_reader;
GRANT INSERT, UPDATE, DELETE ON pggit_v0.objects, pggit_v0.trees, pggit_v0.commit_graph, pggit_v0.fp_chains, pggit_v0.refs,
    pggit_v0.ref_log, pggit_v0.activity TO pggit_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA pggit_v0 TO pggit_writer;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pggit_v0 TO pggit_admin;
GRANT INSERT ON ALL TABLES IN SCHEMA pggit_audit TO pggit_writer;
-- The one function that runs as its owner (it folds the rollups a writer's commit queued) is for
-- writers only.
REVOKE EXECUTE ON FUNCTION pggit_v0._fold_rollups(integer, integer) FROM pggit_reader;
GRANT EXECUTE ON FUNCTION pggit_v0._fold_rollups(integer, integer) TO pggit_writer;
