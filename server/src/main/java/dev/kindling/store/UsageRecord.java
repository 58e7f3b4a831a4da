package dev.kindling.store;

import java.time.Instant;

/** Metered usage of one function version, architecture, memory size and capacity in one hour (UTC). */
public record UsageRecord(Key key, Amounts amounts) {

    /**
     * What usage is summed by.
     *
     * @param hour the start of the hour (UTC) the usage fell in
     */
    public record Key(Instant hour, String functionName, String version, String architecture, int memoryMb,
            Capacity capacity) {}

    /**
     * Usage amounts, as integers so that sums are exact.
     *
     * @param requests invocations
     * @param billedMbMs their billed milliseconds times the configured memory in MB (1,024,000 make a GB-second)
     * @param configuredMbMs provisioned concurrency configured: environments times memory in MB times milliseconds
     */
    public record Amounts(long requests, long billedMbMs, long configuredMbMs) {
        public static final Amounts NONE = new Amounts(0, 0, 0);

        /** One invocation billed for {@code billedMillis} at {@code memoryMb}. */
        public static Amounts invocation(long billedMillis, int memoryMb) {
            return new Amounts(1, Math.multiplyExact(billedMillis, memoryMb), 0);
        }

        /** Provisioned concurrency of {@code environments} at {@code memoryMb} configured for {@code millis}. */
        public static Amounts configured(int environments, int memoryMb, long millis) {
            return new Amounts(0, 0, Math.multiplyExact(Math.multiplyExact((long) environments, memoryMb), millis));
        }

        public Amounts plus(Amounts other) {
            return new Amounts(Math.addExact(requests, other.requests), Math.addExact(billedMbMs, other.billedMbMs),
                    Math.addExact(configuredMbMs, other.configuredMbMs));
        }

        public boolean isZero() {
            return requests == 0 && billedMbMs == 0 && configuredMbMs == 0;
        }
    }
}
