-- One row per function; versions and aliases (issue 7) get tables of their own.
CREATE TABLE functions (
    name               VARCHAR(170) PRIMARY KEY,
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
    last_modified_ms   BIGINT       NOT NULL
);

CREATE INDEX functions_code ON functions (code_sha256_hex);

CREATE TABLE function_tags (
    function_name VARCHAR(170) NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
    tag_key       VARCHAR(128) NOT NULL,
    tag_value     VARCHAR(256) NOT NULL,
    PRIMARY KEY (function_name, tag_key)
);
