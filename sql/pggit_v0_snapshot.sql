-- pggit_v0 snapshot: the live database's user schemas as one canonical DDL file per object
-- (DESIGN.md section 2). The layout of every file is documented in docs/ddl-layout.md; a change
-- to the bytes produced here is a layout change and needs a versioned migration.
-- Applied by install.sql after pggit_v0_core.sql; every statement is idempotent.

-- ---------------------------------------------------------------------------
-- Catalog lock
-- ---------------------------------------------------------------------------
-- pg_get_*def() read the system caches, which follow the latest committed catalog state, while
-- the catalog queries read the statement's MVCC snapshot. A DDL transaction committing between
-- the two would give a mix of two states or "cache lookup failed" / "could not open relation".
-- DDL transactions hold the DDL gate in shared mode from their first DDL statement until they
-- end (event trigger pggit_v0_ddl_gate, see pggit_v0_porcelain.sql). Taking it exclusively waits
-- for every DDL transaction in flight to end and makes new DDL wait at its start until this
-- transaction ends, so the catalogs cannot change during the snapshot (no mix of two states, no
-- "cache lookup failed"), and no DDL is ever stopped halfway holding catalog locks we need.
-- Locking system catalogs instead is not enough: DDL releases its catalog locks statement by
-- statement, and can deadlock with a reader that holds them.
CREATE OR REPLACE FUNCTION pggit_v0._lock_catalogs() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('pggit_v0 ddl gate', 0))
$$;
COMMENT ON FUNCTION pggit_v0._lock_catalogs() IS 'Takes the DDL gate exclusively until the transaction ends: DDL in flight has ended and new DDL waits, so the catalogs hold still for snapshot_schema().';

-- ---------------------------------------------------------------------------
-- Small text helpers (plain expressions, so the planner inlines them)
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pggit_v0._comment_ddl(p_target text, p_comment text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'COMMENT ON ' || p_target || ' IS ' || pg_catalog.quote_literal(p_comment) || ';'
$$;
COMMENT ON FUNCTION pggit_v0._comment_ddl(text, text) IS 'The COMMENT ON statement for a target such as ''TABLE s.t''; NULL when there is no comment.';

-- Sequence options in the order CREATE SEQUENCE documents them, joined by p_separator.
CREATE OR REPLACE FUNCTION pggit_v0._sequence_options_ddl(p_sequence pg_catalog.pg_sequence, p_separator text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'INCREMENT BY ' || p_sequence.seqincrement
        || p_separator || 'MINVALUE ' || p_sequence.seqmin
        || p_separator || 'MAXVALUE ' || p_sequence.seqmax
        || p_separator || 'START WITH ' || p_sequence.seqstart
        || p_separator || 'CACHE ' || p_sequence.seqcache
        || p_separator || CASE WHEN p_sequence.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END
$$;
COMMENT ON FUNCTION pggit_v0._sequence_options_ddl(pg_catalog.pg_sequence, text) IS 'The INCREMENT BY ... [NO] CYCLE options of a sequence, joined by the separator.';

-- Storage parameters as `key='value', ...`, sorted by key so the order they were set in does not
-- matter. STRICT: most relations have none, and then the function is not even called.
CREATE OR REPLACE FUNCTION pggit_v0._reloptions_ddl(p_options text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT pg_catalog.string_agg(pg_catalog.split_part(o, '=', 1) || '='
               || pg_catalog.quote_literal(pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1)),
               ', ' ORDER BY pg_catalog.split_part(o, '=', 1) COLLATE "C")
    FROM pg_catalog.unnest(p_options) AS o
$$;
COMMENT ON FUNCTION pggit_v0._reloptions_ddl(text[]) IS 'Storage parameters (reloptions) as the body of a WITH (...) clause, sorted by name; NULL for none.';

-- Owner and grants (only when the setting track_privileges is true). A NULL ACL means the
-- built-in default and prints nothing; any other ACL is rebuilt from scratch (REVOKE ALL from
-- PUBLIC and the owner, then one GRANT per grantee) so replaying it gives the same ACL.
CREATE OR REPLACE FUNCTION pggit_v0._privileges_ddl(p_kind text, p_target text, p_owner oid, p_acl aclitem[])
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.format('ALTER %s %s OWNER TO %I;', p_kind, p_target, pg_catalog.pg_get_userbyid(p_owner))
        || CASE WHEN p_acl IS NULL THEN '' ELSE
               pg_catalog.format(E'\nREVOKE ALL ON %s %s FROM PUBLIC;', g.kind, p_target)
            || pg_catalog.format(E'\nREVOKE ALL ON %s %s FROM %I;', g.kind, p_target, pg_catalog.pg_get_userbyid(p_owner))
            || coalesce((
                   SELECT pg_catalog.string_agg(pg_catalog.format(E'\nGRANT %s ON %s %s TO %s%s;', x.privileges, g.kind, p_target, x.grantee,
                                                CASE WHEN x.grantable THEN ' WITH GRANT OPTION' ELSE '' END),
                                                '' ORDER BY x.grantee COLLATE "C", x.grantable)
                   FROM (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS grantee,
                                a.is_grantable AS grantable,
                                pg_catalog.string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type COLLATE "C") AS privileges
                         FROM pg_catalog.aclexplode(p_acl) a
                         GROUP BY 1, 2) x), '')
           END
    FROM (SELECT CASE p_kind WHEN 'VIEW' THEN 'TABLE' WHEN 'MATERIALIZED VIEW' THEN 'TABLE' WHEN 'AGGREGATE' THEN 'FUNCTION'
                             ELSE p_kind END AS kind) g
$$;
COMMENT ON FUNCTION pggit_v0._privileges_ddl(text, text, oid, aclitem[]) IS 'ALTER ... OWNER TO and the REVOKE/GRANT statements that rebuild an object''s ACL, for the track_privileges setting.';

-- ---------------------------------------------------------------------------
-- snapshot_schema()
-- ---------------------------------------------------------------------------
-- One set-based query per object kind, all in one statement so they share one MVCC snapshot.
-- Names are printed the way PostgreSQL's own deparser prints them with search_path = pg_catalog:
-- objects in pg_catalog unqualified, every other object schema-qualified. Every ordering is by
-- number or COLLATE "C", so the bytes do not depend on the database's collation.
-- Planner settings: the query has no parameters, so PL/pgSQL plans it once per session. JIT is
-- off because compiling this query costs more than running it. Nested loops are off because the
-- planner has no statistics for CTE results and underestimates them by orders of magnitude,
-- probing catalogs row by row; hash joins over whole catalogs are faster at every schema size.
CREATE OR REPLACE FUNCTION pggit_v0.snapshot_schema()
RETURNS TABLE (path text, schema text, name text, object_type text, ddl text)
LANGUAGE plpgsql
SET search_path = pg_catalog
SET jit = off
SET enable_nestloop = off
AS $function$
#variable_conflict use_column
DECLARE
    v_setting text;
BEGIN
    SELECT s.key INTO v_setting FROM pggit_v0.settings s
    WHERE (s.key = 'tracked_schemas' AND jsonb_typeof(s.value) NOT IN ('array', 'null'))
       OR (s.key = 'ignored_schemas' AND jsonb_typeof(s.value) NOT IN ('array', 'null'))
    ORDER BY s.key COLLATE "C" LIMIT 1;
    IF v_setting IS NOT NULL THEN
        PERFORM pggit_v0._raise('22023',
            format('setting %s must be a JSON array of schema names or null, not %s', v_setting, pggit_v0._setting(v_setting)),
            format('fix it with UPDATE pggit_v0.settings SET value = ''["public"]'' WHERE key = %L', v_setting));
    END IF;

    -- Concurrent DDL waits from here until our transaction ends. The query below is a new
    -- statement, so under READ COMMITTED its snapshot is taken after the lock was granted and
    -- sees every DDL that committed before. Under REPEATABLE READ or SERIALIZABLE the
    -- transaction's snapshot predates the lock: DDL committed between that snapshot and the lock
    -- can still mix in, so snapshot in a READ COMMITTED transaction (or as its first statement).
    PERFORM pggit_v0._lock_catalogs();

    RETURN QUERY
    WITH
    cfg AS MATERIALIZED (
        SELECT CASE WHEN jsonb_typeof(pggit_v0._setting('tracked_schemas')) = 'array'
                    THEN ARRAY(SELECT jsonb_array_elements_text(pggit_v0._setting('tracked_schemas'))) END AS tracked,
               CASE WHEN jsonb_typeof(pggit_v0._setting('ignored_schemas')) = 'array'
                    THEN ARRAY(SELECT jsonb_array_elements_text(pggit_v0._setting('ignored_schemas'))) ELSE '{}' END AS ignored,
               coalesce(pggit_v0._setting('track_privileges') = 'true'::jsonb, false) AS privileges),
    -- Tracked schemas: never system schemas (every pg_* name is reserved) nor pggit's own.
    nsp AS MATERIALIZED (
        SELECT n.oid, n.nspname::text AS nsp, quote_ident(n.nspname) AS qnsp, n.nspowner, n.nspacl
        FROM pg_namespace n, cfg
        WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pggit_'
          AND (cfg.tracked IS NULL OR n.nspname::text = ANY (cfg.tracked))
          AND n.nspname::text <> ALL (cfg.ignored)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')),
    -- Objects that are not files of their own: extension members ('e'); internal parts of
    -- another object ('i': row and array types, identity sequences, constraint indexes, range
    -- constructors); partition clones of a parent's index or trigger ('P').
    hidden AS MATERIALIZED (
        SELECT DISTINCT d.classid, d.objid FROM pg_depend d
        WHERE d.deptype IN ('e', 'i', 'P') AND d.objsubid = 0),
    rel AS MATERIALIZED (
        SELECT c.oid, c.relname::text AS relname, c.relkind, c.relpersistence, c.reloptions,
               c.relispartition, c.relpartbound, c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
               c.relowner, c.relacl, n.nsp, n.qnsp || '.' || quote_ident(c.relname) AS qname
        FROM pg_class c JOIN nsp n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I')
          AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.classid = 'pg_class'::regclass AND h.objid = c.oid)),
    -- Tracked types (enum, composite, domain, range); row, array and multirange types are hidden.
    typ AS MATERIALIZED (
        SELECT t.oid, t.typname::text AS typname, t.typtype, t.typrelid, t.typbasetype, t.typtypmod,
               t.typcollation, t.typnotnull, t.typdefaultbin, t.typowner, t.typacl, n.nsp,
               n.qnsp || '.' || quote_ident(t.typname) AS qname
        FROM pg_type t JOIN nsp n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'c', 'd', 'r')
          AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
          AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.classid = 'pg_type'::regclass AND h.objid = t.oid)),
    -- Columns of tables and composite types as `name type [COMPRESSION m] [COLLATE c]`, the
    -- collation only where it differs from the type's own.
    col AS MATERIALIZED (
        SELECT a.attrelid, a.attnum, a.attname::text AS attname, quote_ident(a.attname) AS qattname,
               a.attnotnull, a.attislocal, a.attinhcount, a.attgenerated, a.attidentity, a.atttypid,
               -- Defaults cannot refer to columns; deparsing without the relation spares
               -- pg_get_expr() opening (and locking) every table.
               pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) AS default_expr,
               quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                 || CASE a.attcompression WHEN 'p' THEN ' COMPRESSION pglz' WHEN 'l' THEN ' COMPRESSION lz4' ELSE '' END
                 || CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END
                 AS type_ddl
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped
          AND a.attrelid IN (SELECT r.oid FROM rel r WHERE r.relkind IN ('r', 'p')
                             UNION ALL SELECT y.typrelid FROM typ y WHERE y.typtype = 'c')),
    -- Constraints defined on tracked tables and domains themselves: not inherited, not partition
    -- clones of a parent's constraint.
    con AS MATERIALIZED (
        SELECT c.oid, c.conname::text AS conname, quote_ident(c.conname) AS qconname, c.contype,
               c.conrelid, c.contypid, c.convalidated, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c
        WHERE c.conislocal AND c.conparentid = 0
          AND (c.conrelid IN (SELECT r.oid FROM rel r WHERE r.relkind IN ('r', 'p'))
               OR c.contypid IN (SELECT y.oid FROM typ y WHERE y.typtype = 'd'))),
    -- The parent of each partition.
    parent AS (
        SELECT i.inhrelid, i.inhparent::regclass::text AS qname
        FROM pg_inherits i JOIN rel r ON r.oid = i.inhrelid
        WHERE r.relispartition),
    -- Columns a table inherits and does not list itself (all of a partition's), with the column
    -- of the first parent that has one of that name.
    inherited AS (
        SELECT DISTINCT ON (c.attrelid, c.attnum)
               c.attrelid, c.attnum, r.qname, c.qattname, c.default_expr, c.attnotnull, c.attgenerated, c.attidentity,
               pc.default_expr AS parent_default, pc.attnotnull AS parent_notnull, pc.attgenerated AS parent_generated
        FROM col c
        JOIN rel r ON r.oid = c.attrelid
        JOIN pg_inherits i ON i.inhrelid = c.attrelid
        JOIN col pc ON pc.attrelid = i.inhparent AND pc.attname = c.attname
        WHERE (r.relispartition OR NOT c.attislocal) AND c.attinhcount > 0
        ORDER BY c.attrelid, c.attnum, i.inhseqno),
    -- Lines inside CREATE TABLE (...): columns in attnum order, then constraints (PRIMARY KEY,
    -- UNIQUE, EXCLUDE, CHECK, each group by name). Partitions list no columns (they come from
    -- the parent); inheritance children list only their local columns. An identity column
    -- carries its sequence's name and options (the sequence is not a file of its own).
    table_element AS (
        SELECT c.attrelid AS relid, 0 AS grp, c.attnum AS ord, ''::text AS sort_name,
               c.type_ddl
               || CASE WHEN c.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || c.default_expr || ') STORED'
                       WHEN c.attidentity IN ('a', 'd') THEN
                            ' GENERATED ' || CASE c.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END
                            || ' AS IDENTITY (SEQUENCE NAME ' || i.objid::regclass::text
                            || CASE WHEN s.seqtypid <> c.atttypid THEN ' AS ' || format_type(s.seqtypid, NULL) ELSE '' END
                            || ' ' || pggit_v0._sequence_options_ddl(s, ' ') || ')'
                       WHEN c.default_expr IS NOT NULL THEN ' DEFAULT ' || c.default_expr
                       ELSE '' END
               || CASE WHEN c.attnotnull THEN ' NOT NULL' ELSE '' END AS line
        FROM col c
        JOIN rel r ON r.oid = c.attrelid
        LEFT JOIN pg_depend i ON c.attidentity IN ('a', 'd')
              AND i.refclassid = 'pg_class'::regclass AND i.refobjid = c.attrelid AND i.refobjsubid = c.attnum
              AND i.classid = 'pg_class'::regclass AND i.deptype = 'i'
        LEFT JOIN pg_sequence s ON s.seqrelid = i.objid
        WHERE c.attislocal AND NOT r.relispartition
        UNION ALL
        SELECT k.conrelid, 1, CASE k.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 ELSE 3 END,
               k.conname, 'CONSTRAINT ' || k.qconname || ' ' || k.def
        FROM con k
        WHERE k.conrelid <> 0 AND k.contype IN ('p', 'u', 'x', 'c') AND (k.contype <> 'c' OR k.convalidated)),
    -- Statements after CREATE TABLE, in this order: inherited columns whose default or NOT NULL
    -- differs from the parent's, NOT VALID checks (CREATE TABLE would validate them), OWNED BY
    -- of serial sequences (sequences are created before tables), row level security, replica
    -- identity, owner and grants, comments (table, columns, constraints).
    table_after AS (
        SELECT h.attrelid AS relid, 0 AS grp, h.attnum AS ord, ''::text AS sort_name,
               'ALTER TABLE ONLY ' || h.qname || ' ALTER COLUMN ' || h.qattname
               || CASE WHEN h.default_expr IS NULL THEN ' DROP DEFAULT;' ELSE ' SET DEFAULT ' || h.default_expr || ';' END AS stmt
        FROM inherited h
        WHERE h.attgenerated = '' AND h.parent_generated = '' AND h.attidentity = ''
          AND h.default_expr IS DISTINCT FROM h.parent_default
        UNION ALL
        SELECT h.attrelid, 1, h.attnum, '', 'ALTER TABLE ONLY ' || h.qname || ' ALTER COLUMN ' || h.qattname || ' SET NOT NULL;'
        FROM inherited h
        WHERE h.attnotnull AND NOT h.parent_notnull
        UNION ALL
        SELECT k.conrelid, 2, 0, k.conname, 'ALTER TABLE ' || r.qname || ' ADD CONSTRAINT ' || k.qconname || ' ' || k.def || ';'
        FROM con k JOIN rel r ON r.oid = k.conrelid
        WHERE k.contype = 'c' AND NOT k.convalidated
        UNION ALL
        SELECT t.oid, 3, 0, s.relname, 'ALTER SEQUENCE ' || s.qname || ' OWNED BY ' || t.qname || '.' || quote_ident(a.attname) || ';'
        FROM pg_depend d
        JOIN rel s ON s.oid = d.objid AND s.relkind = 'S'
        JOIN rel t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.deptype = 'a' AND d.refobjsubid > 0
        UNION ALL
        SELECT r.oid, 4, 0, '', 'ALTER TABLE ' || r.qname || ' ENABLE ROW LEVEL SECURITY;'
        FROM rel r WHERE r.relkind IN ('r', 'p') AND r.relrowsecurity
        UNION ALL
        SELECT r.oid, 4, 1, '', 'ALTER TABLE ' || r.qname || ' FORCE ROW LEVEL SECURITY;'
        FROM rel r WHERE r.relkind IN ('r', 'p') AND r.relforcerowsecurity
        UNION ALL
        -- REPLICA IDENTITY USING INDEX of an index that backs no constraint goes to the index's file.
        SELECT r.oid, 5, 0, '', 'ALTER TABLE ' || r.qname || ' REPLICA IDENTITY '
               || CASE r.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
                  ELSE 'USING INDEX ' || (SELECT quote_ident(ic.relname) FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                                          WHERE x.indrelid = r.oid AND x.indisreplident) END || ';'
        FROM rel r
        WHERE r.relkind IN ('r', 'p')
          AND (r.relreplident IN ('f', 'n')
               OR (r.relreplident = 'i' AND EXISTS (
                      SELECT 1 FROM pg_index x JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid
                      WHERE x.indrelid = r.oid AND x.indisreplident AND k.contype IN ('p', 'u', 'x'))))
        UNION ALL
        SELECT r.oid, 6, 0, '', pggit_v0._privileges_ddl('TABLE', r.qname, r.relowner, r.relacl)
        FROM rel r, cfg WHERE cfg.privileges AND r.relkind IN ('r', 'p')
        UNION ALL
        SELECT r.oid, 7, 0, '', pggit_v0._comment_ddl('TABLE ' || r.qname, d.description)
        FROM rel r JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = r.oid AND d.objsubid = 0
        WHERE r.relkind IN ('r', 'p')
        UNION ALL
        SELECT c.attrelid, 8, c.attnum, '', pggit_v0._comment_ddl('COLUMN ' || r.qname || '.' || c.qattname, d.description)
        FROM col c
        JOIN rel r ON r.oid = c.attrelid
        JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.attrelid AND d.objsubid = c.attnum
        UNION ALL
        SELECT k.conrelid, 9, 0, k.conname, pggit_v0._comment_ddl('CONSTRAINT ' || k.qconname || ' ON ' || r.qname, d.description)
        FROM con k
        JOIN rel r ON r.oid = k.conrelid
        JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid AND d.objsubid = 0
        WHERE k.contype IN ('p', 'u', 'x', 'c')),
    tables AS (
        SELECT r.nsp, r.relname AS obj_name, 'TABLE'::text AS kind,
               'CREATE ' || CASE WHEN r.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END || 'TABLE ' || r.qname
               || CASE WHEN r.relispartition
                       THEN ' PARTITION OF ' || p.qname
                            || coalesce(E' (\n' || e.elements || E'\n)', '')
                            || E'\n' || pg_get_expr(r.relpartbound, 0)
                       ELSE E' (\n' || coalesce(e.elements || E'\n', '') || ')'
                            || coalesce(E'\nINHERITS (' || inh.parents || ')', '') END
               || CASE WHEN r.relkind = 'p' THEN E'\nPARTITION BY ' || pg_get_partkeydef(r.oid) ELSE '' END
               || coalesce(E'\nWITH (' || pggit_v0._reloptions_ddl(r.reloptions) || ')', '')
               || ';' || coalesce(E'\n' || a.stmts, '') AS ddl
        FROM rel r
        LEFT JOIN parent p ON p.inhrelid = r.oid
        LEFT JOIN (SELECT te.relid, string_agg('    ' || te.line, E',\n' ORDER BY te.grp, te.ord, te.sort_name COLLATE "C") AS elements
                   FROM table_element te GROUP BY te.relid) e ON e.relid = r.oid
        LEFT JOIN (SELECT ta.relid, string_agg(ta.stmt, E'\n' ORDER BY ta.grp, ta.ord, ta.sort_name COLLATE "C") AS stmts
                   FROM table_after ta GROUP BY ta.relid) a ON a.relid = r.oid
        LEFT JOIN (SELECT i.inhrelid, string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) AS parents
                   FROM pg_inherits i GROUP BY i.inhrelid) inh ON inh.inhrelid = r.oid AND NOT r.relispartition
        WHERE r.relkind IN ('r', 'p')),
    foreign_keys AS (
        SELECT r.nsp, r.relname || '.' || k.conname AS obj_name, 'FOREIGN KEY'::text AS kind,
               'ALTER TABLE ' || r.qname || ' ADD CONSTRAINT ' || k.qconname || ' ' || k.def || ';'
               || coalesce(E'\n' || pggit_v0._comment_ddl('CONSTRAINT ' || k.qconname || ' ON ' || r.qname, d.description), '') AS ddl
        FROM con k
        JOIN rel r ON r.oid = k.conrelid
        LEFT JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid AND d.objsubid = 0
        WHERE k.contype = 'f'),
    -- Views and materialized views: the stored query as pg_get_viewdef() prints it, storage
    -- parameters (check_option, security_barrier, security_invoker, ...) in WITH (...).
    views AS (
        SELECT r.nsp, r.relname AS obj_name, v.kind,
               'CREATE ' || v.kind || ' ' || r.qname
               || coalesce(' WITH (' || pggit_v0._reloptions_ddl(r.reloptions) || ')', '')
               || E' AS\n' || rtrim(pg_get_viewdef(r.oid), E'; \n')
               || CASE r.relkind WHEN 'm' THEN E'\nWITH NO DATA;' ELSE ';' END
               || CASE WHEN cfg.privileges THEN E'\n' || pggit_v0._privileges_ddl(v.kind, r.qname, r.relowner, r.relacl) ELSE '' END
               || coalesce(E'\n' || (
                      SELECT string_agg(pggit_v0._comment_ddl(
                                 CASE WHEN d.objsubid = 0 THEN v.kind || ' ' || r.qname
                                      ELSE 'COLUMN ' || r.qname || '.' || quote_ident(a.attname) END, d.description),
                             E'\n' ORDER BY d.objsubid)
                      FROM pg_description d
                      LEFT JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = d.objsubid
                      WHERE d.classoid = 'pg_class'::regclass AND d.objoid = r.oid), '') AS ddl
        FROM rel r
        CROSS JOIN cfg
        CROSS JOIN LATERAL (SELECT CASE r.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END AS kind) v
        WHERE r.relkind IN ('v', 'm')),
    sequences AS (
        SELECT r.nsp, r.relname AS obj_name, 'SEQUENCE'::text AS kind,
               'CREATE ' || CASE WHEN r.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END || 'SEQUENCE ' || r.qname
               || E'\n    AS ' || format_type(s.seqtypid, NULL)
               || E'\n    ' || pggit_v0._sequence_options_ddl(s, E'\n    ') || ';'
               || CASE WHEN cfg.privileges THEN E'\n' || pggit_v0._privileges_ddl('SEQUENCE', r.qname, r.relowner, r.relacl) ELSE '' END
               || coalesce(E'\n' || pggit_v0._comment_ddl('SEQUENCE ' || r.qname, d.description), '') AS ddl
        FROM rel r
        CROSS JOIN cfg
        JOIN pg_sequence s ON s.seqrelid = r.oid
        LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = r.oid AND d.objsubid = 0
        WHERE r.relkind = 'S'),
    -- Indexes that back no constraint (those are hidden) and are no partition of a parent
    -- index (CREATE INDEX on the parent creates those). A partitioned index is printed without
    -- ONLY, so that replaying it creates the partitions' indexes too.
    indexes AS (
        SELECT r.nsp, r.relname AS obj_name, 'INDEX'::text AS kind,
               CASE WHEN r.relkind = 'I' AND starts_with(def.txt, def.prefix || 'ONLY ')
                    THEN def.prefix || substr(def.txt, length(def.prefix || 'ONLY ') + 1)
                    ELSE def.txt END || ';'
               || CASE WHEN x.indisreplident THEN E'\nALTER TABLE ' || t.qname || ' REPLICA IDENTITY USING INDEX ' || quote_ident(r.relname) || ';' ELSE '' END
               || CASE WHEN x.indisclustered THEN E'\nALTER TABLE ' || t.qname || ' CLUSTER ON ' || quote_ident(r.relname) || ';' ELSE '' END
               || coalesce(E'\n' || pggit_v0._comment_ddl('INDEX ' || r.qname, d.description), '') AS ddl
        FROM rel r
        JOIN pg_index x ON x.indexrelid = r.oid
        JOIN rel t ON t.oid = x.indrelid
        CROSS JOIN LATERAL (
            SELECT pg_get_indexdef(r.oid) AS txt,
                   'CREATE ' || CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || quote_ident(r.relname) || ' ON ' AS prefix
        ) def
        LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = r.oid AND d.objsubid = 0
        WHERE r.relkind IN ('i', 'I')),
    -- Functions and procedures as pg_get_functiondef() prints them.
    routines AS (
        SELECT n.nsp, p.proname || '(' || oidvectortypes(p.proargtypes) || ')' AS obj_name, k.kind,
               rtrim(pg_get_functiondef(p.oid), E'\n') || ';'
               || CASE WHEN cfg.privileges THEN E'\n' || pggit_v0._privileges_ddl(k.kind, p.oid::regprocedure::text, p.proowner, p.proacl) ELSE '' END
               || coalesce(E'\n' || pggit_v0._comment_ddl(k.kind || ' ' || p.oid::regprocedure::text, d.description), '') AS ddl
        FROM pg_proc p
        CROSS JOIN cfg
        JOIN nsp n ON n.oid = p.pronamespace
        CROSS JOIN LATERAL (SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind) k
        LEFT JOIN pg_description d ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid AND d.objsubid = 0
        WHERE p.prokind IN ('f', 'p', 'w')
          AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.classid = 'pg_proc'::regclass AND h.objid = p.oid)),
    -- Aggregates: CREATE AGGREGATE with one option per line, in the order the documentation
    -- lists them; options at their default are left out.
    aggregates AS (
        SELECT n.nsp, p.proname || '(' || oidvectortypes(p.proargtypes) || ')' AS obj_name, 'AGGREGATE'::text AS kind,
               'CREATE AGGREGATE ' || n.qnsp || '.' || quote_ident(p.proname) || '('
               || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_arguments(p.oid) END || E') (\n    '
               || concat_ws(E',\n    ',
                      'SFUNC = ' || a.aggtransfn::regproc::text,
                      'STYPE = ' || format_type(a.aggtranstype, NULL),
                      CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
                      CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::regproc::text END,
                      CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
                      CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC_MODIFY = '
                           || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                      CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::regproc::text END,
                      CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::regproc::text END,
                      CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || a.aggdeserialfn::regproc::text END,
                      'INITCOND = ' || quote_literal(a.agginitval),
                      CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::regproc::text END,
                      CASE WHEN a.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || a.aggminvtransfn::regproc::text END,
                      CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || format_type(a.aggmtranstype, NULL) END,
                      CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END,
                      CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::regproc::text END,
                      CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
                      CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC_MODIFY = '
                           || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                      'MINITCOND = ' || quote_literal(a.aggminitval),
                      CASE WHEN a.aggsortop <> 0 THEN 'SORTOP = OPERATOR(' || quote_ident(opn.nspname) || '.' || op.oprname || ')' END,
                      CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
                      CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END)
               || E'\n);'
               || CASE WHEN cfg.privileges THEN E'\n' || pggit_v0._privileges_ddl('AGGREGATE', p.oid::regprocedure::text, p.proowner, p.proacl) ELSE '' END
               || coalesce(E'\n' || pggit_v0._comment_ddl('AGGREGATE ' || p.oid::regprocedure::text, d.description), '') AS ddl
        FROM pg_proc p
        CROSS JOIN cfg
        JOIN nsp n ON n.oid = p.pronamespace
        JOIN pg_aggregate a ON a.aggfnoid = p.oid
        LEFT JOIN pg_operator op ON op.oid = a.aggsortop
        LEFT JOIN pg_namespace opn ON opn.oid = op.oprnamespace
        LEFT JOIN pg_description d ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid AND d.objsubid = 0
        WHERE p.prokind = 'a'
          AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.classid = 'pg_proc'::regclass AND h.objid = p.oid)),
    -- Triggers as pg_get_triggerdef() prints them, then the enabled state when it is not the
    -- default; internal (constraint) triggers and partition clones are left out.
    triggers AS (
        SELECT r.nsp, r.relname || '.' || g.tgname AS obj_name, 'TRIGGER'::text AS kind,
               pg_get_triggerdef(g.oid) || ';'
               || CASE g.tgenabled WHEN 'D' THEN E'\nALTER TABLE ' || r.qname || ' DISABLE TRIGGER ' || quote_ident(g.tgname) || ';'
                                   WHEN 'A' THEN E'\nALTER TABLE ' || r.qname || ' ENABLE ALWAYS TRIGGER ' || quote_ident(g.tgname) || ';'
                                   WHEN 'R' THEN E'\nALTER TABLE ' || r.qname || ' ENABLE REPLICA TRIGGER ' || quote_ident(g.tgname) || ';'
                                   ELSE '' END
               || coalesce(E'\n' || pggit_v0._comment_ddl('TRIGGER ' || quote_ident(g.tgname) || ' ON ' || r.qname, d.description), '') AS ddl
        FROM pg_trigger g
        JOIN rel r ON r.oid = g.tgrelid
        LEFT JOIN pg_description d ON d.classoid = 'pg_trigger'::regclass AND d.objoid = g.oid AND d.objsubid = 0
        WHERE NOT g.tgisinternal AND g.tgparentid = 0),
    -- Row level security policies; roles sorted by name, PUBLIC as public.
    policies AS (
        SELECT r.nsp, r.relname || '.' || pol.polname AS obj_name, 'POLICY'::text AS kind,
               'CREATE POLICY ' || quote_ident(pol.polname) || ' ON ' || r.qname
               || E'\n    AS ' || CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END
               || E'\n    FOR ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                                   WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
               || E'\n    TO ' || (SELECT string_agg(ro.name, ', ' ORDER BY ro.name COLLATE "C")
                                   FROM (SELECT CASE WHEN u.oid = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(u.oid)) END AS name
                                         FROM unnest(pol.polroles) AS u(oid)) ro)
               || coalesce(E'\n    USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', '')
               || coalesce(E'\n    WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')', '')
               || ';'
               || coalesce(E'\n' || pggit_v0._comment_ddl('POLICY ' || quote_ident(pol.polname) || ' ON ' || r.qname, d.description), '') AS ddl
        FROM pg_policy pol
        JOIN rel r ON r.oid = pol.polrelid
        LEFT JOIN pg_description d ON d.classoid = 'pg_policy'::regclass AND d.objoid = pol.oid AND d.objsubid = 0),
    -- Types: enum labels one per line in sort order; composite attributes one per line; domains
    -- one clause per line (NOT VALID checks as ALTER DOMAIN, since CREATE DOMAIN cannot say
    -- NOT VALID); ranges one option per line.
    types AS (
        SELECT y.nsp, y.typname AS obj_name, 'TYPE'::text AS kind,
               CASE y.typtype
               WHEN 'e' THEN 'CREATE TYPE ' || y.qname || ' AS ENUM (' || coalesce(E'\n' || (
                        SELECT string_agg('    ' || quote_literal(e.enumlabel), E',\n' ORDER BY e.enumsortorder)
                        FROM pg_enum e WHERE e.enumtypid = y.oid), '') || E'\n);'
               WHEN 'c' THEN 'CREATE TYPE ' || y.qname || ' AS (' || coalesce(E'\n' || (
                        SELECT string_agg('    ' || c.type_ddl, E',\n' ORDER BY c.attnum)
                        FROM col c WHERE c.attrelid = y.typrelid), '') || E'\n);'
               WHEN 'd' THEN 'CREATE DOMAIN ' || y.qname || ' AS ' || format_type(y.typbasetype, y.typtypmod)
                        || CASE WHEN y.typcollation <> bt.typcollation THEN E'\n    COLLATE ' || y.typcollation::regcollation::text ELSE '' END
                        || coalesce(E'\n    DEFAULT ' || pg_get_expr(y.typdefaultbin, 0), '')
                        || CASE WHEN y.typnotnull THEN E'\n    NOT NULL' ELSE '' END
                        || coalesce((SELECT string_agg(E'\n    CONSTRAINT ' || k.qconname || ' ' || k.def, '' ORDER BY k.conname COLLATE "C")
                                     FROM con k WHERE k.contypid = y.oid AND k.convalidated), '')
                        || ';'
                        || coalesce((SELECT string_agg(E'\nALTER DOMAIN ' || y.qname || ' ADD CONSTRAINT ' || k.qconname || ' ' || k.def || ';',
                                                       '' ORDER BY k.conname COLLATE "C")
                                     FROM con k WHERE k.contypid = y.oid AND NOT k.convalidated), '')
               ELSE 'CREATE TYPE ' || y.qname || E' AS RANGE (\n    '
                        || concat_ws(E',\n    ',
                               'SUBTYPE = ' || format_type(rg.rngsubtype, NULL),
                               'SUBTYPE_OPCLASS = ' || CASE WHEN opc.opcnamespace = 'pg_catalog'::regnamespace THEN ''
                                                            ELSE quote_ident(opcn.nspname) || '.' END || quote_ident(opc.opcname),
                               CASE WHEN rg.rngcollation <> 0 THEN 'COLLATION = ' || rg.rngcollation::regcollation::text END,
                               CASE WHEN rg.rngcanonical <> 0 THEN 'CANONICAL = ' || rg.rngcanonical::regproc::text END,
                               CASE WHEN rg.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || rg.rngsubdiff::regproc::text END,
                               'MULTIRANGE_TYPE_NAME = ' || format_type(rg.rngmultitypid, NULL))
                        || E'\n);'
               END
               || CASE WHEN cfg.privileges
                       THEN E'\n' || pggit_v0._privileges_ddl(CASE y.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, y.qname, y.typowner, y.typacl)
                       ELSE '' END
               || coalesce(E'\n' || pggit_v0._comment_ddl(CASE y.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || y.qname, d.description), '')
               || coalesce(E'\n' || (
                      SELECT string_agg(pggit_v0._comment_ddl('COLUMN ' || y.qname || '.' || c.qattname, cd.description), E'\n' ORDER BY c.attnum)
                      FROM col c JOIN pg_description cd ON cd.classoid = 'pg_class'::regclass AND cd.objoid = c.attrelid AND cd.objsubid = c.attnum
                      WHERE y.typtype = 'c' AND c.attrelid = y.typrelid), '')
               || coalesce(E'\n' || (
                      SELECT string_agg(pggit_v0._comment_ddl('CONSTRAINT ' || k.qconname || ' ON DOMAIN ' || y.qname, kd.description),
                                        E'\n' ORDER BY k.conname COLLATE "C")
                      FROM con k JOIN pg_description kd ON kd.classoid = 'pg_constraint'::regclass AND kd.objoid = k.oid AND kd.objsubid = 0
                      WHERE k.contypid = y.oid), '') AS ddl
        FROM typ y
        CROSS JOIN cfg
        LEFT JOIN pg_type bt ON bt.oid = y.typbasetype
        LEFT JOIN pg_range rg ON rg.rngtypid = y.oid
        LEFT JOIN pg_opclass opc ON opc.oid = rg.rngsubopc
        LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
        LEFT JOIN pg_description d ON d.classoid = 'pg_type'::regclass AND d.objoid = y.oid AND d.objsubid = 0),
    schemas AS (
        SELECT n.nsp, n.nsp AS obj_name, 'SCHEMA'::text AS kind,
               'CREATE SCHEMA IF NOT EXISTS ' || n.qnsp || ';'
               || CASE WHEN cfg.privileges THEN E'\n' || pggit_v0._privileges_ddl('SCHEMA', n.qnsp, n.nspowner, n.nspacl) ELSE '' END
               || coalesce(E'\n' || pggit_v0._comment_ddl('SCHEMA ' || n.qnsp, d.description), '') AS ddl
        FROM nsp n
        CROSS JOIN cfg
        LEFT JOIN pg_description d ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid AND d.objsubid = 0),
    -- Extensions are database-wide: tracked whatever tracked_schemas says, unless they live in
    -- an ignored schema or one of pggit's own. Their member objects are never files.
    extensions AS (
        SELECT NULL::text AS nsp, e.extname::text AS obj_name, 'EXTENSION'::text AS kind,
               'CREATE EXTENSION IF NOT EXISTS ' || quote_ident(e.extname) || ' WITH SCHEMA ' || quote_ident(en.nspname) || ';'
               || coalesce(E'\n' || pggit_v0._comment_ddl('EXTENSION ' || quote_ident(e.extname), d.description), '') AS ddl
        FROM pg_extension e
        CROSS JOIN cfg
        JOIN pg_namespace en ON en.oid = e.extnamespace
        LEFT JOIN pg_description d ON d.classoid = 'pg_extension'::regclass AND d.objoid = e.oid AND d.objsubid = 0
        WHERE en.nspname !~ '^pggit_' AND en.nspname::text <> ALL (cfg.ignored)),
    objects AS (
        SELECT * FROM schemas UNION ALL SELECT * FROM extensions UNION ALL SELECT * FROM types
        UNION ALL SELECT * FROM sequences UNION ALL SELECT * FROM routines UNION ALL SELECT * FROM aggregates
        UNION ALL SELECT * FROM tables UNION ALL SELECT * FROM foreign_keys UNION ALL SELECT * FROM views
        UNION ALL SELECT * FROM indexes UNION ALL SELECT * FROM triggers UNION ALL SELECT * FROM policies)
    SELECT f.path, f.nsp, f.obj_name, f.kind, f.ddl
    FROM (SELECT pggit_v0.object_path(o.nsp, o.kind, o.obj_name) AS path, o.nsp, o.obj_name, o.kind, o.ddl || E'\n' AS ddl
          FROM objects o) f
    ORDER BY f.path COLLATE "C";
END
$function$;
COMMENT ON FUNCTION pggit_v0.snapshot_schema() IS 'The live database''s tracked schemas as one row per object: tree path, schema, raw name, object type and canonical DDL (docs/ddl-layout.md). Blocks concurrent DDL until the calling transaction ends.';
