package dev.kindling.telemetry;

import java.util.Map;
import java.util.TreeMap;

/**
 * The distribution of a minute's values, compact enough to keep for every metric and minute, from which percentiles
 * (p50, p99.9, ...) are estimated as CloudWatch does. Values fall into logarithmic buckets 1% wide (bucket i holds
 * values in (1.01^(i-1), 1.01^i]), so an estimate is within 0.5% of a true value; zero and negative values have
 * buckets of their own. A thousand invocations of one function in a minute typically fill a few dozen buckets.
 *
 * <p>Stored as text: {@code z:<count>} for zeros, {@code p<i>:<count>} and {@code n<i>:<count>} for positive and
 * negative buckets, comma-separated.
 */
public final class ValueHistogram {
    private static final double GAMMA = 1.01;
    private static final double LOG_GAMMA = Math.log(GAMMA);

    /** Bucket index to count, for positive values and for negative ones (by magnitude). */
    private final TreeMap<Integer, Long> positive = new TreeMap<>();
    private final TreeMap<Integer, Long> negative = new TreeMap<>();
    private long zeros;

    public void add(double value) {
        add(value, 1);
    }

    /** Adds {@code count} occurrences of {@code value}. */
    public void add(double value, long count) {
        if (value > 0) {
            positive.merge(index(value), count, Long::sum);
        } else if (value < 0) {
            negative.merge(index(-value), count, Long::sum);
        } else {
            zeros += count;
        }
    }

    public void addAll(ValueHistogram other) {
        other.positive.forEach((i, c) -> positive.merge(i, c, Long::sum));
        other.negative.forEach((i, c) -> negative.merge(i, c, Long::sum));
        zeros += other.zeros;
    }

    public long count() {
        return zeros + positive.values().stream().mapToLong(Long::longValue).sum()
                + negative.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /**
     * The value below or at which {@code percent} of the values lie (the nearest-rank method: the value of rank
     * ceil(percent/100 * count)), estimated from its bucket and kept within [minimum, maximum].
     */
    public double percentile(double percent, double minimum, double maximum) {
        long total = count();
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
        if (rank >= total) {
            return maximum; // the largest value is known exactly, as is the smallest
        }
        if (rank == 1) {
            return minimum;
        }
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : negative.descendingMap().entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return clamp(-representative(bucket.getKey()), minimum, maximum);
            }
        }
        seen += zeros;
        if (seen >= rank) {
            return clamp(0, minimum, maximum);
        }
        for (Map.Entry<Integer, Long> bucket : positive.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return clamp(representative(bucket.getKey()), minimum, maximum);
            }
        }
        return maximum;
    }

    public String encode() {
        StringBuilder text = new StringBuilder();
        if (zeros > 0) {
            text.append("z:").append(zeros);
        }
        negative.forEach((i, c) -> append(text, "n" + i, c));
        positive.forEach((i, c) -> append(text, "p" + i, c));
        return text.toString();
    }

    public static ValueHistogram decode(String text) {
        ValueHistogram histogram = new ValueHistogram();
        if (text.isEmpty()) {
            return histogram;
        }
        for (String entry : text.split(",")) {
            int colon = entry.indexOf(':');
            long count = Long.parseLong(entry.substring(colon + 1));
            switch (entry.charAt(0)) {
                case 'z' -> histogram.zeros += count;
                case 'p' -> histogram.positive.merge(Integer.parseInt(entry.substring(1, colon)), count, Long::sum);
                case 'n' -> histogram.negative.merge(Integer.parseInt(entry.substring(1, colon)), count, Long::sum);
                default -> throw new IllegalArgumentException("not a histogram bucket: " + entry);
            }
        }
        return histogram;
    }

    private static void append(StringBuilder text, String bucket, long count) {
        if (!text.isEmpty()) {
            text.append(',');
        }
        text.append(bucket).append(':').append(count);
    }

    private static int index(double magnitude) {
        return (int) Math.ceil(Math.log(magnitude) / LOG_GAMMA);
    }

    /** The middle (relatively) of bucket i: its estimate of every value in it. */
    private static double representative(int index) {
        return 2 * Math.pow(GAMMA, index) / (GAMMA + 1);
    }

    private static double clamp(double value, double minimum, double maximum) {
        return Math.max(minimum, Math.min(maximum, value));
    }
}
