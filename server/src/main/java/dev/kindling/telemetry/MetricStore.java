package dev.kindling.telemetry;

import dev.kindling.store.MetricMinuteRecord;
import dev.kindling.store.MetricRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudWatch's metrics, kept per metric, unit and minute (docs/metrics.md): what GetMetricData, GetMetricStatistics
 * and ListMetrics read. Values are summed in memory as they are recorded (one short lock, no I/O on the invoke path)
 * and added to the store every {@code flushInterval} and at close; reads combine the store with what is not written
 * yet, so a value counts as soon as it is recorded. Minutes older than {@code retention} are deleted.
 */
public final class MetricStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricStore.class);
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(10);
    /** Minutes written per transaction: a few milliseconds of the database each. */
    static final int FLUSH_CHUNK = 100;
    /** How long AWS keeps 1-minute datapoints: the default retention. */
    public static final Duration AWS_RETENTION = Duration.ofDays(15);

    private final MetricRepository repository;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    /** Held to read (store and pending together) or to flush, so a flushed minute is never counted twice. */
    private final ReadWriteLock flushing = new ReentrantReadWriteLock();
    /** Recorded and not yet flushed; guarded by {@code this}. */
    private Map<Pending, MinuteStats> pending = new HashMap<>();

    private record Pending(MetricKey key, String unit, long minuteStart) {}

    /** One period's statistics, in the unit of the values recorded in it. */
    public record Datapoint(Instant start, MinuteStats stats, String unit) {}

    /** A metric and the units it was recorded in. */
    public record Metric(MetricKey key, Set<String> units) {}

    /** @throws IllegalArgumentException for a retention under a day (the server's --metric-retention-days) */
    public MetricStore(MetricRepository repository, Duration retention, Duration flushInterval, Clock clock) {
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("metrics must be kept at least a day (--metric-retention-days), not "
                    + retention);
        }
        this.repository = repository;
        this.retention = retention;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("metric-store").factory());
        timer.scheduleWithFixedDelay(this::flushAndPurge, flushInterval.toMillis(), flushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Runs {@code sampler} every second on the store's thread (to record a gauge such as ConcurrentExecutions). */
    public void sampleEverySecond(Runnable sampler) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                sampler.run();
            } catch (RuntimeException e) {
                LOG.warn("metric sampler failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Records one value of {@code key} at {@code at}. */
    public void record(MetricKey key, String unit, Instant at, double value) {
        record(key, unit, at, value, 1);
    }

    /** Records one value under each of {@code keys} (one metric under several dimension sets), in one lock. */
    public void record(List<MetricKey> keys, String unit, Instant at, double value) {
        long minute = minuteOf(at);
        synchronized (this) {
            for (MetricKey key : keys) {
                pending.computeIfAbsent(new Pending(key, unit, minute), m -> new MinuteStats()).add(value, 1);
            }
        }
    }

    /** Records {@code count} samples of {@code value}. */
    public void record(MetricKey key, String unit, Instant at, double value, double count) {
        Pending minute = new Pending(key, unit, minuteOf(at));
        synchronized (this) {
            pending.computeIfAbsent(minute, m -> new MinuteStats()).add(value, count);
        }
    }

    /** Records a statistic set (a count, sum, minimum and maximum of values not given one by one). */
    public void recordSet(MetricKey key, String unit, Instant at, double count, double sum, double minimum,
            double maximum) {
        Pending minute = new Pending(key, unit, minuteOf(at));
        synchronized (this) {
            pending.computeIfAbsent(minute, m -> new MinuteStats()).addSet(count, sum, minimum, maximum);
        }
    }

    /**
     * The statistics of {@code key} in each period of {@code periodSeconds} from {@code start} (rounded down to its
     * minute) to {@code end}, for the periods that hold values, oldest first; of one unit only if {@code unit} says.
     */
    public List<Datapoint> statistics(MetricKey key, Optional<String> unit, Instant start, Instant end,
            int periodSeconds) {
        long from = minuteOf(start);
        long to = end.getEpochSecond();
        TreeMap<Long, Datapoint> periods = new TreeMap<>();
        flushing.readLock().lock();
        try {
            for (MetricMinuteRecord minute : repository.between(key.namespace(), key.metricName(),
                    key.dimensionsText(), from, to)) {
                if (unit.isEmpty() || unit.get().equals(minute.series().unit())) {
                    add(periods, from, periodSeconds, minute.minuteStart(), minute.series().unit(),
                            statsOf(minute.summary()));
                }
            }
            synchronized (this) {
                pending.forEach((p, stats) -> {
                    if (p.key().equals(key) && p.minuteStart() >= from && p.minuteStart() < to
                            && (unit.isEmpty() || unit.get().equals(p.unit()))) {
                        add(periods, from, periodSeconds, p.minuteStart(), p.unit(), copy(stats));
                    }
                });
            }
        } finally {
            flushing.readLock().unlock();
        }
        return List.copyOf(periods.values());
    }

    /** The metrics with values since {@code since}, of one namespace and name if given, sorted. */
    public List<Metric> metrics(Optional<String> namespace, Optional<String> metricName, Instant since) {
        long from = minuteOf(since);
        Map<String, Metric> found = new TreeMap<>();
        flushing.readLock().lock();
        try {
            for (MetricMinuteRecord.Series series : repository.series(namespace, metricName, from)) {
                MetricKey key = new MetricKey(series.namespace(), series.metricName(),
                        MetricKey.dimensionsOf(series.dimensions()));
                add(found, key, series.unit());
            }
            synchronized (this) {
                pending.keySet().forEach(p -> {
                    if (p.minuteStart() >= from && namespace.map(p.key().namespace()::equals).orElse(true)
                            && metricName.map(p.key().metricName()::equals).orElse(true)) {
                        add(found, p.key(), p.unit());
                    }
                });
            }
        } finally {
            flushing.readLock().unlock();
        }
        return List.copyOf(found.values());
    }

    /**
     * Writes what is pending to the store, {@link #FLUSH_CHUNK} minutes to a transaction, so that the database's
     * other writers (an asynchronous event being accepted) wait for one chunk at most, not for the whole flush.
     */
    public void flush() {
        flushing.writeLock().lock();
        try {
            List<Map.Entry<Pending, MinuteStats>> batch;
            synchronized (this) {
                batch = new ArrayList<>(pending.entrySet());
                pending = new HashMap<>();
            }
            for (int from = 0; from < batch.size(); from += FLUSH_CHUNK) {
                List<Map.Entry<Pending, MinuteStats>> chunk = batch.subList(from, Math.min(batch.size(),
                        from + FLUSH_CHUNK));
                try {
                    repository.add(chunk.stream().map(MetricStore::recordOf).toList(), (stored, added) -> {
                        MinuteStats sum = statsOf(stored);
                        sum.addAll(statsOf(added));
                        return summaryOf(sum);
                    });
                } catch (RuntimeException e) {
                    keep(batch.subList(from, batch.size())); // this chunk and the rest were not written
                    throw e;
                }
            }
        } finally {
            flushing.writeLock().unlock();
        }
    }

    /** Puts minutes that could not be written back among the pending ones, for the next flush. */
    private synchronized void keep(List<Map.Entry<Pending, MinuteStats>> unwritten) {
        unwritten.forEach(entry -> pending.merge(entry.getKey(), entry.getValue(), (a, b) -> {
            a.addAll(b);
            return a;
        }));
    }

    private static MetricMinuteRecord recordOf(Map.Entry<Pending, MinuteStats> minute) {
        Pending p = minute.getKey();
        return new MetricMinuteRecord(new MetricMinuteRecord.Series(p.key().namespace(), p.key().metricName(),
                p.key().dimensionsText(), p.unit()), p.minuteStart(), summaryOf(minute.getValue()));
    }

    /** Deletes the minutes older than the retention. */
    public void purge() {
        repository.deleteBefore(minuteOf(clock.instant().minus(retention)));
    }

    private void flushAndPurge() {
        try {
            flush();
            purge();
        } catch (RuntimeException e) {
            LOG.warn("could not write metrics; they stay in memory until the next flush", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    private static void add(TreeMap<Long, Datapoint> periods, long from, int periodSeconds, long minuteStart,
            String unit, MinuteStats stats) {
        long periodStart = from + (minuteStart - from) / periodSeconds * periodSeconds;
        Datapoint existing = periods.get(periodStart);
        if (existing == null) {
            periods.put(periodStart, new Datapoint(Instant.ofEpochSecond(periodStart), stats, unit));
        } else {
            existing.stats().addAll(stats);
        }
    }

    private static void add(Map<String, Metric> found, MetricKey key, String unit) {
        String name = key.namespace() + "\n" + key.metricName() + "\n" + key.dimensionsText();
        found.computeIfAbsent(name, n -> new Metric(key, new LinkedHashSet<>())).units().add(unit);
    }

    private static long minuteOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60) * 60;
    }

    private static MinuteStats copy(MinuteStats stats) {
        MinuteStats copy = new MinuteStats();
        copy.addAll(stats);
        return copy;
    }

    private static MinuteStats statsOf(MetricMinuteRecord.Summary summary) {
        return MinuteStats.stored(summary.sampleCount(), summary.sum(), summary.minimum(), summary.maximum(),
                summary.histogram());
    }

    private static MetricMinuteRecord.Summary summaryOf(MinuteStats stats) {
        return new MetricMinuteRecord.Summary(stats.sampleCount(), stats.sum(), stats.minimum(), stats.maximum(),
                stats.histogramText());
    }
}
