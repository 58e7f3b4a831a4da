-- Metered usage (docs/usage.md), summed by the hour: one row per hour (UTC, the hour's start in epoch ms), function
-- version, architecture, memory size and capacity ('ON_DEMAND' or 'PROVISIONED': the environments that served the
-- invocations, priced apart). Amounts are integers, so sums are exact:
--   requests       invocations that ended in the hour;
--   billed_mb_ms   their billed durations (ms, AWS's rounding) times memory_mb;
--   configured_mb_ms  on PROVISIONED rows, the provisioned concurrency configured during the hour: environments
--                  times memory_mb times the milliseconds it was configured.
-- Rows outlive the function they meter, as a bill does: no foreign key to functions.
CREATE TABLE usage_hourly (
    hour_start_ms    BIGINT       NOT NULL,
    function_name    VARCHAR(170) NOT NULL,
    version          VARCHAR(32)  NOT NULL,
    architecture     VARCHAR(16)  NOT NULL,
    memory_mb        INTEGER      NOT NULL,
    capacity         VARCHAR(16)  NOT NULL,
    requests         BIGINT       NOT NULL,
    billed_mb_ms     BIGINT       NOT NULL,
    configured_mb_ms BIGINT       NOT NULL,
    PRIMARY KEY (hour_start_ms, function_name, version, architecture, memory_mb, capacity)
);
