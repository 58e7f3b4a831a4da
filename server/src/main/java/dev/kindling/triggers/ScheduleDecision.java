package dev.kindling.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What a schedule fires now: a pure function of the clock's reading (the {@link RuleScheduler} acts on it), so its
 * every case is tested without threads or waiting.
 *
 * <p>An occurrence fires once, at the first look within {@link #LATENESS} of it: one already fired (at or before the
 * last fire time kept with the rule) never fires again, and one missed by more than that (Kindling was stopped, the
 * rule was disabled) is skipped, so a restart runs no schedule twice and the next occurrence on time.
 */
public final class ScheduleDecision {
    /** How late an occurrence may still fire: the one-minute granularity EventBridge schedules have. */
    public static final Duration LATENESS = Duration.ofMinutes(1);

    private ScheduleDecision() {}

    /**
     * @param start when the schedule was set (a rate counts from it; nothing at or before it fires)
     * @param lastFired the occurrence fired last, if any
     * @return the occurrence to fire now, if one is due
     */
    public static Optional<Instant> due(ScheduleExpression schedule, Instant start, Optional<Instant> lastFired,
            Instant now) {
        return due(schedule, ZoneOffset.UTC, start, Optional.empty(), lastFired, now);
    }

    /**
     * As {@link #due(ScheduleExpression, Instant, Optional, Instant)} for a schedule read in {@code zone} that ends
     * at {@code end} (nothing after it fires): EventBridge Scheduler's schedules.
     */
    public static Optional<Instant> due(ScheduleExpression schedule, ZoneId zone, Instant start, Optional<Instant> end,
            Optional<Instant> lastFired, Instant now) {
        Instant floor = latest(latest(start, lastFired.orElse(start)), now.minus(LATENESS));
        return schedule.nextAfter(start, floor, zone).filter(next -> !next.isAfter(now))
                .filter(next -> end.map(e -> !next.isAfter(e)).orElse(true));
    }

    /** Whether the schedule will fire again after {@code occurrence} (before its end). */
    public static boolean firesAfter(ScheduleExpression schedule, ZoneId zone, Instant start, Optional<Instant> end,
            Instant occurrence) {
        return schedule.nextAfter(start, occurrence, zone).filter(next -> end.map(e -> !next.isAfter(e)).orElse(true))
                .isPresent();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
