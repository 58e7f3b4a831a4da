-- Layers (issue 15). A layer exists while it has versions; next_version survives every delete, so a version number
-- is never given twice, as on AWS.
CREATE TABLE layers (
    name         VARCHAR(140) PRIMARY KEY,
    next_version BIGINT       NOT NULL
);

CREATE TABLE layer_versions (
    layer_name                    VARCHAR(140) NOT NULL REFERENCES layers (name),
    version                       BIGINT       NOT NULL,
    description                   VARCHAR(256) NOT NULL,
    license_info                  VARCHAR(512),
    compatible_runtimes_json      TEXT         NOT NULL,
    compatible_architectures_json TEXT         NOT NULL,
    code_sha256_hex               CHAR(64)     NOT NULL,
    code_size                     BIGINT       NOT NULL,
    unzipped_size                 BIGINT       NOT NULL,
    created_ms                    BIGINT       NOT NULL,
    -- The resource policy's statements as JSON, and its revision; both NULL while the version has no policy.
    policy_json                   TEXT,
    policy_revision_id            VARCHAR(36),
    PRIMARY KEY (layer_name, version)
);

CREATE INDEX layer_versions_code ON layer_versions (code_sha256_hex);

-- functions.layers_json now holds resolved references ({arn, codeSha256Hex, codeSize, unzippedSize}), so that a
-- function keeps a layer version's content after the version is deleted. Before this migration it held bare ARNs
-- that nothing checked and no layer could back (layers did not exist): they gave the function nothing at /opt, and
-- a function refers to no layer after it, as AWS would never have accepted them.
UPDATE functions SET layers_json = '[]';
