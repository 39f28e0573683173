-- pggit_v0 porcelain built from the plumbing: commit (snapshot the live database),
-- commit_changes (commit DDL to any other branch without touching the database),
-- create_branch, and optional auto-commit on DDL.

-- Checks that DDL parses, without executing it: the text becomes the body of a throwaway
-- PL/pgSQL function, whose validator runs PostgreSQL's raw parser over every statement but
-- does no name resolution, so branch-only objects need not exist in the live database.
CREATE OR REPLACE FUNCTION pggit_v0._check_ddl_syntax(p_path text, p_ddl text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_body text := rtrim(p_ddl, E' \t\r\n');
    v_message text;
BEGIN
    IF v_body = '' THEN
        PERFORM pggit_v0._raise('22023', format('DDL for path %L is empty', p_path), 'map the path to null to delete the object');
    END IF;
    IF right(v_body, 1) <> ';' THEN
        v_body := v_body || ';';
    END IF;
    BEGIN
        PERFORM set_config('pggit.internal', 'on', true);
        PERFORM set_config('check_function_bodies', 'on', true);
        EXECUTE format('CREATE FUNCTION pg_temp.pggit_v0_syntax_check() RETURNS void LANGUAGE plpgsql AS %L',
                       E'BEGIN\n' || v_body || E'\nEND');
        RAISE EXCEPTION USING ERRCODE = 'PGS00';  -- roll the throwaway function back
    EXCEPTION
        WHEN SQLSTATE 'PGS00' THEN
            NULL;
        WHEN syntax_error THEN
            GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT;
            PERFORM pggit_v0._raise('22023', format('DDL for path %L does not parse: %s', p_path, v_message),
                'fix the statement; DDL is checked for syntax only, never executed');
    END;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0._check_message(p_message text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_message IS NULL OR btrim(p_message, E' \t\r\n') = '' THEN
        PERFORM pggit_v0._raise('22023', 'commit message is empty', 'say what changed and why');
    END IF;
END
$$;

-- Snapshot the live database and commit it onto the checked-out branch. The first commit creates
-- the default branch. An unchanged schema is 'nothing to commit': no commit, a notice, the head returned.
CREATE OR REPLACE FUNCTION pggit_v0.commit(p_message text, p_author text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_branch text := pggit_v0._head_branch();
    v_paths text[];
    v_blobs text[];
    v_parent text;
    v_parent_tree text;
    v_change_paths text[];
    v_change_shas text[];
    v_tree text;
    v_commit text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    PERFORM pggit_v0._check_message(p_message);
    PERFORM pggit_v0._parse_ident(p_author);

    SELECT array_agg(s.path ORDER BY s.path COLLATE "C"), pggit_v0._write_blobs(array_agg(s.ddl ORDER BY s.path COLLATE "C"))
    INTO v_paths, v_blobs FROM pggit_v0.snapshot_schema() s;
    IF v_paths IS NULL THEN
        PERFORM pggit_v0._raise('PGC01', 'nothing to commit: the database has no tracked objects',
            'create objects in a tracked schema, or check the tracked_schemas / ignored_schemas settings');
    END IF;

    -- Writers to one branch queue on its ref row (under REPEATABLE READ a concurrent move is 40001).
    -- (The ref row alone: a joined row would be dropped when the lock wait re-checks the join.)
    SELECT r.target_sha INTO v_parent FROM pggit_v0.refs r WHERE r.name = v_branch AND r.type = 'branch' FOR UPDATE;
    SELECT g.tree_sha INTO v_parent_tree FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_parent;

    SELECT coalesce(array_agg(coalesce(n.path, o.path) ORDER BY coalesce(n.path, o.path) COLLATE "C"), '{}'),
           coalesce(array_agg(n.sha ORDER BY coalesce(n.path, o.path) COLLATE "C"), '{}')
    INTO v_change_paths, v_change_shas
    FROM unnest(v_paths, v_blobs) AS n(path, sha)
    FULL JOIN pggit_v0._tree_blobs(v_parent_tree) o ON o.path = n.path
    WHERE n.sha IS DISTINCT FROM o.sha;

    IF v_parent IS NOT NULL AND cardinality(v_change_paths) = 0 THEN
        RAISE NOTICE 'nothing to commit: branch % at % matches the database', v_branch, left(v_parent, 12);
        PERFORM pggit_v0._track('commit', v_started);
        RETURN v_parent;
    END IF;

    v_tree := pggit_v0._write_tree(v_parent_tree, v_change_paths, v_change_shas);
    v_commit := pggit_v0.commit_tree(v_tree, CASE WHEN v_parent IS NULL THEN '{}' ELSE ARRAY[v_parent] END, p_message, p_author);
    PERFORM pggit_v0.update_ref(v_branch, v_commit, v_parent, 'commit',
        p_details => jsonb_build_object('message', p_message, 'changed_paths', cardinality(v_change_paths)));
    PERFORM pggit_v0._track('commit', v_started);
    RETURN v_commit;
END
$$;
COMMENT ON FUNCTION pggit_v0.commit(text, text) IS 'Snapshots the live database onto the checked-out branch (git commit -a). Returns the new commit, or the current head with a notice when nothing changed.';

-- Commits DDL changes to a branch without touching the live database.
-- p_changes: {"<path>": "<DDL>" | null, ...}; null deletes. DDL is checked for syntax, not executed.
CREATE OR REPLACE FUNCTION pggit_v0.commit_changes(p_branch text, p_changes jsonb, p_message text, p_author text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_parent text;
    v_parent_tree text;
    v_tree text;
    v_commit text;
    v_key text;
    v_value jsonb;
    v_missing text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    PERFORM pggit_v0._check_message(p_message);
    PERFORM pggit_v0._parse_ident(p_author);
    PERFORM pggit_v0._branch_tip(p_branch);
    IF p_branch = pggit_v0._head_branch() THEN
        PERFORM pggit_v0._raise('PGC01', format('branch %L is checked out: the live database is its working tree', p_branch),
            'change the database and call pggit_v0.commit(), or commit to another branch');
    END IF;
    IF p_changes IS NULL OR jsonb_typeof(p_changes) <> 'object' OR p_changes = '{}'::jsonb THEN
        PERFORM pggit_v0._raise('22023', format('changes %s are not a non-empty JSON object mapping paths to DDL or null', coalesce(left(p_changes::text, 200), 'NULL')),
            'example: {"public/views/v.sql": "CREATE VIEW ...;", "public/tables/old.sql": null}');
    END IF;
    FOR v_key, v_value IN SELECT key, value FROM jsonb_each(p_changes) ORDER BY key COLLATE "C" LOOP
        PERFORM pggit_v0._check_path(v_key);
        IF jsonb_typeof(v_value) = 'string' THEN
            PERFORM pggit_v0._check_ddl_syntax(v_key, v_value #>> '{}');
        ELSIF jsonb_typeof(v_value) <> 'null' THEN
            PERFORM pggit_v0._raise('22023', format('change for path %L must be DDL text or null, not %s', v_key, jsonb_typeof(v_value)), NULL);
        END IF;
    END LOOP;

    -- Writers to one branch queue on its ref row and apply their change to the tip they find,
    -- as consecutive commits would (under REPEATABLE READ a concurrent move is 40001).
    -- (The ref row alone: a joined row would be dropped when the lock wait re-checks the join.)
    SELECT r.target_sha INTO v_parent FROM pggit_v0.refs r WHERE r.name = p_branch AND r.type = 'branch' FOR UPDATE;
    SELECT g.tree_sha INTO v_parent_tree FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_parent;

    SELECT min(key) INTO v_missing FROM jsonb_each(p_changes)
    WHERE jsonb_typeof(value) = 'null'
      AND NOT EXISTS (SELECT 1 FROM pggit_v0._tree_blobs(v_parent_tree) b WHERE b.path = key);
    IF v_missing IS NOT NULL THEN
        PERFORM pggit_v0._raise('P0002', format('path %L not found on branch %L, so it cannot be deleted', v_missing, p_branch),
            'list the branch''s paths with pggit_v0.ls_tree(branch)');
    END IF;

    v_tree := pggit_v0.write_tree(v_parent_tree, p_changes);
    IF v_tree IS NULL THEN
        PERFORM pggit_v0._raise('22023', format('these changes would leave branch %L empty', p_branch), 'keep at least one object');
    END IF;
    IF v_tree = v_parent_tree THEN
        RAISE NOTICE 'nothing to commit: branch % already has this content', p_branch;
        PERFORM pggit_v0._track('commit_changes', v_started);
        RETURN v_parent;
    END IF;
    v_commit := pggit_v0.commit_tree(v_tree, ARRAY[v_parent], p_message, p_author);
    PERFORM pggit_v0.update_ref(p_branch, v_commit, v_parent, 'commit',
        p_details => jsonb_build_object('message', p_message, 'changed_paths', (SELECT count(*) FROM jsonb_object_keys(p_changes))));
    PERFORM pggit_v0._track('commit_changes', v_started);
    RETURN v_commit;
END
$$;
COMMENT ON FUNCTION pggit_v0.commit_changes(text, jsonb, text, text) IS 'Commits {path: DDL | null} to a branch that is not checked out, without touching the live database; DDL is syntax-checked, never executed.';

-- Creates a new ref (branch or tag) at a revision, with an optional description; returns the commit.
CREATE OR REPLACE FUNCTION pggit_v0._create_ref(p_name text, p_type text, p_revision text, p_description text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_sha text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    PERFORM pggit_v0._check_ref_name(p_name, p_type);
    v_sha := pggit_v0.resolve_ref(p_revision);
    BEGIN
        PERFORM pggit_v0.update_ref(p_name, v_sha, NULL, 'create_' || p_type, p_type);
    EXCEPTION WHEN serialization_failure THEN
        PERFORM pggit_v0._raise('42710', format('%s %L already exists', (SELECT type FROM pggit_v0.refs WHERE name = p_name), p_name),
            'pick another name, or delete the existing one first (branches and tags share one namespace)');
    END;
    IF p_description IS NOT NULL THEN
        UPDATE pggit_v0.refs SET description = p_description WHERE name = p_name;
    END IF;
    RETURN v_sha;
END
$$;

-- Creates a branch at a commit (default HEAD). Returns the commit the branch points at.
CREATE OR REPLACE FUNCTION pggit_v0.create_branch(p_branch_name text, p_from_commit_sha text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_sha text := pggit_v0._create_ref(p_branch_name, 'branch', p_from_commit_sha, NULL);
BEGIN
    PERFORM pggit_v0._track('create_branch', v_started);
    RETURN v_sha;
END
$$;
COMMENT ON FUNCTION pggit_v0.create_branch(text, text) IS 'Creates a branch at a commit (NULL = HEAD; anything resolve_ref() accepts) and returns that commit''s sha.';

-- ---------------------------------------------------------------------------
-- The DDL gate: every DDL transaction holds it shared from its first DDL statement to its end;
-- snapshot_schema() takes it exclusively (pggit_v0._lock_catalogs), so a snapshot never sees
-- half of a DDL transaction. Event triggers need a superuser; without one the install warns.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0._ddl_gate() RETURNS event_trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('pggit.internal', true), '') <> 'on' THEN
        PERFORM pg_advisory_xact_lock_shared(hashtextextended('pggit_v0 ddl gate', 0));
    END IF;
END
$$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'pggit_v0_ddl_gate') THEN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            CREATE EVENT TRIGGER pggit_v0_ddl_gate ON ddl_command_start EXECUTE FUNCTION pggit_v0._ddl_gate();
        ELSE
            RAISE WARNING 'pggit_v0 installed without a superuser: the DDL gate event trigger is missing, so a snapshot taken during concurrent DDL may mix two states; re-run install.sql as a superuser';
        END IF;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Auto-commit on DDL (optional; event triggers need a superuser)
-- ---------------------------------------------------------------------------
-- DDL statements of different sessions are serialized from their start while auto-commit is on,
-- so two sessions' auto-commits cannot deadlock on the catalog locks a snapshot takes.
CREATE OR REPLACE FUNCTION pggit_v0._auto_commit_ddl_start() RETURNS event_trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('pggit.internal', true), '') <> 'on' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('pggit_v0 auto-commit', 0));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0._auto_commit_ddl_end() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_objects text;
    v_message text;
BEGIN
    IF coalesce(current_setting('pggit.internal', true), '') = 'on' THEN
        RETURN;  -- pggit's own DDL (install, syntax checks) never commits itself
    END IF;
    SELECT string_agg(DISTINCT c.object_identity, ', ') INTO v_objects
    FROM pg_event_trigger_ddl_commands() c
    WHERE c.schema_name IS NULL OR (c.schema_name NOT LIKE 'pggit\_%' AND c.schema_name NOT LIKE 'pg\_temp%');
    IF v_objects IS NULL AND tg_tag NOT LIKE 'DROP%' THEN
        RETURN;
    END IF;
    BEGIN
        PERFORM set_config('pggit.internal', 'on', true);
        PERFORM set_config('client_min_messages', 'warning', true);
        PERFORM pggit_v0.commit(coalesce(tg_tag || ' ' || v_objects, tg_tag), NULL);
        PERFORM set_config('pggit.internal', 'off', true);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT;
        RAISE WARNING 'pggit_v0 auto-commit after % failed: %; the change is not committed, run pggit_v0.commit()', tg_tag, v_message;
    END;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.enable_auto_commit() RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        PERFORM pggit_v0._raise('42501', format('enabling auto-commit needs a superuser; %I is not one', current_user),
            'ask a superuser to run SELECT pggit_v0.enable_auto_commit()');
    END IF;
    PERFORM set_config('pggit.internal', 'on', true);
    IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'pggit_v0_auto_commit_start') THEN
        CREATE EVENT TRIGGER pggit_v0_auto_commit_start ON ddl_command_start
            EXECUTE FUNCTION pggit_v0._auto_commit_ddl_start();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'pggit_v0_auto_commit') THEN
        CREATE EVENT TRIGGER pggit_v0_auto_commit ON ddl_command_end
            EXECUTE FUNCTION pggit_v0._auto_commit_ddl_end();
    END IF;
    PERFORM set_config('pggit.internal', 'off', true);
    PERFORM pggit_v0._record_activity('auto_commit_enabled', NULL, NULL);
    PERFORM pggit_v0._track('enable_auto_commit', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.enable_auto_commit() IS 'Commits the live database after every DDL statement (event trigger; needs a superuser). pggit''s own DDL never triggers it.';

CREATE OR REPLACE FUNCTION pggit_v0.disable_auto_commit() RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_was_enabled boolean := EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'pggit_v0_auto_commit');
BEGIN
    PERFORM set_config('pggit.internal', 'on', true);
    DROP EVENT TRIGGER IF EXISTS pggit_v0_auto_commit;
    DROP EVENT TRIGGER IF EXISTS pggit_v0_auto_commit_start;
    PERFORM set_config('pggit.internal', 'off', true);
    IF v_was_enabled THEN
        PERFORM pggit_v0._record_activity('auto_commit_disabled', NULL, NULL);
    END IF;
    PERFORM pggit_v0._track('disable_auto_commit', v_started);
    RETURN v_was_enabled;
END
$$;
COMMENT ON FUNCTION pggit_v0.disable_auto_commit() IS 'Removes the auto-commit event triggers; returns whether they were there.';
