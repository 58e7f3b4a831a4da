-- EventBridge Scheduler's schedules (the default group). The columns the scheduler reads are columns; the rest of
-- the schedule (target, description, flexible time window, ...) is kept as the JSON it was given, for GetSchedule.
-- start_ms is when the schedule counts from (its StartDate, or when it was created or last updated).
CREATE TABLE schedules (
    group_name          VARCHAR(64)  NOT NULL,
    name                VARCHAR(64)  NOT NULL,
    schedule_expression VARCHAR(256) NOT NULL,
    timezone            VARCHAR(50)  NOT NULL,
    start_ms            BIGINT       NOT NULL,
    end_ms              BIGINT,
    state               VARCHAR(16)  NOT NULL,
    definition          TEXT         NOT NULL,
    created_ms          BIGINT       NOT NULL,
    modified_ms         BIGINT       NOT NULL,
    last_fired_ms       BIGINT,
    PRIMARY KEY (group_name, name)
);
