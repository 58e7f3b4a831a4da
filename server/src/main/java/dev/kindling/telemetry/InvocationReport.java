package dev.kindling.telemetry;

import dev.kindling.store.Capacity;
import java.time.Instant;
import java.util.Optional;

/**
 * What one finished invocation was, for whoever counts them (metrics, metering): the figures of its REPORT line and
 * how it ended.
 *
 * @param architecture x86_64 or arm64: AWS prices them apart
 * @param initDurationMillis the init phase of a cold start (on-demand), or a negative number for a warm invocation
 *     or one in a provisioned environment
 * @param functionError whether the function failed it (an error it returned or threw, a timeout, a crash)
 * @param capacity whether an environment kept for provisioned concurrency ran it: AWS prices its duration lower
 * @param qualifier the alias or version the caller named, empty for an unqualified invocation (metrics' Resource)
 */
public record InvocationReport(String functionName, String version, String architecture, int memoryMb,
        Instant endedAt, double durationMillis, double initDurationMillis, long maxMemoryUsedMb,
        boolean functionError, Capacity capacity, Optional<String> qualifier) {

    /** An unqualified invocation's report. */
    public InvocationReport(String functionName, String version, String architecture, int memoryMb,
            Instant endedAt, double durationMillis, double initDurationMillis, long maxMemoryUsedMb,
            boolean functionError, Capacity capacity) {
        this(functionName, version, architecture, memoryMb, endedAt, durationMillis, initDurationMillis,
                maxMemoryUsedMb, functionError, capacity, Optional.empty());
    }


    public boolean coldStart() {
        return initDurationMillis >= 0;
    }

    /** The milliseconds AWS bills for it: see {@link BilledDuration}. */
    public long billedDurationMillis() {
        return BilledDuration.millis(durationMillis, initDurationMillis);
    }
}
