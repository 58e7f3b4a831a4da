-- CloudWatch Logs groups: those made by CreateLogGroup and those Kindling makes when a function first logs, with
-- their retention (PutRetentionPolicy; NULL: the server's default). Events and streams live in files under the data
-- directory (telemetry/LogGroups); only what must outlive them is here.
CREATE TABLE log_groups (
    name           VARCHAR(512) PRIMARY KEY,
    created_ms     BIGINT       NOT NULL,
    retention_days INTEGER
);
