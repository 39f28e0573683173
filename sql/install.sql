-- pggit_v0 installer and upgrader:   psql -v ON_ERROR_STOP=1 -f sql/install.sql
-- Runs from any directory (\ir resolves files next to this one). Every file is idempotent, so
-- running it again upgrades in place. One transaction and an advisory lock make concurrent
-- installs (two server replicas starting at once) safe. The server applies exactly these files
-- in this order.
\set ON_ERROR_STOP 1
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended('pggit_v0 install', 0));
SET LOCAL client_min_messages = warning;
SET LOCAL pggit.internal = 'on';
\ir pggit_v0_core.sql
\ir pggit_v0_snapshot.sql
\ir pggit_v0_porcelain.sql
\ir pggit_v0_history.sql
\ir pggit_v0_developers.sql
\ir pggit_v0_branching.sql
\ir pggit_v0_views.sql
\ir pggit_v0_analytics.sql
\ir pggit_v0_monitoring.sql
\ir pggit_v0_export.sql
\ir pggit_v0_server.sql
\ir pggit_v0_roles.sql
-- JIT compilation costs more than these short catalog and graph queries ever run (recursive
-- CTEs get huge cost estimates that trigger it), so PL/pgSQL functions run without it.
DO $$
DECLARE
    v_function regprocedure;
BEGIN
    FOR v_function IN
        SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_language l ON l.oid = p.prolang
        WHERE n.nspname IN ('pggit_v0', 'pggit_audit') AND l.lanname = 'plpgsql' AND p.prorettype <> 'trigger'::regtype
          AND p.prorettype <> 'event_trigger'::regtype AND NOT coalesce('jit=off' = ANY (p.proconfig), false)
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET jit = off', v_function);
    END LOOP;
END
$$;
INSERT INTO pggit_v0.schema_version (version) VALUES ('0.1.0') ON CONFLICT (version) DO NOTHING;
COMMIT;
