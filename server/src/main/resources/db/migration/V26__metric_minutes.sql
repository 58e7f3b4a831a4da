-- CloudWatch metrics (docs/metrics.md): one row per metric, unit and minute (epoch seconds of the minute's start)
-- summarising the values recorded in that minute. A metric is its namespace, name and dimensions; dimensions are a
-- JSON array of [name, value] pairs sorted by name, so one set of dimensions is always the same text.
--   sample_count, sum, minimum, maximum  the statistics AWS keeps for every datapoint;
--   histogram  the values' distribution in logarithmic buckets (telemetry.ValueHistogram), for percentiles; empty
--              when the minute holds statistic sets, whose distribution is unknown.
-- Rows older than the retention (15 days by default, as AWS keeps 1-minute data) are deleted as new ones come.
CREATE TABLE metric_minutes (
    namespace    VARCHAR(255) NOT NULL,
    metric_name  VARCHAR(255) NOT NULL,
    dimensions   TEXT         NOT NULL,
    unit         VARCHAR(32)  NOT NULL,
    minute_start BIGINT       NOT NULL,
    sample_count DOUBLE PRECISION NOT NULL,
    sum          DOUBLE PRECISION NOT NULL,
    minimum      DOUBLE PRECISION NOT NULL,
    maximum      DOUBLE PRECISION NOT NULL,
    histogram    TEXT         NOT NULL,
    PRIMARY KEY (namespace, metric_name, dimensions, unit, minute_start)
);
CREATE INDEX metric_minutes_by_minute ON metric_minutes (minute_start);
