package dev.kindling.telemetry;

import dev.kindling.store.Capacity;
import java.time.Instant;

/**
 * What one finished invocation was, for whoever counts them (metrics, metering): the figures of its REPORT line and
 * how it ended.
 *
 * @param architecture x86_64 or arm64: AWS prices them apart
 * @param initDurationMillis the init phase of a cold start (on-demand), or a negative number for a warm invocation
 *     or one in a provisioned environment
 * @param functionError whether the function failed it (an error it returned or threw, a timeout, a crash)
 * @param capacity whether an environment kept for provisioned concurrency ran it: AWS prices its duration lower
 */
public record InvocationReport(String functionName, String version, String architecture, int memoryMb,
        Instant endedAt, double durationMillis, double initDurationMillis, long maxMemoryUsedMb,
        boolean functionError, Capacity capacity) {


    public boolean coldStart() {
        return initDurationMillis >= 0;
    }

    /** The milliseconds AWS bills for it: see {@link BilledDuration}. */
    public long billedDurationMillis() {
        return BilledDuration.millis(durationMillis, initDurationMillis);
    }
}
