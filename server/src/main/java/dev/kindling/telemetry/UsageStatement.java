package dev.kindling.telemetry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What Lambda usage in a period costs, per function and architecture, and the bill.
 *
 * @param prices where the prices came from ({@link PriceList#source})
 * @param lines one per function and architecture with usage in the period, by function name
 */
public record UsageStatement(UsagePeriod period, String prices, List<Line> lines, Total total) {
    /** Dollar figures of lines are shown to the nano-dollar; the bill, as AWS rounds it, to the cent. */
    public static final int LINE_SCALE = 9;

    /** Usage and cost of one function on one architecture. */
    public record Line(String functionName, String architecture, Usage usage, Cost cost) {}

    /** Usage and cost of every function together: the bill. */
    public record Total(Usage usage, Cost cost) {}

    /**
     * @param requests invocations, on demand and in provisioned environments
     * @param gbSeconds their billed duration times memory, on demand and in provisioned environments
     * @param provisionedGbSeconds provisioned concurrency configured: environments times memory times time
     */
    public record Usage(long requests, BigDecimal gbSeconds, BigDecimal provisionedGbSeconds) {}

    /**
     * Exact dollar amounts (round with {@link #LINE_SCALE} to show them, or {@link #bill} for the bill).
     *
     * @param requests the requests' charge
     * @param duration the duration charge, on demand and in provisioned environments
     * @param provisionedConcurrency the charge for provisioned concurrency configured
     * @param freeTier what the monthly free tier takes off (0 or more)
     */
    public record Cost(BigDecimal requests, BigDecimal duration, BigDecimal provisionedConcurrency,
            BigDecimal freeTier) {
        public BigDecimal beforeFreeTier() {
            return requests.add(duration).add(provisionedConcurrency);
        }

        public BigDecimal afterFreeTier() {
            return beforeFreeTier().subtract(freeTier);
        }
    }

    /** A dollar amount rounded to the cent, as AWS rounds a bill (and never each invocation). */
    public static BigDecimal bill(BigDecimal exact) {
        return exact.setScale(2, RoundingMode.HALF_UP);
    }

    /** A dollar amount of a line, rounded to the nano-dollar for showing. */
    public static BigDecimal shown(BigDecimal exact) {
        return exact.setScale(LINE_SCALE, RoundingMode.HALF_UP);
    }
}
