-- Removes everything pggit_v0 added to this database:   psql -v ON_ERROR_STOP=1 -f sql/uninstall.sql
-- The cluster-wide roles are dropped too unless another database still uses them.
\set ON_ERROR_STOP 1
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended('pggit_v0 install', 0));
SET LOCAL pggit.internal = 'on';
DROP EVENT TRIGGER IF EXISTS pggit_v0_auto_commit;
DROP EVENT TRIGGER IF EXISTS pggit_v0_auto_commit_start;
DROP EVENT TRIGGER IF EXISTS pggit_v0_ddl_gate;
DROP SCHEMA IF EXISTS pggit_server CASCADE;
DROP SCHEMA IF EXISTS pggit_audit CASCADE;
DROP SCHEMA IF EXISTS pggit_v0 CASCADE;
DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['pggit_admin', 'pggit_writer', 'pggit_reader'] LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('DROP ROLE %I', v_role);
            EXCEPTION WHEN dependent_objects_still_exist THEN
                RAISE NOTICE 'role % kept: another database still grants it privileges', v_role;
            END;
        END IF;
    END LOOP;
END
$$;
COMMIT;
