package dev.kindling.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** EventBridge Scheduler's schedules, as persisted. Every method is atomic. */
public interface ScheduleRepository {
    Optional<ScheduleRecord> find(ScheduleRecord.Key key);

    /** The group's schedules, in name order. */
    List<ScheduleRecord> list(String group);

    /** Every enabled schedule: what the scheduler looks at. */
    List<ScheduleRecord> enabled();

    /** Adds the schedule; false if one of its key exists already. */
    boolean insert(ScheduleRecord schedule);

    /** Replaces the schedule of its key; false if there is none. */
    boolean replace(ScheduleRecord schedule);

    /** Removes the schedule; false if there was none. */
    boolean delete(ScheduleRecord.Key key);

    /** Keeps {@code occurrence} as the schedule's last fired one. */
    void recordFired(ScheduleRecord.Key key, Instant occurrence);
}
