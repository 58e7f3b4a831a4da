-- Events accepted by Invoke with InvocationType=Event (and later by triggers), kept until they have run: a 202 is
-- sent only once the event's row is committed, so a crash loses none of them.
CREATE TABLE async_events (
    request_id     VARCHAR(64)   PRIMARY KEY,
    function_name  VARCHAR(170)  NOT NULL,
    -- The qualifier as the caller named it ('' for none): an alias resolves when the event runs, as on AWS.
    qualifier      VARCHAR(128)  NOT NULL,
    payload        BLOB          NOT NULL,
    -- The caller's X-Amzn-Trace-Id, which every attempt continues; NULL when the caller sent none.
    trace_header   VARCHAR(512),
    -- Attempts that ran the function (errors and timeouts); throttles do not count.
    attempts       INTEGER       NOT NULL,
    received_ms    BIGINT        NOT NULL,
    -- When the event may run next: now for a new one, later for a retry or a throttled one.
    due_ms         BIGINT        NOT NULL,
    -- Taken by a worker; a server that starts takes back what it had taken before it stopped.
    taken          BOOLEAN       NOT NULL
);

CREATE INDEX async_events_due ON async_events (taken, due_ms);

-- PutFunctionEventInvokeConfig: how a version's or alias's asynchronous events are retried and where their outcome
-- goes. A NULL member was not configured (AWS's default applies, and it is not shown).
CREATE TABLE function_event_invoke_configs (
    function_name          VARCHAR(170)  NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
    qualifier              VARCHAR(128)  NOT NULL,
    maximum_retry_attempts INTEGER,
    maximum_event_age_s    INTEGER,
    on_success             VARCHAR(350),
    on_failure             VARCHAR(350),
    last_modified_ms       BIGINT        NOT NULL,
    PRIMARY KEY (function_name, qualifier)
);
