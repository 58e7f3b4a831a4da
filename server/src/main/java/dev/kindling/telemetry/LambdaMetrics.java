package dev.kindling.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records the metrics AWS publishes in the {@code AWS/Lambda} namespace, with AWS's names, units and dimension
 * sets, into the {@link MetricStore} that CloudWatch's API reads. Each value is recorded under every dimension set
 * AWS gives it: none (the account's figure), {@code FunctionName}, {@code FunctionName,Resource} (the function, or
 * {@code name:qualifier} when an alias or version was invoked) and {@code FunctionName,Resource,ExecutedVersion} (a
 * published version that ran). Told by {@link InvocationMetrics} and {@link AsyncEventMetrics}, where the Prometheus
 * meters are updated, so one place counts both.
 */
public final class LambdaMetrics {
    public static final String NAMESPACE = "AWS/Lambda";
    private static final String COUNT = "Count";
    private static final String MILLISECONDS = "Milliseconds";

    private final MetricStore store;
    private final Clock clock;

    public LambdaMetrics(MetricStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** An invocation ended: Invocations, Errors (0 or 1, as AWS records both), Duration. */
    public void invoked(InvocationReport report) {
        Instant at = report.endedAt();
        for (List<MetricDimension> dimensions : dimensionSets(report.functionName(), report.version(),
                report.qualifier())) {
            store.record(key("Invocations", dimensions), COUNT, at, 1);
            store.record(key("Errors", dimensions), COUNT, at, report.functionError() ? 1 : 0);
            store.record(key("Duration", dimensions), MILLISECONDS, at, report.durationMillis());
        }
    }

    /** An invocation was refused for want of concurrency. */
    public void throttled(String functionName, String version) {
        Instant at = clock.instant();
        Optional<String> qualifier = version.equals("$LATEST") ? Optional.empty() : Optional.of(version);
        for (List<MetricDimension> dimensions : dimensionSets(functionName, version, qualifier)) {
            store.record(key("Throttles", dimensions), COUNT, at, 1);
        }
    }

    /** An asynchronous event was accepted. */
    public void asyncEventReceived(String functionName) {
        recordPerFunction("AsyncEventsReceived", functionName, COUNT, 1);
    }

    /** An asynchronous event was given up. */
    public void asyncEventDropped(String functionName) {
        recordPerFunction("AsyncEventsDropped", functionName, COUNT, 1);
    }

    /**
     * Records each function's running invocations (a sample of ConcurrentExecutions, whose Maximum per minute is
     * the figure AWS publishes), and the account's total; versions without invocations running record nothing.
     */
    public void concurrency(EnvironmentCensus census) {
        Map<String, Integer> byFunction = new HashMap<>();
        for (EnvironmentCensus.VersionEnvironments version : census.count()) {
            if (version.concurrentExecutions() > 0) {
                byFunction.merge(version.functionName(), version.concurrentExecutions(), Integer::sum);
            }
        }
        if (byFunction.isEmpty()) {
            return;
        }
        Instant at = clock.instant();
        byFunction.forEach((function, running) -> store.record(key("ConcurrentExecutions",
                List.of(new MetricDimension("FunctionName", function))), COUNT, at, running));
        store.record(key("ConcurrentExecutions", List.of()), COUNT, at,
                byFunction.values().stream().mapToInt(Integer::intValue).sum());
    }

    private void recordPerFunction(String metric, String functionName, String unit, double value) {
        Instant at = clock.instant();
        store.record(key(metric, List.of()), unit, at, value);
        store.record(key(metric, List.of(new MetricDimension("FunctionName", functionName))), unit, at, value);
    }

    private static MetricKey key(String metric, List<MetricDimension> dimensions) {
        return new MetricKey(NAMESPACE, metric, dimensions);
    }

    /** The dimension sets AWS records an invocation's values under. */
    static List<List<MetricDimension>> dimensionSets(String functionName, String version, Optional<String> qualifier) {
        MetricDimension function = new MetricDimension("FunctionName", functionName);
        MetricDimension resource = new MetricDimension("Resource",
                qualifier.map(q -> functionName + ":" + q).orElse(functionName));
        if (version.equals("$LATEST")) {
            return List.of(List.of(), List.of(function), List.of(function, resource));
        }
        return List.of(List.of(), List.of(function), List.of(function, resource),
                List.of(function, resource, new MetricDimension("ExecutedVersion", version)));
    }
}
