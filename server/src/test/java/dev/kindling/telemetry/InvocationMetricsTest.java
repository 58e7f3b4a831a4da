package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.telemetry.EnvironmentCensus.Phases;
import dev.kindling.telemetry.EnvironmentCensus.Provisioned;
import dev.kindling.telemetry.EnvironmentCensus.VersionEnvironments;
import dev.kindling.store.Database;
import dev.kindling.store.SqlMetricRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics' names, labels and values as scraped, from invocation reports and a census given by hand. */
class InvocationMetricsTest {
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final Path dir = createTempDirectory();
    private final Database database = Database.openSqlite(dir.resolve("kindling.db"));
    private final MetricStore store = new MetricStore(new SqlMetricRepository(database), MetricStore.AWS_RETENTION,
            MetricStore.FLUSH_INTERVAL, Clock.systemUTC());
    private final InvocationMetrics invocations = new InvocationMetrics(metrics.registry(),
            new LambdaMetrics(store, Clock.systemUTC()));
    private final List<VersionEnvironments> census = new ArrayList<>();

    InvocationMetricsTest() {
        metrics.refreshBeforeScrape(new EnvironmentMetrics(metrics.registry(), () -> List.copyOf(census))::refresh);
    }

    @AfterEach
    void close() throws Exception {
        metrics.close();
        store.close();
        database.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The report as if the alias {@code live} had been invoked. */
    private static InvocationReport viaAlias(InvocationReport r) {
        return new InvocationReport(r.functionName(), r.version(), r.architecture(), r.memoryMb(), r.endedAt(),
                r.durationMillis(), r.initDurationMillis(), r.maxMemoryUsedMb(), r.functionError(), r.capacity(),
                java.util.Optional.of("live"));
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("invocation-metrics");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void recordsTheSameInvocationsForCloudWatch() {
        invocations.invoked(viaAlias(report("1", 20, -1, false)));
        invocations.invoked(viaAlias(report("1", 40, -1, true)));
        invocations.throttled("f", "1");
        MetricKey byFunction = MetricKey.of("AWS/Lambda", "Invocations", new MetricDimension("FunctionName", "f"));
        List<MetricStore.Datapoint> points = store.statistics(byFunction, java.util.Optional.empty(),
                Instant.EPOCH.minusSeconds(60), Instant.EPOCH.plusSeconds(60), 60);
        assertThat(points).singleElement().satisfies(p -> assertThat(p.stats().sum()).isEqualTo(2));
        MetricKey errors = MetricKey.of("AWS/Lambda", "Errors", new MetricDimension("FunctionName", "f"),
                new MetricDimension("Resource", "f:live"), new MetricDimension("ExecutedVersion", "1"));
        assertThat(store.statistics(errors, java.util.Optional.empty(), Instant.EPOCH, Instant.EPOCH.plusSeconds(60),
                60)).singleElement().satisfies(p -> {
                    assertThat(p.stats().sum()).isEqualTo(1);
                    assertThat(p.stats().sampleCount()).isEqualTo(2);
                });
        MetricKey duration = MetricKey.of("AWS/Lambda", "Duration");
        assertThat(store.statistics(duration, java.util.Optional.empty(), Instant.EPOCH, Instant.EPOCH.plusSeconds(60),
                60)).singleElement().satisfies(p -> {
                    assertThat(p.unit()).isEqualTo("Milliseconds");
                    assertThat(p.stats().maximum()).isEqualTo(40);
                    assertThat(p.stats().average()).isEqualTo(30);
                });
        MetricKey throttles = MetricKey.of("AWS/Lambda", "Throttles", new MetricDimension("FunctionName", "f"));
        assertThat(store.metrics(java.util.Optional.of("AWS/Lambda"), java.util.Optional.of("Throttles"),
                Instant.EPOCH.minusSeconds(3600)).stream().map(MetricStore.Metric::key)).contains(throttles);
    }

    private static InvocationReport report(String version, double durationMillis, double initMillis, boolean error) {
        return new InvocationReport("f", version, "x86_64", 128, Instant.EPOCH, durationMillis, initMillis, 10, error,
                dev.kindling.store.Capacity.ON_DEMAND);
    }

    @Test
    void countsPerFunctionVersion() {
        invocations.invoked(report("$LATEST", 2.0, 40.0, false));
        invocations.invoked(report("$LATEST", 3.0, -1, true));
        invocations.invoked(report("1", 700.0, -1, false));
        invocations.throttled("f", "1");

        String text = metrics.scrape();
        assertThat(text).contains(
                "kindling_invocations_total{function=\"f\",version=\"$LATEST\"} 2",
                "kindling_errors_total{function=\"f\",version=\"$LATEST\"} 1",
                "kindling_errors_total{function=\"f\",version=\"1\"} 0",
                "kindling_throttles_total{function=\"f\",version=\"1\"} 1",
                "kindling_cold_starts_total{function=\"f\",version=\"$LATEST\"} 1",
                "kindling_init_duration_seconds_count{function=\"f\",version=\"$LATEST\"} 1",
                "kindling_init_duration_seconds_sum{function=\"f\",version=\"$LATEST\"} 0.04",
                "kindling_duration_seconds_count{function=\"f\",version=\"$LATEST\"} 2",
                "kindling_duration_seconds_bucket{function=\"f\",version=\"$LATEST\",le=\"0.001\"} 0",
                "kindling_duration_seconds_bucket{function=\"f\",version=\"$LATEST\",le=\"0.005\"} 2",
                "kindling_duration_seconds_bucket{function=\"f\",version=\"1\",le=\"0.5\"} 0",
                "kindling_duration_seconds_bucket{function=\"f\",version=\"1\",le=\"1.0\"} 1");
    }

    @Test
    void environmentGaugesFollowTheCensusAndDropVersionsThatAreGone() {
        census.add(new VersionEnvironments("f", "1", new Phases(1, 2, 1), 2, new Provisioned(4, 3, 1)));
        census.add(new VersionEnvironments("g", "$LATEST", new Phases(0, 1, 3), 1, Provisioned.NONE));
        String text = metrics.scrape();
        assertThat(text).contains(
                "kindling_environments{state=\"starting\"} 1",
                "kindling_environments{state=\"busy\"} 3",
                "kindling_environments{state=\"idle\"} 4",
                "kindling_concurrent_executions{function=\"f\",version=\"1\"} 2",
                "kindling_concurrent_executions{function=\"g\",version=\"$LATEST\"} 1",
                "kindling_provisioned_concurrent_executions{function=\"f\",version=\"1\"} 1",
                "kindling_provisioned_concurrency_utilization{function=\"f\",version=\"1\"} 0.25",
                "kindling_provisioned_concurrency_requested{function=\"f\",version=\"1\"} 4",
                "kindling_provisioned_concurrency_ready{function=\"f\",version=\"1\"} 3");
        assertThat(text).doesNotContain("kindling_provisioned_concurrency_requested{function=\"g\"");

        census.clear();
        assertThat(metrics.scrape()).contains("kindling_environments{state=\"idle\"} 0")
                .doesNotContain("kindling_concurrent_executions{");
    }
}
