package dev.kindling.telemetry;

/**
 * How long AWS bills an invocation for: its duration plus, on a cold start, its init phase (AWS bills the init of
 * on-demand environments for every runtime since August 2025), rounded up to the next millisecond. A provisioned
 * environment's init is billed with its provisioned concurrency instead, and is not reported per invocation.
 */
public final class BilledDuration {
    private BilledDuration() {}

    /** @param initDurationMillis the cold start's init phase, or a negative number for none */
    public static long millis(double durationMillis, double initDurationMillis) {
        return (long) Math.ceil(durationMillis + Math.max(0, initDurationMillis));
    }
}
