package dev.kindling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock a test moves forward by hand: schedules fire at the minutes it is moved to, without waiting for them. */
final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    MovableClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    /** Moves the clock to {@code time}, never backwards. */
    void set(Instant time) {
        now.updateAndGet(current -> {
            if (time.isBefore(current)) {
                throw new IllegalArgumentException("the clock moves forward only: " + time + " is before " + current);
            }
            return time;
        });
    }

    void advance(Duration by) {
        now.updateAndGet(current -> current.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a schedule clock is UTC");
    }
}
