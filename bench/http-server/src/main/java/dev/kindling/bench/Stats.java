package dev.kindling.bench;

import java.util.Arrays;

final class Stats {
    private Stats() {}

    /** Nanosecond samples -> "p50 p90 p99 max" in milliseconds. */
    static String ms(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("n=%d p50=%.3fms p90=%.3fms p99=%.3fms max=%.3fms",
                s.length, pct(s, 50) / 1e6, pct(s, 90) / 1e6, pct(s, 99) / 1e6, s[s.length - 1] / 1e6);
    }

    static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
