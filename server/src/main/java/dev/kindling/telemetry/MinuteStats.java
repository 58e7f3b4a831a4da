package dev.kindling.telemetry;

import java.util.OptionalDouble;

/**
 * The statistics of the values of one metric in one stretch of time (a minute as stored, or a period as asked):
 * sample count, sum, minimum, maximum, and the distribution for percentiles. Values added one by one keep the
 * distribution; a statistic set (PutMetricData's StatisticValues) does not say it, so once one is added the
 * percentiles are unknown, as on AWS.
 */
public final class MinuteStats {
    private double sampleCount;
    private double sum;
    private double minimum = Double.POSITIVE_INFINITY;
    private double maximum = Double.NEGATIVE_INFINITY;
    private final ValueHistogram histogram;
    private boolean distributionKnown;

    public MinuteStats() {
        this(0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, new ValueHistogram(), true);
    }

    private MinuteStats(double sampleCount, double sum, double minimum, double maximum, ValueHistogram histogram,
            boolean distributionKnown) {
        this.sampleCount = sampleCount;
        this.sum = sum;
        this.minimum = minimum;
        this.maximum = maximum;
        this.histogram = histogram;
        this.distributionKnown = distributionKnown;
    }

    /** Statistics as stored: {@code histogram} is the empty text when the distribution is unknown. */
    public static MinuteStats stored(double sampleCount, double sum, double minimum, double maximum,
            String histogram) {
        boolean known = !histogram.isEmpty();
        return new MinuteStats(sampleCount, sum, minimum, maximum, ValueHistogram.decode(histogram), known);
    }

    /** Adds {@code count} samples of {@code value} (PutMetricData's Values and Counts; 1 for one value). */
    public void add(double value, double count) {
        sampleCount += count;
        sum += value * count;
        minimum = Math.min(minimum, value);
        maximum = Math.max(maximum, value);
        histogram.add(value, Math.round(count));
    }

    /** Adds a statistic set, whose values' distribution is not known. */
    public void addSet(double count, double setSum, double setMinimum, double setMaximum) {
        sampleCount += count;
        sum += setSum;
        minimum = Math.min(minimum, setMinimum);
        maximum = Math.max(maximum, setMaximum);
        distributionKnown = false;
    }

    public void addAll(MinuteStats other) {
        sampleCount += other.sampleCount;
        sum += other.sum;
        minimum = Math.min(minimum, other.minimum);
        maximum = Math.max(maximum, other.maximum);
        histogram.addAll(other.histogram);
        distributionKnown &= other.distributionKnown;
    }

    public double sampleCount() {
        return sampleCount;
    }

    public double sum() {
        return sum;
    }

    public double minimum() {
        return minimum;
    }

    public double maximum() {
        return maximum;
    }

    public double average() {
        return sum / sampleCount;
    }

    /** The {@code percent}th percentile, when the values' distribution is known. */
    public OptionalDouble percentile(double percent) {
        if (!distributionKnown || histogram.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(histogram.percentile(percent, minimum, maximum));
    }

    /** The distribution as stored: empty text when it is not known. */
    public String histogramText() {
        return distributionKnown ? histogram.encode() : "";
    }
}
