package dev.kindling.store;

/**
 * One stored minute of one CloudWatch metric (table metric_minutes, migration V26).
 *
 * @param minuteStart the minute's start, epoch seconds
 */
public record MetricMinuteRecord(Series series, long minuteStart, Summary summary) {
    /**
     * Which metric, in which unit.
     *
     * @param dimensions the dimensions as a JSON array of [name, value] pairs sorted by name
     */
    public record Series(String namespace, String metricName, String dimensions, String unit) {}

    /**
     * The minute's statistics.
     *
     * @param histogram the values' distribution (telemetry.ValueHistogram's text), empty when it is unknown
     */
    public record Summary(double sampleCount, double sum, double minimum, double maximum, String histogram) {}
}
