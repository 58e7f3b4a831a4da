package dev.kindling.store;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The durable queue of asynchronous events. An event is stored when accepted, taken by a worker when due, and then
 * either removed (it ran, or was given up) or put back with a later due time (a retry, a throttle). Every method is
 * atomic. Only {@link #add} must reach the disk before it returns (the caller's 202 waits for it); taking and
 * settling need only survive Kindling being killed, not a power cut: losing them runs an event again, which
 * at-least-once delivery allows, so they skip the flush that accepting events waits behind.
 */
public interface AsyncEventRepository {

    /** Stores new events, all or none, in one transaction (so one disk flush serves many accepted events). */
    void add(List<AsyncEventRecord> events);

    /**
     * Takes up to {@code limit} due events (due at or before {@code nowMillis}, not taken), at most
     * {@code perFunction} of any one function and none of the functions in {@code skipping}, earliest due first.
     */
    List<AsyncEventRecord> takeDue(long nowMillis, int perFunction, int limit, Set<String> skipping);

    /** A taken event to run again at {@code dueMillis}, with its attempts so far. */
    record PutBack(String requestId, int attempts, long dueMillis) {}

    /**
     * Settles taken events in one transaction: removes those done for good, puts the others back.
     */
    void settle(List<String> removals, List<PutBack> putBacks);

    /** Puts back every taken event: at start, what a stopped server had taken runs again. */
    int releaseAll();

    /** When the oldest event waiting or running was accepted (epoch ms); empty when there is none. */
    OptionalLong oldestReceivedMillis();

    /** How many events wait or run. */
    long count();
}
