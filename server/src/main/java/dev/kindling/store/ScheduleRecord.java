package dev.kindling.store;

import java.time.Instant;
import java.util.Optional;

/**
 * An EventBridge Scheduler schedule as stored.
 *
 * @param state ENABLED or DISABLED
 * @param definition the rest of the schedule as CreateSchedule or UpdateSchedule gave it (JSON): Target,
 *     FlexibleTimeWindow, Description, ActionAfterCompletion, ...
 * @param lastFired the occurrence fired last, if any
 */
public record ScheduleRecord(Key key, Timing timing, String state, String definition, Instant created,
        Instant modified, Optional<Instant> lastFired) {
    /** A schedule is named within its group. */
    public record Key(String group, String name) {}

    /**
     * When a schedule fires: its expression read in its time zone, counted from {@code start}, never after
     * {@code end}.
     */
    public record Timing(String expression, String timezone, Instant start, Optional<Instant> end) {}

    public boolean enabled() {
        return state.equals("ENABLED");
    }
}
