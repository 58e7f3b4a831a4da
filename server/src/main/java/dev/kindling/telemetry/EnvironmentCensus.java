package dev.kindling.telemetry;

import java.util.List;

/** Counts the execution environments of every function version at one moment: what metrics read at each scrape. */
@FunctionalInterface
public interface EnvironmentCensus {
    /** One entry per function version that has environments or provisioned concurrency. */
    List<VersionEnvironments> count();

    /**
     * How many environments are in each phase of their life: {@code starting} in init (launched ahead of traffic, or a
     * cold start with its invocation waiting), {@code busy} running an invocation after init, {@code idle} warm and
     * waiting for one.
     */
    record Phases(int starting, int busy, int idle) {
        public static final Phases NONE = new Phases(0, 0, 0);

        public Phases plus(Phases other) {
            return new Phases(starting + other.starting, busy + other.busy, idle + other.idle);
        }
    }

    /**
     * A version's provisioned concurrency: {@code requested} environments configured, {@code ready} of them
     * initialised, {@code busy} of those running an invocation.
     */
    record Provisioned(int requested, int ready, int busy) {
        public static final Provisioned NONE = new Provisioned(0, 0, 0);
    }

    /**
     * @param concurrentExecutions invocations running in the version's environments (a cold start's init included),
     *     as AWS counts ConcurrentExecutions
     */
    record VersionEnvironments(String functionName, String version, Phases phases, int concurrentExecutions,
            Provisioned provisioned) {}
}
