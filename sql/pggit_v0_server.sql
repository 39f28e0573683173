-- The gRPC server's own state: API keys (src/PgGitV0.Server). Kept in schema pggit_server, apart
-- from pggit_v0, so that none of the pggit_reader / pggit_writer / pggit_admin grants reach it:
-- only the role the server connects as (the owner) reads or changes it.
-- Applied by install.sql; every statement is idempotent.

CREATE SCHEMA IF NOT EXISTS pggit_server;
COMMENT ON SCHEMA pggit_server IS 'State of the pggit_v0 gRPC server (API keys); not part of the version-controlled data.';
REVOKE ALL ON SCHEMA pggit_server FROM PUBLIC;

-- A key is shown once when created; only the SHA-256 of its text is stored. Revoked keys stay
-- for the record; a name may be reused once its key is revoked.
CREATE TABLE IF NOT EXISTS pggit_server.api_keys (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$'),
    role        text        NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
    key_sha256  bytea       NOT NULL UNIQUE CHECK (length(key_sha256) = 32),
    key_prefix  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL DEFAULT current_user,
    revoked_at  timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_active_name ON pggit_server.api_keys (name) WHERE revoked_at IS NULL;
COMMENT ON TABLE pggit_server.api_keys IS 'API keys of the gRPC server: name (the identity that reaches SQL as pggit.actor), role (reader | writer | admin), SHA-256 of the key, its first characters for recognition, revocation time.';
