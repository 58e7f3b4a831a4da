-- Concurrency settings of a function: its reserved concurrency (PutFunctionConcurrency), and the provisioned
-- concurrency configured on its versions and aliases (PutProvisionedConcurrencyConfig). Deleting a function deletes
-- them with it.
CREATE TABLE function_concurrency (
    function_name VARCHAR(170) PRIMARY KEY REFERENCES functions (name) ON DELETE CASCADE,
    reserved      INTEGER      NOT NULL
);

-- One row per version or alias with provisioned concurrency; qualifier is the version number or the alias name,
-- as the request named it. Only the configuration is stored: the pool brings environments up from it at start.
CREATE TABLE provisioned_concurrency (
    function_name    VARCHAR(170) NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
    qualifier        VARCHAR(128) NOT NULL,
    requested        INTEGER      NOT NULL,
    last_modified_ms BIGINT       NOT NULL,
    PRIMARY KEY (function_name, qualifier)
);
