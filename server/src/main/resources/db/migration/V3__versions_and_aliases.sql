-- A function version is one row: $LATEST (the unpublished version, which changes) in functions, each published
-- version (an immutable snapshot, numbered from 1, numbers never reused) in function_versions, with the same columns.
ALTER TABLE functions ADD COLUMN version VARCHAR(10) NOT NULL DEFAULT '$LATEST';
-- The last version number published; the next PublishVersion takes the one after it.
ALTER TABLE functions ADD COLUMN last_published_version INTEGER NOT NULL DEFAULT 0;
-- The $LATEST revision the last published version was taken from: publishing it unchanged returns that version.
ALTER TABLE functions ADD COLUMN last_published_revision VARCHAR(36);

CREATE TABLE function_versions (
    name               VARCHAR(170) NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
    version            VARCHAR(10)  NOT NULL,
    runtime            VARCHAR(40)  NOT NULL,
    role               VARCHAR(2048) NOT NULL,
    handler            VARCHAR(128) NOT NULL,
    description        VARCHAR(256) NOT NULL,
    timeout_seconds    INTEGER      NOT NULL,
    memory_mb          INTEGER      NOT NULL,
    ephemeral_mb       INTEGER      NOT NULL,
    environment_json   TEXT         NOT NULL,
    architectures_json TEXT         NOT NULL,
    layers_json        TEXT         NOT NULL,
    logging_json       TEXT         NOT NULL,
    tracing_mode       VARCHAR(20)  NOT NULL,
    package_type       VARCHAR(10)  NOT NULL,
    code_sha256_hex    CHAR(64)     NOT NULL,
    code_size          BIGINT       NOT NULL,
    revision_id        VARCHAR(36)  NOT NULL,
    last_modified_ms   BIGINT       NOT NULL,
    environment_configured BOOLEAN  NOT NULL,
    version_number     INTEGER      NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE INDEX function_versions_code ON function_versions (code_sha256_hex);

CREATE TABLE function_aliases (
    function_name    VARCHAR(170) NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
    alias_name       VARCHAR(128) NOT NULL,
    function_version VARCHAR(10)  NOT NULL,
    description      VARCHAR(256) NOT NULL,
    -- AdditionalVersionWeights: {"version": weight}, empty for an alias to one version.
    routing_json     TEXT         NOT NULL,
    revision_id      VARCHAR(36)  NOT NULL,
    PRIMARY KEY (function_name, alias_name)
);
