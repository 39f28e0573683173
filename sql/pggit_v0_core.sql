-- pggit_v0 core: settings, paths, the git object model (blobs, delta-stored
-- trees, commits), refs, ref_log, activity and operation metrics.
-- Applied by install.sql inside one transaction; every statement is idempotent.

CREATE SCHEMA IF NOT EXISTS pggit_v0;
CREATE SCHEMA IF NOT EXISTS pggit_audit;
COMMENT ON SCHEMA pggit_v0 IS 'pggit_v0: git for PostgreSQL schemas (objects, refs, history, porcelain).';
COMMENT ON SCHEMA pggit_audit IS 'pggit_v0 audit layer: per-object change records and an immutable compliance log.';

-- ---------------------------------------------------------------------------
-- Install bookkeeping
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pggit_v0.schema_version (
    version      text        PRIMARY KEY,
    installed_at timestamptz NOT NULL DEFAULT now(),
    installed_by text        NOT NULL DEFAULT current_user
);
COMMENT ON TABLE pggit_v0.schema_version IS 'Every pggit_v0 version installed into this database; the newest row is the one in force.';

-- ---------------------------------------------------------------------------
-- Settings
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pggit_v0.settings (
    key         text  PRIMARY KEY,
    value       jsonb NOT NULL,
    description text  NOT NULL DEFAULT ''
);
COMMENT ON TABLE pggit_v0.settings IS 'pggit_v0 settings (key -> jsonb value). Change them with pggit_v0.set_setting(key, value).';

INSERT INTO pggit_v0.settings (key, value, description) VALUES
    ('default_branch',     '"main"'::jsonb, 'The branch created by the first commit and used when none is named.'),
    ('tracked_schemas',    'null'::jsonb,   'JSON array of schema names to track; null tracks every user schema.'),
    ('ignored_schemas',    '[]'::jsonb,     'JSON array of schema names never tracked (pggit_* and system schemas are never tracked anyway).'),
    ('track_privileges',   'false'::jsonb,  'When true, owners and grants become part of the tracked DDL.'),
    ('tree_delta_max_depth','32'::jsonb,    'Longest chain of tree deltas before a tree is stored in full again.'),
    ('metrics_retention_days','30'::jsonb,  'operation_metrics rows older than this many days are pruned.')
ON CONFLICT (key) DO NOTHING;

CREATE OR REPLACE FUNCTION pggit_v0._setting(p_key text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT value FROM pggit_v0.settings WHERE key = p_key
$$;

-- ---------------------------------------------------------------------------
-- Errors: one helper so that every message names the value and the way forward
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0._raise(p_sqlstate text, p_message text, p_hint text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_hint IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = p_sqlstate, MESSAGE = p_message;
    END IF;
    RAISE EXCEPTION USING ERRCODE = p_sqlstate, MESSAGE = p_message, HINT = p_hint;
END
$$;

-- What a setting accepts. Counts are whole numbers with a floor; only tracked_schemas may be null
-- (null = every user schema); schema lists are arrays of names; the default branch is a valid
-- branch name. A setting added later without a rule here takes its current value's JSON type.
CREATE OR REPLACE FUNCTION pggit_v0._check_setting(p_key text, p_value jsonb, p_old jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_min integer := CASE p_key WHEN 'tree_delta_max_depth' THEN 0 WHEN 'metrics_retention_days' THEN 0
                                WHEN 'large_commit_threshold' THEN 1 WHEN 'reflog_expiry_days' THEN 0
                                WHEN 'required_approvals' THEN 0 END;
    v_expected text;
BEGIN
    v_expected := CASE
        WHEN v_min IS NOT NULL THEN format('whole number of at least %s', v_min)
        WHEN p_key = 'default_branch' THEN 'branch name (a JSON string)'
        WHEN p_key = 'tracked_schemas' THEN 'JSON array of schema names, or null'
        WHEN p_key = 'ignored_schemas' THEN 'JSON array of schema names'
        WHEN p_key = 'track_privileges' THEN 'JSON boolean'
        ELSE 'JSON ' || jsonb_typeof(p_old) END;
    IF p_value IS NULL
       OR (jsonb_typeof(p_value) = 'null' AND p_key <> 'tracked_schemas')
       OR (v_min IS NOT NULL AND (jsonb_typeof(p_value) <> 'number' OR p_value::text::numeric <> trunc(p_value::text::numeric)
                                  OR p_value::text::numeric < v_min OR p_value::text::numeric > 2147483647))
       OR (p_key IN ('tracked_schemas', 'ignored_schemas') AND jsonb_typeof(p_value) <> 'null'
           AND (jsonb_typeof(p_value) <> 'array'
                OR EXISTS (SELECT 1 FROM jsonb_array_elements(p_value) e WHERE jsonb_typeof(e) <> 'string' OR e #>> '{}' = '')))
       OR (p_key IN ('default_branch', 'track_privileges') AND jsonb_typeof(p_value) <> CASE p_key WHEN 'default_branch' THEN 'string' ELSE 'boolean' END)
       OR (v_min IS NULL AND p_key NOT IN ('default_branch', 'tracked_schemas', 'ignored_schemas', 'track_privileges')
           AND jsonb_typeof(p_value) <> jsonb_typeof(p_old)) THEN
        PERFORM pggit_v0._raise('22023', format('setting %L takes a %s, not %s', p_key, v_expected, coalesce(p_value::text, 'NULL')), NULL);
    END IF;
    IF p_key = 'default_branch' THEN
        BEGIN
            PERFORM pggit_v0._check_ref_name(p_value #>> '{}', 'branch');
        EXCEPTION WHEN invalid_parameter_value THEN
            PERFORM pggit_v0._raise('22023', format('setting %L takes a valid branch name: %s', p_key, SQLERRM), NULL);
        END;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.set_setting(p_key text, p_value jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_old jsonb;
BEGIN
    PERFORM pggit_v0._require_role('pggit_admin');
    SELECT value INTO v_old FROM pggit_v0.settings WHERE key = p_key FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM pggit_v0._raise('P0002', format('setting %L does not exist', p_key),
            'SELECT key, value, description FROM pggit_v0.settings lists them');
    END IF;
    PERFORM pggit_v0._check_setting(p_key, p_value, v_old);
    UPDATE pggit_v0.settings SET value = p_value WHERE key = p_key;
    PERFORM pggit_v0._record_activity('setting_changed', NULL, NULL, jsonb_build_object('key', p_key, 'old', v_old, 'new', p_value));
    RETURN v_old;
END
$$;
COMMENT ON FUNCTION pggit_v0.set_setting(text, jsonb) IS 'Changes a setting (pggit_admin only); returns the previous value.';

-- ---------------------------------------------------------------------------
-- Object kinds and paths (DESIGN.md section 2)
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pggit_v0.object_kinds (
    object_type text     PRIMARY KEY,
    directory   text     UNIQUE,
    apply_order smallint NOT NULL
);
COMMENT ON TABLE pggit_v0.object_kinds IS 'The tracked object types, the directory each lives in, and the order in which a tree is applied to an empty database.';
INSERT INTO pggit_v0.object_kinds (object_type, directory, apply_order) VALUES
    ('EXTENSION',         'extensions',          1),
    ('SCHEMA',            NULL,                  0),
    ('TYPE',              'types',               2),
    ('SEQUENCE',          'sequences',           3),
    ('FUNCTION',          'functions',           4),
    ('AGGREGATE',         'aggregates',          5),
    ('PROCEDURE',         'procedures',          6),
    ('TABLE',             'tables',              7),
    ('FOREIGN KEY',       'foreign_keys',        8),
    ('VIEW',              'views',               9),
    ('MATERIALIZED VIEW', 'materialized_views', 10),
    ('INDEX',             'indexes',            11),
    ('TRIGGER',           'triggers',           12),
    ('POLICY',            'policies',           13)
ON CONFLICT (object_type) DO UPDATE SET directory = EXCLUDED.directory, apply_order = EXCLUDED.apply_order;

-- One path component: '%' -> %25, '/' -> %2F, a leading '.' -> %2E.
CREATE OR REPLACE FUNCTION pggit_v0.path_component(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT regexp_replace(replace(replace(p_name, '%', '%25'), '/', '%2F'), '^\.', '%2E')
$$;
COMMENT ON FUNCTION pggit_v0.path_component(text) IS 'Escapes a raw identifier for use as one path component (%, / and a leading dot are percent-encoded).';

CREATE OR REPLACE FUNCTION pggit_v0.path_component_decode(p_component text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT replace(replace(replace(replace(p_component, '%2E', '.'), '%2F', '/'), '%2f', '/'), '%25', '%')
$$;

-- The directory of an object type. A plain CASE so that object_path and path_object stay
-- inlinable (a subquery would cost a function call per row); KindTests checks it against object_kinds.
CREATE OR REPLACE FUNCTION pggit_v0._kind_directory(p_object_type text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_object_type
        WHEN 'TABLE' THEN 'tables' WHEN 'FOREIGN KEY' THEN 'foreign_keys' WHEN 'VIEW' THEN 'views'
        WHEN 'MATERIALIZED VIEW' THEN 'materialized_views' WHEN 'FUNCTION' THEN 'functions'
        WHEN 'PROCEDURE' THEN 'procedures' WHEN 'AGGREGATE' THEN 'aggregates' WHEN 'SEQUENCE' THEN 'sequences'
        WHEN 'INDEX' THEN 'indexes' WHEN 'TRIGGER' THEN 'triggers' WHEN 'TYPE' THEN 'types' WHEN 'POLICY' THEN 'policies'
        WHEN 'EXTENSION' THEN 'extensions'
    END
$$;

CREATE OR REPLACE FUNCTION pggit_v0._directory_kind(p_directory text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_directory
        WHEN 'tables' THEN 'TABLE' WHEN 'foreign_keys' THEN 'FOREIGN KEY' WHEN 'views' THEN 'VIEW'
        WHEN 'materialized_views' THEN 'MATERIALIZED VIEW' WHEN 'functions' THEN 'FUNCTION'
        WHEN 'procedures' THEN 'PROCEDURE' WHEN 'aggregates' THEN 'AGGREGATE' WHEN 'sequences' THEN 'SEQUENCE'
        WHEN 'indexes' THEN 'INDEX' WHEN 'triggers' THEN 'TRIGGER' WHEN 'types' THEN 'TYPE' WHEN 'policies' THEN 'POLICY'
    END
$$;

-- The path of an object: <schema>/<kind>/<name>.sql, <schema>/schema.sql, .database/extensions/<name>.sql
CREATE OR REPLACE FUNCTION pggit_v0.object_path(p_schema text, p_object_type text, p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_object_type
        WHEN 'SCHEMA'    THEN pggit_v0.path_component(p_schema) || '/schema.sql'
        WHEN 'EXTENSION' THEN '.database/extensions/' || pggit_v0.path_component(p_name) || '.sql'
        ELSE pggit_v0.path_component(p_schema) || '/' || pggit_v0._kind_directory(p_object_type)
             || '/' || pggit_v0.path_component(p_name) || '.sql'
    END
$$;
COMMENT ON FUNCTION pggit_v0.object_path(text, text, text) IS 'The tree path of an object (DESIGN.md section 2); NULL for an unknown object type.';

-- Inverse of object_path: NULL columns when the path is not in the layout.
-- (split_part and plain comparisons: one alternation regex per path costs ~100x more.)
-- A table function (zero or one row) rather than OUT parameters: only set-returning SQL functions
-- are inlined into a FROM clause, which saves a function call per path when listing a tree.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc WHERE oid = to_regprocedure('pggit_v0.path_object(text)') AND NOT proretset) THEN
        DROP FUNCTION pggit_v0.path_object(text);
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION pggit_v0.path_object(p_path text)
RETURNS TABLE (schema_name text, object_name text, object_type text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a = '.database' THEN NULL ELSE pggit_v0.path_component_decode(a) END,
           pggit_v0.path_component_decode(CASE WHEN c = '' THEN a ELSE left(c, -4) END),
           t
    FROM (SELECT split_part(p_path, '/', 1) AS a, split_part(p_path, '/', 2) AS b,
                 split_part(p_path, '/', 3) AS c, split_part(p_path, '/', 4) AS d) parts,
         LATERAL (SELECT CASE
             WHEN d <> '' OR a = '' OR (left(a, 1) = '.' AND a <> '.database') THEN NULL
             WHEN c = '' THEN CASE WHEN b = 'schema.sql' AND a <> '.database' THEN 'SCHEMA' END
             WHEN left(c, 1) = '.' OR right(c, 4) <> '.sql' OR length(c) <= 4 THEN NULL
             WHEN a = '.database' THEN CASE WHEN b = 'extensions' THEN 'EXTENSION' END
             ELSE pggit_v0._directory_kind(b)
           END AS t) kind
    WHERE t IS NOT NULL AND (strpos(p_path, '%') = 0 OR p_path !~ '%(?![0-9A-Fa-f]{2})')
$$;
COMMENT ON FUNCTION pggit_v0.path_object(text) IS 'Schema, object name and object type of a tree path; no row when the path is outside the layout.';

-- Paths accepted in trees: exactly the layout above, with valid percent-escapes.
CREATE OR REPLACE FUNCTION pggit_v0._check_path(p_path text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_path IS NULL OR (SELECT p.object_type FROM pggit_v0.path_object(p_path) p) IS NULL
       OR p_path ~ '[\x01-\x1f]' THEN
        PERFORM pggit_v0._raise('22023', format('path %L is outside the pggit_v0 layout', p_path),
            'paths are <schema>/<kind>/<name>.sql with kind one of tables, foreign_keys, views, materialized_views, functions, procedures, aggregates, sequences, indexes, triggers, types, policies; <schema>/schema.sql; or .database/extensions/<name>.sql');
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Who acts and who authors (DESIGN.md section 3)
-- ---------------------------------------------------------------------------
-- The acting identity: pggit.actor when the server set it, else the database user.
CREATE OR REPLACE FUNCTION pggit_v0._actor() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('pggit.actor', true), ''), current_user::text)
$$;

-- 'Name <email>' or a bare name (empty email); NULL or '' means the acting identity.
CREATE OR REPLACE FUNCTION pggit_v0._parse_ident(p_ident text, OUT name text, OUT email text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_ident text := coalesce(nullif(btrim(p_ident), ''), pggit_v0._actor());
    v_match text[];
BEGIN
    IF v_ident ~ '[\n\r\x00]' THEN
        PERFORM pggit_v0._raise('22023', format('author %L contains a line break', v_ident), 'give the author as ''Name <email>'' on one line');
    END IF;
    IF v_ident !~ '[<>]' THEN
        name := btrim(v_ident);
        email := '';
    ELSE
        v_match := regexp_match(v_ident, '^\s*([^<>]*[^<>\s])\s*<([^<>]*)>\s*$');
        IF v_match IS NULL THEN
            PERFORM pggit_v0._raise('22023', format('author %L is not ''Name <email>''', v_ident),
                'names and emails may not contain < or >; a bare name is accepted too');
        END IF;
        name := v_match[1];
        email := btrim(v_match[2]);
    END IF;
    IF name = '' THEN
        PERFORM pggit_v0._raise('22023', format('author %L has an empty name', v_ident), 'give the author as ''Name <email>''');
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0._require_role(p_role text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT pg_has_role(current_user, p_role, 'MEMBER') THEN
        PERFORM pggit_v0._raise('42501', format('role %I is not a member of %I', current_user, p_role),
            format('GRANT %I TO %I', p_role, current_user));
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Operation metrics: one cheap insert per public call
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pggit_v0.operation_metrics (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation   text             NOT NULL,
    started_at  timestamptz      NOT NULL,
    duration_ms double precision NOT NULL,
    actor       text             NOT NULL
);
CREATE INDEX IF NOT EXISTS operation_metrics_operation_started ON pggit_v0.operation_metrics (operation, started_at);
-- Telemetry, not history: unlogged, so a read's metrics row costs no WAL. A crash empties it and
-- standbys do not have it; nothing else depends on it.
DO $$
BEGIN
    IF (SELECT relpersistence FROM pg_class WHERE oid = 'pggit_v0.operation_metrics'::regclass) = 'p' THEN
        ALTER TABLE pggit_v0.operation_metrics SET UNLOGGED;
    END IF;
END
$$;
COMMENT ON TABLE pggit_v0.operation_metrics IS 'Duration of every public pggit_v0 call that completed (rolled-back calls leave no row); pruned after setting metrics_retention_days. Unlogged: emptied by a crash, absent on standbys.';

CREATE OR REPLACE FUNCTION pggit_v0._track(p_operation text, p_started timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_read_only') = 'on' THEN
        RETURN;  -- standbys and read-only transactions still answer, unmeasured
    END IF;
    INSERT INTO pggit_v0.operation_metrics (operation, started_at, duration_ms, actor)
    VALUES (p_operation, p_started, extract(epoch FROM clock_timestamp() - p_started) * 1000, pggit_v0._actor());
    IF random() < 0.001 THEN
        DELETE FROM pggit_v0.operation_metrics
        WHERE started_at < now() - make_interval(days => (pggit_v0._setting('metrics_retention_days'))::text::int);
    END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- Objects (DESIGN.md section 1): git's sha256 object ids over git's exact payloads
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pggit_v0.objects (
    sha  text COLLATE "C" PRIMARY KEY,
    type text    NOT NULL CHECK (type IN ('blob', 'tree', 'commit')),
    size integer NOT NULL CHECK (size >= 0),
    data bytea   -- the payload of blobs and commits; trees are kept in pggit_v0.trees
);
COMMENT ON TABLE pggit_v0.objects IS 'Every git object: sha (git sha256 id), type (blob, tree, commit), size (payload bytes). cat_object() returns the payload.';

-- Trees are stored as a full entry list or as a delta against another tree (bounded chains,
-- as git's packs do), so storage grows with change rather than with history x schema size.
CREATE TABLE IF NOT EXISTS pggit_v0.trees (
    sha      text COLLATE "C" PRIMARY KEY REFERENCES pggit_v0.objects (sha),
    base_sha text COLLATE "C" REFERENCES pggit_v0.trees (sha),
    depth    smallint NOT NULL DEFAULT 0,
    names    text[] COLLATE "C" NOT NULL,
    shas     text[] COLLATE "C" NOT NULL,
    CHECK ((base_sha IS NULL) = (depth = 0)),
    CHECK (cardinality(names) = cardinality(shas))
);
COMMENT ON TABLE pggit_v0.trees IS 'Tree entries: names (a subtree''s name ends in /) and shas; a row with base_sha holds only the entries that differ from that base (NULL sha = removed).';

CREATE TABLE IF NOT EXISTS pggit_v0.commit_graph (
    commit_sha      text COLLATE "C" PRIMARY KEY REFERENCES pggit_v0.objects (sha),
    tree_sha        text COLLATE "C" NOT NULL REFERENCES pggit_v0.trees (sha),
    parent_shas     text[] COLLATE "C" NOT NULL DEFAULT '{}',
    generation      integer NOT NULL,
    fp_depth        integer NOT NULL,               -- first-parent steps to the root commit
    fp_jump         text COLLATE "C" NOT NULL,      -- skew-binary jump pointer along first parents (self for roots)
    fp_merges       integer NOT NULL,               -- merge commits on the first-parent line down to the root
    author          text NOT NULL,
    author_email    text NOT NULL,
    authored_at     timestamptz NOT NULL,
    committer       text NOT NULL,
    committer_email text NOT NULL,
    committed_at    timestamptz NOT NULL,
    message         text NOT NULL
);
CREATE INDEX IF NOT EXISTS commit_graph_committed_at ON pggit_v0.commit_graph (committed_at);
CREATE INDEX IF NOT EXISTS commit_graph_parents ON pggit_v0.commit_graph USING gin (parent_shas);

-- First-parent chains: the commit graph's first-parent links form a tree; it is cut into chains,
-- each a run of commits where every commit is the first parent of the next. A commit continues its
-- first parent's chain when the parent is still that chain's tip, and starts a new chain otherwise
-- (a fork). A commit's first-parent line is then a short list of (chain, highest depth) segments,
-- so "is X on C's first-parent line" for many X at once is one join (pggit_v0._fp_line_segments).
CREATE TABLE IF NOT EXISTS pggit_v0.fp_chains (
    chain_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    base_sha text COLLATE "C",           -- the first parent of the chain's first commit; NULL for a root commit
    tip_sha  text COLLATE "C" NOT NULL   -- the chain's last commit
);
COMMENT ON TABLE pggit_v0.fp_chains IS 'First-parent chains: runs of commits each the first parent of the next; commit_graph.fp_chain names a commit''s chain. A commit extends its first parent''s chain when the parent is the chain''s tip, else starts a new one based on the parent.';
ALTER TABLE pggit_v0.commit_graph ADD COLUMN IF NOT EXISTS fp_chain bigint;

-- The chain a new commit joins: its first parent's chain when the parent is that chain's tip and
-- no other open transaction is extending it (then nobody waits: the commit starts a new chain),
-- else a new chain based on the parent.
CREATE OR REPLACE FUNCTION pggit_v0._join_chain(p_commit text, p_first_parent text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_chain bigint;
BEGIN
    IF p_first_parent IS NOT NULL THEN
        SELECT c.chain_id INTO v_chain FROM pggit_v0.fp_chains c
        WHERE c.chain_id = (SELECT g.fp_chain FROM pggit_v0.commit_graph g WHERE g.commit_sha = p_first_parent)
          AND c.tip_sha = p_first_parent
        FOR UPDATE SKIP LOCKED;
        IF v_chain IS NOT NULL THEN
            UPDATE pggit_v0.fp_chains SET tip_sha = p_commit WHERE chain_id = v_chain;
        END IF;
    END IF;
    IF v_chain IS NULL THEN
        INSERT INTO pggit_v0.fp_chains (base_sha, tip_sha) VALUES (p_first_parent, p_commit) RETURNING chain_id INTO v_chain;
    END IF;
    RETURN v_chain;
END
$$;

-- Commits recorded before chains existed (an upgrade) join chains in generation order.
DO $$
DECLARE
    v_commit record;
BEGIN
    FOR v_commit IN SELECT g.commit_sha, g.parent_shas[1] AS first_parent FROM pggit_v0.commit_graph g
                    WHERE g.fp_chain IS NULL ORDER BY g.generation, g.fp_depth, g.committed_at, g.commit_sha LOOP
        UPDATE pggit_v0.commit_graph SET fp_chain = pggit_v0._join_chain(v_commit.commit_sha, v_commit.first_parent)
        WHERE commit_sha = v_commit.commit_sha;
    END LOOP;
END
$$;
ALTER TABLE pggit_v0.commit_graph ALTER COLUMN fp_chain SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS commit_graph_fp_chain ON pggit_v0.commit_graph (fp_chain, fp_depth);
CREATE INDEX IF NOT EXISTS commit_graph_fp_chain_merges ON pggit_v0.commit_graph (fp_chain, fp_depth) WHERE cardinality(parent_shas) > 1;
COMMENT ON TABLE pggit_v0.commit_graph IS 'One row per commit: tree, parents (first parent first), generation = 1 + max(parents'' generation), first-parent depth and jump pointer (O(log n) first-parent ancestor lookups), author and committer, message.';

CREATE OR REPLACE FUNCTION pggit_v0._hash_object(p_type text, p_payload bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(p_type || ' ' || length(p_payload), 'UTF8') || '\x00'::bytea || p_payload), 'hex')
$$;
COMMENT ON FUNCTION pggit_v0._hash_object(text, bytea) IS 'git''s object id: sha256("<type> <length>\0" || payload).';

CREATE OR REPLACE FUNCTION pggit_v0._check_sha(p_sha text, p_what text DEFAULT 'sha') RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_sha IS NULL OR p_sha !~ '^[0-9a-f]{64}$' THEN
        PERFORM pggit_v0._raise('22023', format('%s %L is not a sha256 object id', p_what, p_sha),
            'object ids are 64 lowercase hex digits');
    END IF;
END
$$;

-- Blob content: UTF-8 DDL ending in exactly one newline.
CREATE OR REPLACE FUNCTION pggit_v0._normalize_ddl(p_ddl text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT rtrim(p_ddl, E'\n') || E'\n'
$$;

-- Writes blobs for a set of contents (set-based); returns their ids in input order (NULL for NULL).
CREATE OR REPLACE FUNCTION pggit_v0._write_blobs(p_contents text[]) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    v_shas text[];
BEGIN
    WITH input AS (
        SELECT ord, convert_to(c, 'UTF8') AS payload
        FROM unnest(p_contents) WITH ORDINALITY AS u(c, ord)
    ), hashed AS (
        SELECT ord, payload, pggit_v0._hash_object('blob', payload) AS sha FROM input
    ), stored AS (
        INSERT INTO pggit_v0.objects (sha, type, size, data)
        SELECT DISTINCT ON (sha) sha, 'blob', length(payload), payload FROM hashed
        WHERE sha IS NOT NULL
        ORDER BY sha
        ON CONFLICT (sha) DO NOTHING
        RETURNING sha
    ), noted AS (
        -- Until a commit names them (pggit_audit.unnamed_blobs, read by orphaned_objects).
        INSERT INTO pggit_audit.unnamed_blobs (sha) SELECT sha FROM stored ON CONFLICT DO NOTHING
    )
    SELECT array_agg(sha ORDER BY ord) INTO v_shas FROM hashed;
    RETURN coalesce(v_shas, '{}');
END
$$;

-- The full entry list of a tree: resolves its delta chain (at most tree_delta_max_depth rows).
CREATE OR REPLACE FUNCTION pggit_v0._tree_entries(p_tree text)
RETURNS TABLE (name text, sha text)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE chain AS (
        SELECT t.base_sha, t.names, t.shas, 0 AS level FROM pggit_v0.trees t WHERE t.sha = p_tree
        UNION ALL
        SELECT t.base_sha, t.names, t.shas, c.level + 1
        FROM chain c JOIN pggit_v0.trees t ON t.sha = c.base_sha
    )
    SELECT e.name, e.sha FROM (
        SELECT DISTINCT ON (e.name COLLATE "C") e.name, e.sha
        FROM (SELECT unnest(c.names) AS name, unnest(c.shas) AS sha, c.level FROM chain c) e   -- streamed, not materialized as FROM unnest() is
        ORDER BY e.name COLLATE "C", e.level
    ) e
    WHERE e.sha IS NOT NULL
    ORDER BY e.name COLLATE "C"
$$;

-- One entry of a tree without expanding it: walks the delta chain only until the name appears.
-- Each row's names are searched once (a full row's arrays are large) and only the shas of the
-- row that has the name are read. PL/pgSQL rather than SQL: its plan is kept across calls.
CREATE OR REPLACE FUNCTION pggit_v0._tree_entry(p_tree text, p_name text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
        WITH RECURSIVE chain AS (
            SELECT t.base_sha, t.shas, array_position(t.names, p_name) AS pos, 0 AS level FROM pggit_v0.trees t WHERE t.sha = p_tree
            UNION ALL
            SELECT t.base_sha, t.shas, array_position(t.names, p_name), c.level + 1
            FROM chain c JOIN pggit_v0.trees t ON t.sha = c.base_sha
            WHERE c.pos IS NULL
        )
        SELECT c.shas[c.pos] FROM chain c
        WHERE c.pos IS NOT NULL
        ORDER BY c.level LIMIT 1);
END
$$;

DROP FUNCTION IF EXISTS pggit_v0._tree_payload(text[], text[]);   -- payloads are built from _tree_entry_bytes

-- One entry of git's tree payload, "<mode> <name>\0<raw sha>"; a payload is its entries in
-- bytewise name order, subtrees comparing as "name/" (which is how their names are stored).
-- Neither STRICT nor IMMUTABLE (convert_to is STABLE) so that it is inlined into the queries that
-- build payloads, not called once per entry; a NULL sha gives NULL all the same.
CREATE OR REPLACE FUNCTION pggit_v0._tree_entry_bytes(p_name text, p_sha text) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT convert_to(CASE WHEN right(p_name, 1) = '/' THEN '40000 ' || left(p_name, -1) ELSE '100644 ' || p_name END, 'UTF8')
           || '\x00'::bytea || decode(p_sha, 'hex')
$$;

-- One tree level with changes applied (p_names: entry names, subtrees ending in '/'; p_shas: the
-- new ids, NULL removes; the last change of a name wins), in git order: every name of the base or
-- the changes with its new id (NULL = removed) and whether that differs from the base. One sort
-- does it (a level can hold thousands of entries): every version of every name, from the changes
-- (level -1) down the base's delta chain, ordered by name and level; a name's first row is its new
-- entry and the next row, when of the same name, its entry in the base.
CREATE OR REPLACE FUNCTION pggit_v0._tree_level_entries(p_base text, p_names text[], p_shas text[])
RETURNS TABLE (name text, sha text, changed boolean)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE chain AS (
        SELECT t.base_sha, t.names, t.shas, 0 AS level FROM pggit_v0.trees t WHERE t.sha = p_base
        UNION ALL
        SELECT t.base_sha, t.names, t.shas, c.level + 1
        FROM chain c JOIN pggit_v0.trees t ON t.sha = c.base_sha
    ), changes AS (
        SELECT DISTINCT ON (c.name COLLATE "C") c.name COLLATE "C" AS name, c.sha
        FROM unnest(p_names, p_shas) WITH ORDINALITY AS c(name, sha, ord)
        ORDER BY c.name COLLATE "C", c.ord DESC
    ), versions AS (
        SELECT c.name, c.sha, -1 AS level FROM changes c
        UNION ALL
        SELECT unnest(c.names), unnest(c.shas), c.level FROM chain c   -- streamed, not materialized as FROM unnest() is
    )
    SELECT DISTINCT ON (v.name) v.name, v.sha,
           v.level = -1 AND v.sha IS DISTINCT FROM (CASE WHEN lead(v.name) OVER w = v.name THEN lead(v.sha) OVER w END)
    FROM versions v
    WINDOW w AS (ORDER BY v.name, v.level)
    ORDER BY v.name, v.level
$$;

-- Applies changes to one tree level (as _tree_level_entries takes them). Returns the new tree's
-- id, or NULL when the tree would be empty (no empty trees are ever written). New trees are
-- stored as deltas against p_base while the chain is short and the delta small.
CREATE OR REPLACE FUNCTION pggit_v0._write_tree_level(p_base text, p_names text[], p_shas text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_base_depth int;
    v_max_depth int := (pggit_v0._setting('tree_delta_max_depth'))::text::int;
    v_full_likely boolean;
    v_count int;
    v_names text[];
    v_shas text[];
    v_payload bytea;
    v_sha text;
    v_delta_names text[];
    v_delta_shas text[];
BEGIN
    SELECT depth INTO v_base_depth FROM pggit_v0.trees WHERE sha = p_base;
    -- The full entry list is collected only when the tree will likely be stored in full: a base
    -- stored as a delta (a large level) usually gets a delta successor.
    v_full_likely := v_base_depth IS NULL OR v_base_depth = 0 OR v_base_depth >= v_max_depth;
    SELECT count(e.sha), string_agg(pggit_v0._tree_entry_bytes(e.name, e.sha), ''::bytea),
           array_agg(e.name) FILTER (WHERE e.sha IS NOT NULL AND v_full_likely),
           array_agg(e.sha) FILTER (WHERE e.sha IS NOT NULL AND v_full_likely),
           coalesce(array_agg(e.name) FILTER (WHERE e.changed), '{}'), coalesce(array_agg(e.sha) FILTER (WHERE e.changed), '{}')
    INTO v_count, v_payload, v_names, v_shas, v_delta_names, v_delta_shas
    FROM pggit_v0._tree_level_entries(p_base, p_names, p_shas) e;

    IF v_count = 0 THEN
        RETURN NULL;
    END IF;
    IF cardinality(v_delta_names) = 0 AND p_base IS NOT NULL THEN
        RETURN p_base;
    END IF;

    v_sha := pggit_v0._hash_object('tree', v_payload);
    IF EXISTS (SELECT 1 FROM pggit_v0.trees WHERE sha = v_sha) THEN
        RETURN v_sha;
    END IF;

    INSERT INTO pggit_v0.objects (sha, type, size) VALUES (v_sha, 'tree', length(v_payload))
    ON CONFLICT (sha) DO NOTHING;
    IF v_base_depth IS NOT NULL AND v_base_depth < v_max_depth AND cardinality(v_delta_names) * 2 < v_count THEN
        INSERT INTO pggit_v0.trees (sha, base_sha, depth, names, shas)
        VALUES (v_sha, p_base, v_base_depth + 1, v_delta_names, v_delta_shas)
        ON CONFLICT (sha) DO NOTHING;
    ELSE
        IF NOT v_full_likely THEN
            SELECT array_agg(e.name), array_agg(e.sha) INTO v_names, v_shas
            FROM pggit_v0._tree_level_entries(p_base, p_names, p_shas) e WHERE e.sha IS NOT NULL;
        END IF;
        INSERT INTO pggit_v0.trees (sha, names, shas) VALUES (v_sha, v_names, v_shas)
        ON CONFLICT (sha) DO NOTHING;
    END IF;
    RETURN v_sha;
END
$$;

-- Applies path changes (paths relative to this tree; NULL sha deletes) to p_base, recursively;
-- only the directories that change are rewritten. Returns the new tree id (NULL = empty).
CREATE OR REPLACE FUNCTION pggit_v0._write_tree(p_base text, p_paths text[], p_shas text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_names text[];
    v_shas text[];
    v_dir record;
BEGIN
    SELECT coalesce(array_agg(p), '{}'), coalesce(array_agg(s), '{}') INTO v_names, v_shas
    FROM unnest(p_paths, p_shas) AS u(p, s) WHERE strpos(p, '/') = 0;

    FOR v_dir IN
        WITH grouped AS (
            SELECT split_part(p, '/', 1) AS dir,
                   array_agg(substr(p, strpos(p, '/') + 1)) AS rests,
                   array_agg(s) AS shas
            FROM unnest(p_paths, p_shas) AS u(p, s)
            WHERE strpos(p, '/') > 0
            GROUP BY 1
        )
        SELECT g.dir, g.rests, g.shas, pggit_v0._tree_entry(p_base, g.dir || '/') AS base_sha   -- a point lookup: the level is not expanded
        FROM grouped g
    LOOP
        v_names := v_names || (v_dir.dir || '/');
        v_shas := v_shas || pggit_v0._write_tree(v_dir.base_sha, v_dir.rests, v_dir.shas);
    END LOOP;

    RETURN pggit_v0._write_tree_level(p_base, v_names, v_shas);
END
$$;

-- Every blob of a tree, recursively: (path, sha), in git order.
CREATE OR REPLACE FUNCTION pggit_v0._tree_blobs(p_tree text)
RETURNS TABLE (path text, sha text)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE walk AS (
        SELECT e.name AS path, e.sha FROM pggit_v0._tree_entries(p_tree) e
        UNION ALL
        SELECT w.path || e.name, e.sha
        FROM walk w CROSS JOIN LATERAL pggit_v0._tree_entries(w.sha) e
        WHERE right(w.path, 1) = '/'
    )
    SELECT w.path, w.sha FROM walk w WHERE right(w.path, 1) <> '/' ORDER BY w.path COLLATE "C"
$$;

-- ---------------------------------------------------------------------------
-- Refs, head, ref_log (DESIGN.md section 3)
-- ---------------------------------------------------------------------------
-- Branches and tags share one namespace, so a name never means two things.
CREATE TABLE IF NOT EXISTS pggit_v0.refs (
    name        text COLLATE "C" PRIMARY KEY,
    type        text NOT NULL CHECK (type IN ('branch', 'tag')),
    target_sha  text COLLATE "C" NOT NULL REFERENCES pggit_v0.objects (sha),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    description text
);
COMMENT ON TABLE pggit_v0.refs IS 'Branches and tags: name, type (branch | tag), target_sha. Move them with update_ref() or the porcelain.';

-- The checked-out branch: the live database is its working tree.
CREATE TABLE IF NOT EXISTS pggit_v0.head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    branch    text COLLATE "C" NOT NULL
);
INSERT INTO pggit_v0.head (branch)
SELECT (pggit_v0._setting('default_branch')) #>> '{}'
ON CONFLICT (singleton) DO NOTHING;
COMMENT ON TABLE pggit_v0.head IS 'The checked-out branch, whose tree the live database is meant to match. Before the first commit it names the unborn default branch.';

CREATE TABLE IF NOT EXISTS pggit_v0.ref_log (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref_name text COLLATE "C" NOT NULL,
    old_sha  text COLLATE "C",
    new_sha  text COLLATE "C",
    actor    text NOT NULL,
    reason   text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ref_log_ref_name_id ON pggit_v0.ref_log (ref_name, id);
COMMENT ON TABLE pggit_v0.ref_log IS 'Every ref move: old and new sha (NULL = did not exist / deleted), who, why, when.';

-- ---------------------------------------------------------------------------
-- Activity: an event per write, ids assigned in commit order
-- ---------------------------------------------------------------------------
-- A row is inserted with a provisional negative id; a deferred trigger gives it its real id
-- at commit time under a transaction-scoped lock, so ids become visible in increasing order
-- and a reader that remembers the last id it saw never skips an event.
CREATE SEQUENCE IF NOT EXISTS pggit_v0.activity_id_seq;
CREATE SEQUENCE IF NOT EXISTS pggit_v0.activity_provisional_seq;
CREATE TABLE IF NOT EXISTS pggit_v0.activity (
    id       bigint PRIMARY KEY DEFAULT -nextval('pggit_v0.activity_provisional_seq'),
    kind     text NOT NULL,
    ref_name text COLLATE "C",
    sha      text COLLATE "C",
    actor    text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    details  jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE pggit_v0.activity IS 'Every write, in commit order: read rows with id > the last id seen (committed rows have positive ids). A NOTIFY on channel pggit_v0_activity follows each row.';

CREATE OR REPLACE FUNCTION pggit_v0._activity_assign_id() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('pggit_v0 activity order', 0));
    UPDATE pggit_v0.activity SET id = nextval('pggit_v0.activity_id_seq')
    WHERE id = NEW.id
    RETURNING id INTO v_id;
    PERFORM pg_notify('pggit_v0_activity', json_build_object(
        'id', v_id, 'kind', NEW.kind, 'ref_name', NEW.ref_name, 'sha', NEW.sha)::text);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS activity_commit_order ON pggit_v0.activity;
CREATE CONSTRAINT TRIGGER activity_commit_order
    AFTER INSERT ON pggit_v0.activity
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.id < 0)
    EXECUTE FUNCTION pggit_v0._activity_assign_id();

CREATE OR REPLACE FUNCTION pggit_v0._record_activity(p_kind text, p_ref_name text, p_sha text, p_details jsonb DEFAULT '{}')
RETURNS void LANGUAGE sql AS $$
    INSERT INTO pggit_v0.activity (kind, ref_name, sha, actor, details)
    VALUES (p_kind, p_ref_name, p_sha, pggit_v0._actor(), coalesce(p_details, '{}'))
$$;

-- git check-ref-format's rules, plus: not HEAD, not a 4-64 digit hex string (it would read as a sha).
CREATE OR REPLACE FUNCTION pggit_v0._check_ref_name(p_name text, p_what text DEFAULT 'branch') RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_name IS NULL OR p_name = '' OR p_name = 'HEAD' OR p_name = '@'
       OR p_name ~ '[\x00-\x20\x7f~^:?*\[\\]'
       OR p_name ~ '(^|/)\.' OR p_name ~ '\.\.' OR p_name ~ '//' OR p_name ~ '(^/|/$|\.$)'
       OR p_name ~ '\.lock(/|$)' OR p_name ~ '@\{'
       OR p_name ~ '^[0-9a-f]{4,64}$' THEN
        PERFORM pggit_v0._raise('22023', format('%s name %L is not a valid ref name', p_what, p_name),
            'use letters, digits, - _ . and / (no spaces, no .., no ~^:?*[\, no leading dot or trailing /)');
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0._head_branch() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT branch FROM pggit_v0.head
$$;

-- The commit a branch points at; a clear error when it does not exist.
CREATE OR REPLACE FUNCTION pggit_v0._branch_tip(p_branch text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_sha text;
BEGIN
    SELECT target_sha INTO v_sha FROM pggit_v0.refs WHERE name = p_branch AND type = 'branch';
    IF v_sha IS NULL THEN
        PERFORM pggit_v0._raise('P0002', format('branch %L not found', p_branch), 'list branches with pggit_v0.list_branches()');
    END IF;
    RETURN v_sha;
END
$$;

-- Resolves what a user names a commit by: HEAD, a branch, a tag, a full or unique-prefix sha
-- (4+ hex digits), each optionally followed by ~n or ^ (first parents). NULL means HEAD.
CREATE OR REPLACE FUNCTION pggit_v0.resolve_ref(p_ref text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_ref text := coalesce(btrim(p_ref), 'HEAD');
    v_base text;
    v_steps int := 0;
    v_suffix text;
    v_sha text;
    v_candidates text[];
BEGIN
    -- A full sha (what clients mostly pass): one lookup each, a ref of that name still first.
    IF v_ref ~ '^[0-9a-f]{64}$' THEN
        v_sha := coalesce((SELECT r.target_sha FROM pggit_v0.refs r WHERE r.name = v_ref),
                          (SELECT g.commit_sha FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_ref));
        IF v_sha IS NOT NULL THEN
            RETURN v_sha;
        END IF;
    END IF;
    v_base := substring(v_ref FROM '^([^~^]*)');
    v_suffix := substr(v_ref, length(v_base) + 1);
    IF v_suffix <> '' THEN
        IF v_suffix !~ '^(~[0-9]*|\^)+$' THEN
            PERFORM pggit_v0._raise('22023', format('revision %L is malformed', p_ref), 'use <name>, <name>~<n> or <name>^');
        END IF;
        SELECT coalesce(sum(CASE WHEN m[1] IN ('^', '~') THEN 1 ELSE substr(m[1], 2)::int END), 0) INTO v_steps
        FROM regexp_matches(v_suffix, '(~[0-9]*|\^)', 'g') AS m;
    END IF;
    IF v_base = '' THEN
        PERFORM pggit_v0._raise('22023', format('revision %L is malformed', p_ref), 'name a branch, tag, commit sha or HEAD');
    END IF;

    IF v_base IN ('HEAD', '@') THEN
        SELECT r.target_sha INTO v_sha FROM pggit_v0.refs r WHERE r.name = pggit_v0._head_branch() AND r.type = 'branch';
        IF v_sha IS NULL THEN
            PERFORM pggit_v0._raise('P0002', format('HEAD (branch %L) has no commits yet', pggit_v0._head_branch()),
                'make the first commit with pggit_v0.commit(''message'')');
        END IF;
    ELSE
        SELECT r.target_sha INTO v_sha FROM pggit_v0.refs r WHERE r.name = v_base;
        IF v_sha IS NULL AND v_base ~ '^[0-9a-f]{4,64}$' THEN
            IF length(v_base) = 64 THEN
                SELECT o.sha INTO v_sha FROM pggit_v0.objects o WHERE o.sha = v_base AND o.type = 'commit';
            ELSE
                SELECT array_agg(c.commit_sha ORDER BY c.commit_sha) INTO v_candidates
                FROM (SELECT g.commit_sha FROM pggit_v0.commit_graph g
                      WHERE g.commit_sha >= v_base AND g.commit_sha < v_base || 'g'
                      ORDER BY g.commit_sha LIMIT 5) c;
                IF cardinality(v_candidates) > 1 THEN
                    PERFORM pggit_v0._raise('22023', format('short sha %L is ambiguous: it matches %s', v_base, array_to_string(v_candidates, ', ')),
                        'give more hex digits');
                END IF;
                v_sha := v_candidates[1];
            END IF;
        ELSIF v_sha IS NULL AND v_base ~ '^[0-9a-fA-F]{1,64}$' AND v_base !~ '^[0-9a-f]{4,64}$' AND length(v_base) >= 40 THEN
            PERFORM pggit_v0._raise('22023', format('sha %L is malformed', v_base), 'object ids are lowercase hex, 4 to 64 digits');
        END IF;
        IF v_sha IS NULL THEN
            IF v_base ~ '^[0-9a-f]{4,64}$' THEN
                PERFORM pggit_v0._raise('P0002', format('commit %L not found', v_base), 'list commits with pggit_v0.get_commit_history()');
            END IF;
            PERFORM pggit_v0._raise('P0002', format('%L is not a branch, tag or commit', v_base),
                'list branches with pggit_v0.list_branches()');
        END IF;
    END IF;

    FOR i IN 1..v_steps LOOP
        SELECT g.parent_shas[1] INTO v_sha FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_sha;
        IF v_sha IS NULL THEN
            PERFORM pggit_v0._raise('P0002', format('revision %L goes past the first commit', p_ref), NULL);
        END IF;
    END LOOP;
    RETURN v_sha;
END
$$;
COMMENT ON FUNCTION pggit_v0.resolve_ref(text) IS 'The commit sha a revision names: HEAD, branch, tag, full or unique-prefix sha, with optional ~n / ^ suffixes. NULL = HEAD.';

-- Compare-and-swap a ref. p_expected_old_sha NULL means the ref must not exist yet (create);
-- p_new_sha NULL deletes. A concurrent move makes it fail with 40001 and nothing is lost.
CREATE OR REPLACE FUNCTION pggit_v0.update_ref(p_name text, p_new_sha text, p_expected_old_sha text,
    p_reason text DEFAULT 'update_ref', p_ref_type text DEFAULT 'branch', p_details jsonb DEFAULT '{}')
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_count int;
    v_current text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    PERFORM pggit_v0._check_ref_name(p_name, p_ref_type);
    IF p_ref_type NOT IN ('branch', 'tag') THEN
        PERFORM pggit_v0._raise('22023', format('ref type %L is unknown', p_ref_type), 'use branch or tag');
    END IF;
    IF p_new_sha IS NOT NULL THEN
        PERFORM pggit_v0._check_sha(p_new_sha, 'new sha');
        IF NOT EXISTS (SELECT 1 FROM pggit_v0.objects WHERE sha = p_new_sha AND type = 'commit') THEN
            PERFORM pggit_v0._raise('P0002', format('commit %L not found', p_new_sha), 'write it with pggit_v0.commit_tree()');
        END IF;
    END IF;
    IF p_expected_old_sha IS NOT NULL THEN
        PERFORM pggit_v0._check_sha(p_expected_old_sha, 'expected old sha');
    END IF;

    IF p_expected_old_sha IS NULL THEN
        IF p_new_sha IS NULL THEN
            PERFORM pggit_v0._raise('22023', 'update_ref needs a new sha, an expected old sha, or both', NULL);
        END IF;
        INSERT INTO pggit_v0.refs (name, type, target_sha, created_by)
        VALUES (p_name, p_ref_type, p_new_sha, pggit_v0._actor())
        ON CONFLICT (name) DO NOTHING;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count = 0 THEN
            SELECT target_sha INTO v_current FROM pggit_v0.refs WHERE name = p_name;
            PERFORM pggit_v0._raise('40001', format('ref %L already exists at %s; expected it not to exist', p_name, v_current),
                'read the ref again and retry with its current sha as the expected old sha');
        END IF;
    ELSIF p_new_sha IS NULL THEN
        DELETE FROM pggit_v0.refs WHERE name = p_name AND target_sha = p_expected_old_sha;
        GET DIAGNOSTICS v_count = ROW_COUNT;
    ELSE
        UPDATE pggit_v0.refs SET target_sha = p_new_sha, updated_at = now()
        WHERE name = p_name AND target_sha = p_expected_old_sha;
        GET DIAGNOSTICS v_count = ROW_COUNT;
    END IF;

    IF v_count = 0 THEN
        SELECT target_sha INTO v_current FROM pggit_v0.refs WHERE name = p_name;
        IF v_current IS NULL THEN
            PERFORM pggit_v0._raise('P0002', format('ref %L not found', p_name), 'create it with p_expected_old_sha => NULL');
        END IF;
        PERFORM pggit_v0._raise('40001', format('ref %L moved to %s; expected %s', p_name, v_current, p_expected_old_sha),
            'read the ref again and retry');
    END IF;

    INSERT INTO pggit_v0.ref_log (ref_name, old_sha, new_sha, actor, reason)
    VALUES (p_name, p_expected_old_sha, p_new_sha, pggit_v0._actor(), coalesce(p_reason, 'update_ref'));
    PERFORM pggit_v0._record_activity(coalesce(p_reason, 'update_ref'), p_name, p_new_sha,
        jsonb_build_object('old_sha', p_expected_old_sha, 'ref_type', p_ref_type) || coalesce(p_details, '{}'));
    PERFORM pggit_v0._track('update_ref', v_started);
    RETURN true;
END
$$;
COMMENT ON FUNCTION pggit_v0.update_ref(text, text, text, text, text, jsonb) IS 'Compare-and-swap a ref (NULL expected = create, NULL new = delete); 40001 when it moved concurrently. Writes ref_log and activity.';

-- ---------------------------------------------------------------------------
-- Plumbing: write_tree, commit_tree, cat_object, ls_tree
-- ---------------------------------------------------------------------------
-- Applies p_changes to p_base_tree (NULL = empty) and returns the new root tree id.
-- p_changes maps a path to its DDL (a string), to an existing blob ({"sha": "..."}), or to null (delete).
CREATE OR REPLACE FUNCTION pggit_v0.write_tree(p_base_tree text, p_changes jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_paths text[];
    v_values jsonb[];
    v_contents text[];
    v_blob_shas text[];
    v_shas text[];
    v_tree text;
    v_bad text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    IF p_base_tree IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pggit_v0.trees WHERE sha = p_base_tree) THEN
        PERFORM pggit_v0._check_sha(p_base_tree, 'base tree');
        PERFORM pggit_v0._raise('P0002', format('tree %L not found', p_base_tree), NULL);
    END IF;
    IF p_changes IS NULL OR jsonb_typeof(p_changes) <> 'object' THEN
        PERFORM pggit_v0._raise('22023', format('changes %s are not a JSON object mapping paths to DDL or null', coalesce(left(p_changes::text, 200), 'NULL')),
            'example: {"public/views/v.sql": "CREATE VIEW ...;", "public/tables/old.sql": null}');
    END IF;

    SELECT coalesce(array_agg(key ORDER BY key COLLATE "C"), '{}'), coalesce(array_agg(value ORDER BY key COLLATE "C"), '{}')
    INTO v_paths, v_values FROM jsonb_each(p_changes);
    PERFORM pggit_v0._check_path(p) FROM unnest(v_paths) AS p;

    SELECT min(p) INTO v_bad FROM unnest(v_paths, v_values) AS u(p, v)
    WHERE jsonb_typeof(v) NOT IN ('string', 'null')
      AND NOT (jsonb_typeof(v) = 'object' AND v ? 'sha' AND EXISTS (SELECT 1 FROM pggit_v0.objects o WHERE o.sha = v ->> 'sha' AND o.type = 'blob'));
    IF v_bad IS NOT NULL THEN
        PERFORM pggit_v0._raise('22023', format('change for path %L is neither DDL text, null, nor {"sha": <existing blob>}', v_bad), NULL);
    END IF;

    SELECT array_agg(CASE WHEN jsonb_typeof(v) = 'string' THEN pggit_v0._normalize_ddl(v #>> '{}') END ORDER BY ord)
    INTO v_contents FROM unnest(v_values) WITH ORDINALITY AS u(v, ord);
    v_blob_shas := pggit_v0._write_blobs(v_contents);
    SELECT array_agg(CASE jsonb_typeof(v) WHEN 'string' THEN v_blob_shas[ord] WHEN 'object' THEN v ->> 'sha' END ORDER BY ord)
    INTO v_shas FROM unnest(v_values) WITH ORDINALITY AS u(v, ord);

    v_tree := pggit_v0._write_tree(p_base_tree, v_paths, coalesce(v_shas, '{}'));
    PERFORM pggit_v0._track('write_tree', v_started);
    RETURN v_tree;
END
$$;
COMMENT ON FUNCTION pggit_v0.write_tree(text, jsonb) IS 'Writes the tree that results from applying {path: DDL | {"sha": blob} | null} to a base tree; returns its id (NULL when empty: empty trees are never written).';

-- Writes a commit object. Parents first-parent first; author 'Name <email>' (default: the actor).
-- Generic plans: with the parent array as a parameter the plan cache otherwise keeps planning
-- every statement that reads it (the commit_graph insert is a four-way join) for every commit,
-- which is a good part of the cost of a rebase or a merge.
CREATE OR REPLACE FUNCTION pggit_v0.commit_tree(p_tree text, p_parents text[], p_message text, p_author text DEFAULT NULL,
    p_committer text DEFAULT NULL, p_authored_at timestamptz DEFAULT NULL, p_committed_at timestamptz DEFAULT NULL)
RETURNS text LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_author record;
    v_committer record;
    v_authored_at timestamptz := date_trunc('second', coalesce(p_authored_at, p_committed_at, now()));
    v_committed_at timestamptz := date_trunc('second', coalesce(p_committed_at, now()));
    v_parents text[] := coalesce(p_parents, '{}');
    v_message text := rtrim(coalesce(p_message, ''), E'\n');
    v_missing text;
    v_payload text;
    v_bytes bytea;
    v_sha text;
BEGIN
    PERFORM pggit_v0._require_role('pggit_writer');
    PERFORM pggit_v0._check_sha(p_tree, 'tree');
    IF NOT EXISTS (SELECT 1 FROM pggit_v0.trees WHERE sha = p_tree) THEN
        PERFORM pggit_v0._raise('P0002', format('tree %L not found', p_tree), 'write it with pggit_v0.write_tree()');
    END IF;
    PERFORM pggit_v0._check_sha(p, 'parent') FROM unnest(v_parents) AS p;
    SELECT min(p) INTO v_missing FROM unnest(v_parents) AS p
    WHERE NOT EXISTS (SELECT 1 FROM pggit_v0.commit_graph g WHERE g.commit_sha = p);
    IF v_missing IS NOT NULL THEN
        PERFORM pggit_v0._raise('P0002', format('parent commit %L not found', v_missing), NULL);
    END IF;
    IF (SELECT count(DISTINCT p) FROM unnest(v_parents) p) <> cardinality(v_parents) THEN
        PERFORM pggit_v0._raise('22023', format('parents %s name the same commit twice', array_to_string(v_parents, ', ')), NULL);
    END IF;
    IF v_message ~ '\x00' THEN
        PERFORM pggit_v0._raise('22023', 'commit message contains a NUL character', NULL);
    END IF;
    v_author := pggit_v0._parse_ident(p_author);
    v_committer := pggit_v0._parse_ident(coalesce(p_committer, p_author));

    v_payload := 'tree ' || p_tree || E'\n'
        || coalesce((SELECT string_agg('parent ' || p || E'\n', '' ORDER BY ord) FROM unnest(v_parents) WITH ORDINALITY AS u(p, ord)), '')
        || format(E'author %s <%s> %s +0000\n', v_author.name, v_author.email, extract(epoch FROM v_authored_at)::bigint)
        || format(E'committer %s <%s> %s +0000\n', v_committer.name, v_committer.email, extract(epoch FROM v_committed_at)::bigint)
        || E'\n'
        || CASE WHEN v_message = '' THEN '' ELSE v_message || E'\n' END;
    v_bytes := convert_to(v_payload, 'UTF8');
    v_sha := pggit_v0._hash_object('commit', v_bytes);

    INSERT INTO pggit_v0.objects (sha, type, size, data) VALUES (v_sha, 'commit', length(v_bytes), v_bytes)
    ON CONFLICT (sha) DO NOTHING;
    IF EXISTS (SELECT 1 FROM pggit_v0.commit_graph g WHERE g.commit_sha = v_sha) THEN
        PERFORM pggit_v0._track('commit_tree', v_started);
        RETURN v_sha;
    END IF;
    -- Skew-binary jump pointers (Myers): the first parent's jump is followed again when its two
    -- previous hops were equally long, which keeps every first-parent ancestor O(log n) hops away.
    INSERT INTO pggit_v0.commit_graph (commit_sha, tree_sha, parent_shas, generation, fp_depth, fp_jump, fp_merges, fp_chain,
                                       author, author_email, authored_at, committer, committer_email, committed_at, message)
    SELECT v_sha, p_tree, v_parents,
           1 + coalesce((SELECT max(g.generation) FROM pggit_v0.commit_graph g WHERE g.commit_sha = ANY (v_parents)), 0),
           coalesce(p.fp_depth + 1, 0),
           CASE WHEN p.commit_sha IS NULL THEN v_sha
                WHEN p.fp_depth - j.fp_depth = j.fp_depth - jj.fp_depth AND p.fp_depth > j.fp_depth THEN jj.commit_sha
                ELSE p.commit_sha END,
           coalesce(p.fp_merges, 0) + CASE WHEN cardinality(v_parents) > 1 THEN 1 ELSE 0 END,
           pggit_v0._join_chain(v_sha, v_parents[1]),
           v_author.name, v_author.email, v_authored_at, v_committer.name, v_committer.email, v_committed_at, v_message
    FROM (SELECT 1) one
    LEFT JOIN pggit_v0.commit_graph p ON p.commit_sha = v_parents[1]
    LEFT JOIN pggit_v0.commit_graph j ON j.commit_sha = p.fp_jump
    LEFT JOIN pggit_v0.commit_graph jj ON jj.commit_sha = j.fp_jump
    ON CONFLICT (commit_sha) DO NOTHING;
    IF FOUND THEN
        PERFORM pggit_v0._index_commit(v_sha);
    END IF;
    PERFORM pggit_v0._track('commit_tree', v_started);
    RETURN v_sha;
END
$$;
COMMENT ON FUNCTION pggit_v0.commit_tree(text, text[], text, text, text, timestamptz, timestamptz) IS 'Writes a commit object for a tree and parents (git''s exact payload) and returns its sha; moves no ref.';

-- git's exact payload of an object.
CREATE OR REPLACE FUNCTION pggit_v0.cat_object(p_sha text) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_object record;
    v_payload bytea;
BEGIN
    PERFORM pggit_v0._check_sha(p_sha);
    SELECT o.type, o.data INTO v_object FROM pggit_v0.objects o WHERE o.sha = p_sha;
    IF NOT FOUND THEN
        PERFORM pggit_v0._raise('P0002', format('object %L not found', p_sha), NULL);
    END IF;
    IF v_object.type = 'tree' THEN
        SELECT coalesce(string_agg(pggit_v0._tree_entry_bytes(e.name, e.sha), ''::bytea ORDER BY e.name COLLATE "C"), ''::bytea) INTO v_payload
        FROM pggit_v0._tree_entries(p_sha) e;
    ELSE
        v_payload := v_object.data;
    END IF;
    PERFORM pggit_v0._track('cat_object', v_started);
    RETURN v_payload;
END
$$;
COMMENT ON FUNCTION pggit_v0.cat_object(text) IS 'git''s exact payload of an object (blob, tree or commit), so `git hash-object -t <type> --literally` reproduces its id.';

-- The tree a revision or tree id names.
CREATE OR REPLACE FUNCTION pggit_v0._resolve_tree(p_ref text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_tree text;
BEGIN
    IF p_ref ~ '^[0-9a-f]{64}$' THEN
        SELECT t.sha INTO v_tree FROM pggit_v0.trees t WHERE t.sha = p_ref;
        IF v_tree IS NOT NULL THEN
            RETURN v_tree;
        END IF;
    END IF;
    SELECT g.tree_sha INTO v_tree FROM pggit_v0.commit_graph g WHERE g.commit_sha = pggit_v0.resolve_ref(p_ref);
    RETURN v_tree;
END
$$;

CREATE OR REPLACE FUNCTION pggit_v0.ls_tree(p_ref text)
RETURNS TABLE (path text, mode text, object_sha text, object_type text, size bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_started timestamptz := clock_timestamp();
    v_tree text := pggit_v0._resolve_tree(p_ref);
BEGIN
    RETURN QUERY
        SELECT b.path, '100644'::text, b.sha, 'blob'::text, o.size::bigint
        FROM pggit_v0._tree_blobs(v_tree) b
        JOIN pggit_v0.objects o ON o.sha = b.sha
        ORDER BY b.path COLLATE "C";
    PERFORM pggit_v0._track('ls_tree', v_started);
END
$$;
COMMENT ON FUNCTION pggit_v0.ls_tree(text) IS 'Every blob of a commit''s or tree''s tree, recursively, in git order (like git ls-tree -r). Accepts anything resolve_ref() does, or a tree id.';
