-- Function URLs (CreateFunctionUrlConfig): one per function (qualifier '') or alias, reached at its url_id.
-- Deleting the function deletes them; an alias's config outlives the alias (as on AWS), serving 403 until the
-- alias exists again.
CREATE TABLE function_url_configs (
    function_name VARCHAR(170) NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
    qualifier     VARCHAR(128) NOT NULL,
    url_id        CHAR(32)     NOT NULL UNIQUE,
    auth_type     VARCHAR(10)  NOT NULL,
    -- The Cors member as JSON, NULL when none was configured.
    cors_json     TEXT,
    -- NULL when never set: reads show BUFFERED, as AWS does.
    invoke_mode   VARCHAR(20),
    created_us    BIGINT       NOT NULL,
    modified_us   BIGINT       NOT NULL,
    PRIMARY KEY (function_name, qualifier)
);
