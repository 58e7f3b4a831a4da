package dev.kindling.telemetry;

import dev.kindling.store.Capacity;
import dev.kindling.store.UsageRecord;
import dev.kindling.store.UsageRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Meters every invocation as AWS bills it (one request, and its billed milliseconds times its memory) and the
 * provisioned concurrency configured over time, summed in memory by hour, function version, architecture, memory and
 * capacity, and written to the store in one transaction per flush: every {@code flushInterval} and at close. The
 * invoke path pays one map merge per invocation; a kill -9 loses at most the last flush interval's usage.
 *
 * <p>Provisioned concurrency is sampled every second: a configuration counts from the first sample that sees it to
 * the last one, measured to the millisecond while the server runs.
 */
public final class UsageMeter implements InvocationObserver, UsageSource, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UsageMeter.class);
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(10);
    private static final Duration PROVISIONED_SAMPLE = Duration.ofSeconds(1);

    private final UsageRepository repository;
    private final ProvisionedCapacity provisioned;
    private final Clock clock;
    /** Usage not written yet. Invocations merge into it; a flush removes each key it writes. */
    private final Map<UsageRecord.Key, UsageRecord.Amounts> pending = new ConcurrentHashMap<>();
    /** Held while a flush moves usage from {@link #pending} to the store, and while both are read together. */
    private final ReentrantLock flushing = new ReentrantLock();
    private final ScheduledExecutorService timer;
    /** Until when provisioned concurrency has been counted; touched by the timer thread and at close only. */
    private Instant provisionedCountedUntil;

    public UsageMeter(UsageRepository repository, ProvisionedCapacity provisioned, Clock clock,
            Duration flushInterval) {
        this.repository = repository;
        this.provisioned = provisioned;
        this.clock = clock;
        this.provisionedCountedUntil = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("usage-meter").factory());
        timer.scheduleWithFixedDelay(this::countProvisioned, PROVISIONED_SAMPLE.toMillis(),
                PROVISIONED_SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::flushQuietly, flushInterval.toMillis(), flushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void invoked(InvocationReport report) {
        UsageRecord.Key key = new UsageRecord.Key(hourOf(report.endedAt()), report.functionName(), report.version(),
                report.architecture(), report.memoryMb(), report.capacity());
        pending.merge(key, UsageRecord.Amounts.invocation(report.billedDurationMillis(), report.memoryMb()),
                UsageRecord.Amounts::plus);
    }

    /** AWS bills nothing for a throttled invocation. */
    @Override
    public void throttled(String functionName, String version) {}

    /** The stored usage and what is not written yet, read together so that a flush in between counts nothing twice. */
    @Override
    public List<UsageRecord> between(Instant from, Instant to) {
        flushing.lock();
        try {
            List<UsageRecord> all = new ArrayList<>(repository.between(from, to));
            pending.forEach((key, amounts) -> {
                if (!key.hour().isBefore(from) && key.hour().isBefore(to)) {
                    all.add(new UsageRecord(key, amounts));
                }
            });
            return all;
        } finally {
            flushing.unlock();
        }
    }

    /** Writes the usage metered so far in one transaction; on failure it stays pending for the next flush. */
    void flush() {
        flushing.lock();
        try {
            List<UsageRecord> batch = new ArrayList<>();
            for (UsageRecord.Key key : List.copyOf(pending.keySet())) {
                UsageRecord.Amounts amounts = pending.remove(key); // atomic: a merge after it starts a new entry
                if (amounts != null && !amounts.isZero()) {
                    batch.add(new UsageRecord(key, amounts));
                }
            }
            try {
                repository.add(batch);
            } catch (RuntimeException e) {
                batch.forEach(r -> pending.merge(r.key(), r.amounts(), UsageRecord.Amounts::plus));
                throw e;
            }
        } finally {
            flushing.unlock();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("usage not written, kept for the next flush: {}", e.toString());
        }
    }

    /** Adds the provisioned concurrency configured now for the time since the last sample, split at hours. */
    private void countProvisioned() {
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Instant from = provisionedCountedUntil;
            if (!now.isAfter(from)) {
                return;
            }
            List<ProvisionedCapacity.Configured> configured = provisioned.configuredNow();
            for (Instant start = from; start.isBefore(now); ) {
                Instant hour = hourOf(start);
                Instant end = min(hour.plus(1, ChronoUnit.HOURS), now);
                long millis = Duration.between(start, end).toMillis();
                for (ProvisionedCapacity.Configured c : configured) {
                    pending.merge(new UsageRecord.Key(hour, c.functionName(), c.version(), c.architecture(),
                                    c.memoryMb(), Capacity.PROVISIONED),
                            UsageRecord.Amounts.configured(c.environments(), c.memoryMb(), millis),
                            UsageRecord.Amounts::plus);
                }
                start = end;
            }
            provisionedCountedUntil = now;
        } catch (RuntimeException e) {
            LOG.warn("provisioned concurrency not metered this second: {}", e.toString());
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static Instant hourOf(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }

    /** Stops the timer, counts provisioned concurrency up to now and writes everything still pending. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        countProvisioned();
        flush();
    }
}
