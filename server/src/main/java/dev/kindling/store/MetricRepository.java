package dev.kindling.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BinaryOperator;

/** CloudWatch metrics kept per minute (docs/metrics.md). */
public interface MetricRepository {
    /**
     * Adds each minute to what is stored for its series and minute, combining the two with {@code combine}; one
     * transaction.
     */
    void add(Collection<MetricMinuteRecord> minutes, BinaryOperator<MetricMinuteRecord.Summary> combine);

    /** The minutes of the metric (any unit) from {@code fromMinute} (inclusive) to {@code toMinute} (exclusive). */
    List<MetricMinuteRecord> between(String namespace, String metricName, String dimensions, long fromMinute,
            long toMinute);

    /** Every series with a minute at or after {@code sinceMinute}, of one namespace and metric name if given. */
    List<MetricMinuteRecord.Series> series(Optional<String> namespace, Optional<String> metricName, long sinceMinute);

    /** Deletes the minutes before {@code minute}; returns how many. */
    int deleteBefore(long minute);
}
