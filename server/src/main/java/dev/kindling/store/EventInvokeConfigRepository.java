package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/** Event invoke configurations, as persisted; deleting a function deletes its configurations. */
public interface EventInvokeConfigRepository {
    Optional<EventInvokeConfigRecord> find(String functionName, String qualifier);

    /** The function's configurations, ordered by qualifier. */
    List<EventInvokeConfigRecord> list(String functionName);

    /** Stores the configuration, replacing the one of its function and qualifier. */
    void put(EventInvokeConfigRecord config);

    /** Deletes it; false if there was none. */
    boolean delete(String functionName, String qualifier);
}
