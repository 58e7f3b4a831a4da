package dev.kindling.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts invocations per function version as AWS's metrics do (Invocations, Errors, Throttles, Duration) and cold
 * starts with their init duration (docs/metrics.md), for Prometheus and, through {@link LambdaMetrics}, for
 * CloudWatch's API. Told of each invocation by the invoker, on the invoke path: a version's meters are registered once
 * and then found by two map lookups, with nothing allocated.
 */
public final class InvocationMetrics implements InvocationObserver {
    /** Duration buckets, from a warm no-op (under 1 ms) to AWS's longest timeout (15 min). */
    private static final Duration[] DURATION_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000, 60_000, 300_000, 900_000);
    /** Init buckets, from a custom runtime's few milliseconds to AWS's 10 s init limit and the retry after it. */
    private static final Duration[] INIT_BUCKETS = millis(10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000,
            30_000);

    private final MeterRegistry registry;
    private final LambdaMetrics cloudWatch;
    /** Function name to version to its meters. */
    private final Map<String, Map<String, VersionMeters>> meters = new ConcurrentHashMap<>();

    public InvocationMetrics(MeterRegistry registry, LambdaMetrics cloudWatch) {
        this.registry = registry;
        this.cloudWatch = cloudWatch;
    }

    private record VersionMeters(Counter invocations, Counter errors, Counter throttles, Timer duration,
            Counter coldStarts, Timer initDuration) {}

    @Override
    public void invoked(InvocationReport report) {
        VersionMeters version = of(report.functionName(), report.version());
        version.invocations().increment();
        if (report.functionError()) {
            version.errors().increment();
        }
        version.duration().record((long) (report.durationMillis() * 1e6), TimeUnit.NANOSECONDS);
        if (report.coldStart()) {
            version.coldStarts().increment();
            version.initDuration().record((long) (report.initDurationMillis() * 1e6), TimeUnit.NANOSECONDS);
        }
        cloudWatch.invoked(report);
    }

    @Override
    public void throttled(String functionName, String version) {
        of(functionName, version).throttles().increment();
        cloudWatch.throttled(functionName, version);
    }


    private VersionMeters of(String functionName, String version) {
        Map<String, VersionMeters> versions = meters.get(functionName);
        VersionMeters found = versions == null ? null : versions.get(version);
        if (found != null) {
            return found;
        }
        return meters.computeIfAbsent(functionName, name -> new ConcurrentHashMap<>())
                .computeIfAbsent(version, v -> register(functionName, v));
    }

    private VersionMeters register(String functionName, String version) {
        Tags tags = Tags.of("function", functionName, "version", version);
        return new VersionMeters(
                Counter.builder("kindling.invocations").tags(tags)
                        .description("Invocations that ran, failed ones included (AWS/Lambda Invocations)")
                        .register(registry),
                Counter.builder("kindling.errors").tags(tags)
                        .description("Invocations the function failed: an error, a timeout, a crash (AWS/Lambda Errors)")
                        .register(registry),
                Counter.builder("kindling.throttles").tags(tags)
                        .description("Invocations refused for want of concurrency (AWS/Lambda Throttles)")
                        .register(registry),
                Timer.builder("kindling.duration").tags(tags).serviceLevelObjectives(DURATION_BUCKETS)
                        .description("Time the function spent on each invocation, init excluded (AWS/Lambda Duration)")
                        .register(registry),
                Counter.builder("kindling.cold.starts").tags(tags)
                        .description("Invocations that started a new environment (REPORT lines with Init Duration)")
                        .register(registry),
                Timer.builder("kindling.init.duration").tags(tags).serviceLevelObjectives(INIT_BUCKETS)
                        .description("Init phase of each cold start (REPORT's Init Duration)")
                        .register(registry));
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }
}
