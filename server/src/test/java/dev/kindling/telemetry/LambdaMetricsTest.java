package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.store.Capacity;
import dev.kindling.store.Database;
import dev.kindling.store.SqlMetricRepository;
import dev.kindling.telemetry.EnvironmentCensus.Phases;
import dev.kindling.telemetry.EnvironmentCensus.Provisioned;
import dev.kindling.telemetry.EnvironmentCensus.VersionEnvironments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AWS/Lambda's concurrency and provisioned-concurrency metrics from a census and reports given by hand. */
class LambdaMetricsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:30Z");
    private final Path dir = tempDir();
    private final Database database = Database.openSqlite(dir.resolve("kindling.db"));
    private final MetricStore store = new MetricStore(new SqlMetricRepository(database), Duration.ofDays(15),
            Duration.ofHours(1), Clock.fixed(T0, ZoneOffset.UTC));
    private final LambdaMetrics metrics = new LambdaMetrics(store, Clock.fixed(T0, ZoneOffset.UTC));

    @AfterEach
    void close() throws Exception {
        store.close();
        database.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private double maximum(String metric, MetricDimension... dimensions) {
        List<MetricStore.Datapoint> points = store.statistics(MetricKey.of("AWS/Lambda", metric, dimensions),
                Optional.empty(), T0.minusSeconds(60), T0.plusSeconds(60), 120);
        assertThat(points).as(metric).hasSize(1);
        return points.getFirst().stats().maximum();
    }

    @Test
    void concurrencyIsSampledByFunctionVersionAndAccount() {
        Provisioned none = Provisioned.NONE;
        metrics.concurrency(() -> List.of(
                new VersionEnvironments("f", "$LATEST", new Phases(0, 1, 0), 1, none),
                new VersionEnvironments("f", "2", new Phases(0, 1, 3), 1, new Provisioned(4, 4, 1)),
                new VersionEnvironments("g", "$LATEST", new Phases(0, 0, 1), 0, none)));
        metrics.concurrency(() -> List.of(
                new VersionEnvironments("f", "2", new Phases(0, 3, 1), 3, new Provisioned(4, 4, 3))));
        MetricDimension f = new MetricDimension("FunctionName", "f");
        MetricDimension version2 = new MetricDimension("Resource", "f:2");
        assertThat(maximum("ConcurrentExecutions", f)).isEqualTo(3);
        assertThat(maximum("ConcurrentExecutions", f, version2)).isEqualTo(3);
        assertThat(maximum("ConcurrentExecutions")).as("the account").isEqualTo(3);
        assertThat(maximum("ProvisionedConcurrentExecutions", f, version2)).isEqualTo(3);
        assertThat(maximum("ProvisionedConcurrencyUtilization", f, version2)).isEqualTo(0.75);
        assertThat(store.metrics(Optional.empty(), Optional.empty(), T0.minusSeconds(60)))
                .as("g ran nothing: no series").noneMatch(m -> m.key().dimensions()
                        .contains(new MetricDimension("FunctionName", "g")));
    }

    @Test
    void provisionedEnvironmentsInvocationsAreCounted() {
        metrics.invoked(new InvocationReport("f", "2", "x86_64", 128, T0, 5, -1, 10, false, Capacity.PROVISIONED,
                Optional.of("live")));
        metrics.invoked(new InvocationReport("f", "2", "x86_64", 128, T0, 5, -1, 10, false, Capacity.ON_DEMAND,
                Optional.of("live")));
        MetricDimension f = new MetricDimension("FunctionName", "f");
        List<MetricStore.Datapoint> points = store.statistics(MetricKey.of("AWS/Lambda",
                "ProvisionedConcurrencyInvocations", f, new MetricDimension("Resource", "f:live")), Optional.empty(),
                T0.minusSeconds(60), T0.plusSeconds(60), 120);
        assertThat(points).singleElement().satisfies(p -> assertThat(p.stats().sum()).isEqualTo(1));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lambda-metrics");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
