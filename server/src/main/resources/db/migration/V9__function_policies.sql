-- Resource-based policies (AddPermission): one per function (qualifier '' for the unqualified function), published
-- version or alias. Deleting the function deletes its policies; deleting a version or an alias deletes its own.
CREATE TABLE function_policies (
    function_name   VARCHAR(170) NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
    qualifier       VARCHAR(128) NOT NULL,
    -- The statements as JSON, in the order they were added.
    statements_json TEXT         NOT NULL,
    revision_id     VARCHAR(36)  NOT NULL,
    PRIMARY KEY (function_name, qualifier)
);
