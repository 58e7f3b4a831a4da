package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/** Event source mappings, as persisted. */
public interface EventSourceMappingRepository {
    Optional<EventSourceMappingRecord> find(String uuid);

    /** Every mapping, oldest first. */
    List<EventSourceMappingRecord> list();

    /** Stores the mapping, replacing the one with its UUID. */
    void put(EventSourceMappingRecord mapping);

    /** Sets the state of the mapping if it still exists. */
    void setState(String uuid, String state);

    /** Deletes it; false if there was none. */
    boolean delete(String uuid);
}
