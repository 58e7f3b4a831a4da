package dev.kindling.triggers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs each {@link DueWork} (rule schedules, Scheduler schedules) every tick; a failure of one is
 * logged and the others still run. A second's tick keeps each firing within seconds of its minute.
 */
public final class Ticker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
    private final Duration tick;
    private final List<DueWork> work;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread thread;

    public Ticker(Duration tick, List<DueWork> work) {
        this.tick = tick;
        this.work = List.copyOf(work);
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("schedules").start(this::run);
    }

    private void run() {
        try {
            do {
                for (DueWork w : work) {
                    try {
                        w.runDue();
                    } catch (RuntimeException e) {
                        LOG.error("running due schedules failed", e);
                    }
                }
            } while (!closed.await(tick.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed.countDown();
        Thread running = thread;
        if (running != null) {
            running.join(10_000);
        }
    }
}
