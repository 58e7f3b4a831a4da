package dev.kindling.triggers;

import java.time.Duration;

/**
 * What an SQS poller decides, as pure functions of what it has seen (tested without threads or queues): when a batch
 * is ready to invoke, how long the next receive may wait, and how many pollers a mapping should run.
 *
 * <p>Scaling follows Lambda's: a mapping starts with one poller; while batches come back full (messages are waiting)
 * it adds one poller per full batch, up to its limit (ScalingConfig's MaximumConcurrency, else
 * {@link #DEFAULT_MAXIMUM_POLLERS}); an empty receive or a throttled invocation takes one away, down to one. Each
 * poller runs at most one invocation at a time, so the pollers bound the mapping's concurrent invocations; the
 * function's own concurrency bounds them too (a throttled batch returns to the queue and the pollers shrink).
 */
final class PollerDecisions {
    /** Lambda's own ceiling for a mapping without MaximumConcurrency is 1,250; Kindling's account limit is lower. */
    static final int DEFAULT_MAXIMUM_POLLERS = 1000;
    /** An invocation's payload is at most 6 MB: a batch stops growing before it would pass this. */
    static final long MAX_BATCH_BYTES = 5_000_000;
    /** SQS's longest long poll. */
    static final int MAX_WAIT_SECONDS = 20;
    /** How long an idle poller's receive waits: also how soon it sees that its mapping changed. */
    static final int IDLE_WAIT_SECONDS = 1;

    /** What one round of a poller ended with. */
    enum Signal {
        /** The batch filled up to BatchSize: more messages are waiting. */
        FULL_BATCH,
        /** A batch smaller than BatchSize was invoked. */
        PARTIAL_BATCH,
        /** Nothing was received. */
        EMPTY,
        /** The function had no concurrency left for the batch. */
        THROTTLED
    }

    private PollerDecisions() {}

    /**
     * Whether the batch gathered so far is to be invoked now: it is full (by count or size), or the batching
     * window has passed since its first message (a window of 0 sends what one receive got).
     */
    static boolean readyToInvoke(int messages, long bytes, int batchSize, Duration window, Duration sinceFirst) {
        if (messages == 0) {
            return false;
        }
        return messages >= batchSize || bytes >= MAX_BATCH_BYTES || sinceFirst.compareTo(window) >= 0;
    }

    /** How many messages the next receive asks for: SQS gives at most 10 at a time. */
    static int receiveCount(int messages, int batchSize) {
        return Math.max(1, Math.min(10, batchSize - messages));
    }

    /** How long the next receive waits: idle, for the first message; else what is left of the window (≥ 1 s). */
    static int waitSeconds(int messages, Duration window, Duration sinceFirst) {
        if (messages == 0) {
            return IDLE_WAIT_SECONDS;
        }
        long leftMillis = window.minus(sinceFirst).toMillis();
        return (int) Math.min(MAX_WAIT_SECONDS, Math.max(1, (leftMillis + 999) / 1000));
    }

    /** The number of pollers after a round that ended with {@code signal}. */
    static int targetPollers(int current, int limit, Signal signal) {
        return switch (signal) {
            case FULL_BATCH -> Math.min(limit, current + 1);
            case PARTIAL_BATCH -> Math.min(limit, current);
            case EMPTY, THROTTLED -> Math.max(1, Math.min(limit, current - 1));
        };
    }
}
