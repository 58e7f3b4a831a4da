package dev.kindling.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The log groups that exist and their retention, as persisted. Every method is atomic. */
public interface LogGroupRepository {

    /** Every group, in name order: what DescribeLogGroups pages through (groups are few). */
    List<LogGroupRecord> all();

    Optional<LogGroupRecord> find(String name);

    /** Adds the group; false if one of that name exists already. */
    boolean insert(LogGroupRecord group);

    /** Sets or clears the group's retention; false if it does not exist. */
    boolean putRetention(String name, OptionalInt retentionDays);

    /** Removes the group; false if it did not exist. */
    boolean delete(String name);
}
