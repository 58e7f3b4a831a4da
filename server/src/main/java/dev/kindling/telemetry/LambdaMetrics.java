package dev.kindling.telemetry;

import dev.kindling.store.Capacity;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    /** The keys an invocation is recorded under, made once per function, version and qualifier. */
    private final Map<Invoked, InvocationKeys> keys = new ConcurrentHashMap<>();

    private record Invoked(String functionName, String version, Optional<String> qualifier) {}

    /** Invocations, Errors and Duration under each of AWS's dimension sets for one kind of invocation. */
    private record InvocationKeys(List<MetricKey> invocations, List<MetricKey> errors, List<MetricKey> duration,
            List<MetricKey> provisionedInvocations) {
        static InvocationKeys of(Invoked invoked) {
            List<List<MetricDimension>> sets = dimensionSets(invoked.functionName(), invoked.version(),
                    invoked.qualifier());
            return new InvocationKeys(keys("Invocations", sets), keys("Errors", sets), keys("Duration", sets),
                    keys("ProvisionedConcurrencyInvocations", sets));
        }

        private static List<MetricKey> keys(String metric, List<List<MetricDimension>> sets) {
            return sets.stream().map(dimensions -> key(metric, dimensions)).toList();
        }
    }

    public LambdaMetrics(MetricStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * An invocation ended: Invocations, Errors (0 or 1, as AWS records both), Duration, and
     * ProvisionedConcurrencyInvocations when a provisioned environment ran it.
     */
    public void invoked(InvocationReport report) {
        Invoked invoked = new Invoked(report.functionName(), report.version(), report.qualifier());
        InvocationKeys found = keys.get(invoked);
        if (found == null) {
            found = keys.computeIfAbsent(invoked, InvocationKeys::of);
        }
        Instant at = report.endedAt();
        store.record(found.invocations(), COUNT, at, 1);
        store.record(found.errors(), COUNT, at, report.functionError() ? 1 : 0);
        store.record(found.duration(), MILLISECONDS, at, report.durationMillis());
        if (report.capacity() == Capacity.PROVISIONED) {
            store.record(found.provisionedInvocations(), COUNT, at, 1);
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

    /** An attempt at an asynchronous event runs {@code ageMillis} after the event was accepted. */
    public void asyncEventAge(String functionName, long ageMillis) {
        recordPerFunction("AsyncEventAge", functionName, MILLISECONDS, Math.max(0, ageMillis));
    }

    /** An invocation record could not be sent to its destination. */
    public void destinationDeliveryFailed(String functionName) {
        recordPerFunction("DestinationDeliveryFailures", functionName, COUNT, 1);
    }

    /** A failed event could not be sent to its dead-letter queue. */
    public void deadLetterError(String functionName) {
        recordPerFunction("DeadLetterErrors", functionName, COUNT, 1);
    }

    /**
     * Records each function's running invocations (a sample of ConcurrentExecutions, whose Maximum per minute is
     * the figure AWS publishes) by function, by published version ({@code Resource=name:version}) and for the
     * account; and for each version with provisioned concurrency, ProvisionedConcurrentExecutions and
     * ProvisionedConcurrencyUtilization. Versions with nothing running and no provisioned concurrency record nothing.
     */
    public void concurrency(EnvironmentCensus census) {
        Instant at = clock.instant();
        Map<String, Integer> byFunction = new HashMap<>();
        for (EnvironmentCensus.VersionEnvironments version : census.count()) {
            MetricDimension function = new MetricDimension("FunctionName", version.functionName());
            MetricDimension resource = new MetricDimension("Resource",
                    version.functionName() + ":" + version.version());
            if (version.concurrentExecutions() > 0) {
                byFunction.merge(version.functionName(), version.concurrentExecutions(), Integer::sum);
                if (!version.version().equals("$LATEST")) {
                    store.record(key("ConcurrentExecutions", List.of(function, resource)), COUNT, at,
                            version.concurrentExecutions());
                }
            }
            EnvironmentCensus.Provisioned provisioned = version.provisioned();
            if (provisioned.requested() > 0) {
                store.record(key("ProvisionedConcurrentExecutions", List.of(function, resource)), COUNT, at,
                        provisioned.busy());
                store.record(key("ProvisionedConcurrencyUtilization", List.of(function, resource)), "None", at,
                        (double) provisioned.busy() / provisioned.requested());
            }
        }
        if (byFunction.isEmpty()) {
            return;
        }
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

    static MetricKey key(String metric, List<MetricDimension> dimensions) {
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
