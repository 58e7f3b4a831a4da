package dev.kindling.control;

import dev.kindling.store.EventSourceMappingRecord;

/** Told when an event source mapping is created, changed or deleted: what polls queues listens. */
public interface EventSourceMappingListener {
    /** The mapping was created or updated; it is stored already. */
    void mappingChanged(EventSourceMappingRecord mapping);

    /** The mapping was deleted: stop polling for it at once. */
    void mappingDeleted(String uuid);
}
