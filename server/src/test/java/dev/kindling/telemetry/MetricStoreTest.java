package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.store.Database;
import dev.kindling.store.SqlMetricRepository;
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

/**
 * The metric store over a real SQLite database: minutes combined across flushes without counting twice, periods,
 * units, a restart, and the retention. Flushes are called by hand (the timer's interval is an hour here).
 */
class MetricStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final MetricKey KEY = MetricKey.of("App", "Latency", new MetricDimension("Service", "a"));

    private final Path dir = tempDir();
    private Database database = Database.openSqlite(dir.resolve("kindling.db"));
    private MetricStore store = open(Duration.ofDays(15));

    private MetricStore open(Duration retention) {
        return new MetricStore(new SqlMetricRepository(database), retention, Duration.ofHours(1),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        database.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private List<MetricStore.Datapoint> read(int periodSeconds) {
        return store.statistics(KEY, Optional.empty(), T0, T0.plus(Duration.ofMinutes(10)), periodSeconds);
    }

    @Test
    void aMinuteIsCombinedAcrossFlushesAndCountedOnce() {
        store.record(KEY, "Milliseconds", T0.plusSeconds(5), 10);
        store.flush();
        store.record(KEY, "Milliseconds", T0.plusSeconds(50), 30);
        assertThat(read(60)).singleElement().satisfies(p -> {
            assertThat(p.stats().sampleCount()).as("one stored, one pending").isEqualTo(2);
            assertThat(p.stats().sum()).isEqualTo(40);
        });
        store.flush();
        store.flush();
        assertThat(read(60)).singleElement().satisfies(p -> {
            assertThat(p.stats().sampleCount()).isEqualTo(2);
            assertThat(p.stats().minimum()).isEqualTo(10);
            assertThat(p.stats().maximum()).isEqualTo(30);
            assertThat(p.stats().percentile(100)).hasValue(30);
        });
    }

    @Test
    void aFlushWritesEveryChunk() {
        for (int i = 0; i < MetricStore.FLUSH_CHUNK * 2 + 50; i++) {
            store.record(MetricKey.of("Chunked", "M" + i), "Count", T0, i);
        }
        store.flush();
        assertThat(store.metrics(Optional.of("Chunked"), Optional.empty(), T0)).hasSize(250);
        store.flush(); // nothing pending: nothing written twice
        assertThat(store.statistics(MetricKey.of("Chunked", "M249"), Optional.empty(), T0, T0.plusSeconds(60), 60))
                .singleElement().satisfies(p -> assertThat(p.stats().sum()).isEqualTo(249));
    }

    @Test
    void periodsGatherMinutesAndUnitsFilter() {
        for (int minute = 0; minute < 6; minute++) {
            store.record(KEY, "Milliseconds", T0.plus(Duration.ofMinutes(minute)), minute);
        }
        store.record(KEY, "Seconds", T0, 100);
        assertThat(read(60)).hasSize(6);
        assertThat(read(300)).extracting(p -> p.stats().sampleCount()).containsExactly(6.0, 1.0);
        assertThat(store.statistics(KEY, Optional.of("Seconds"), T0, T0.plusSeconds(600), 600))
                .singleElement().satisfies(p -> assertThat(p.stats().sum()).isEqualTo(100));
        assertThat(store.metrics(Optional.of("App"), Optional.empty(), T0)).singleElement()
                .satisfies(m -> assertThat(m.units()).containsExactlyInAnyOrder("Milliseconds", "Seconds"));
    }

    @Test
    void minutesSurviveARestartAndAgeOutAfterTheRetention() throws Exception {
        store.record(KEY, "Count", T0.minus(Duration.ofDays(20)), 1);
        store.record(KEY, "Count", T0, 1);
        store.close(); // flushes
        database.close();
        database = Database.openSqlite(dir.resolve("kindling.db"));
        store = open(Duration.ofDays(15));
        assertThat(read(60)).hasSize(1);
        assertThat(store.metrics(Optional.empty(), Optional.empty(), T0.minus(Duration.ofDays(30)))).hasSize(1);
        store.purge();
        assertThat(store.statistics(KEY, Optional.empty(), T0.minus(Duration.ofDays(21)), T0.plusSeconds(60),
                86_400)).as("the old minute is gone, today's stays").singleElement()
                .satisfies(p -> assertThat(p.stats().sum()).isEqualTo(1));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("metric-store");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
