-- CreateEventSourceMapping: a queue polled into a function. A mapping outlives its function (as on AWS: its
-- pollers find no function and wait), so there is no foreign key.
CREATE TABLE event_source_mappings (
    uuid                      VARCHAR(36)   PRIMARY KEY,
    -- The function's ARN as the mapping names it (with its version or alias, if one was given).
    function_arn              VARCHAR(300)  NOT NULL,
    event_source_arn          VARCHAR(300)  NOT NULL,
    batch_size                INTEGER       NOT NULL,
    batching_window_s         INTEGER       NOT NULL,
    enabled                   BOOLEAN       NOT NULL,
    -- As AWS shows it: Creating, Enabling, Enabled, Disabling, Disabled, Updating (Deleting rows are gone).
    state                     VARCHAR(16)   NOT NULL,
    state_transition_reason   VARCHAR(64)   NOT NULL,
    -- FilterCriteria.Filters[].Pattern as a JSON list of strings.
    filter_patterns           TEXT          NOT NULL,
    report_batch_item_failures BOOLEAN      NOT NULL,
    -- ScalingConfig.MaximumConcurrency; NULL when not set.
    maximum_concurrency       INTEGER,
    last_modified_ms          BIGINT        NOT NULL
);

CREATE INDEX event_source_mappings_function ON event_source_mappings (function_arn);
