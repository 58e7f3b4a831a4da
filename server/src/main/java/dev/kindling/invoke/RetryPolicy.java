package dev.kindling.invoke;

import java.time.Duration;

/**
 * When an asynchronous event is tried again, as AWS does it: a function error or timeout is retried up to
 * {@code maximumRetryAttempts} times (AWS's default 2), the first retry about one delay later (AWS: a minute), the
 * second two delays later; an event older than {@code maximumEventAge} (AWS's default six hours) is dropped.
 * A throttled event is not an attempt: it waits {@link #THROTTLE_WAIT} and tries again, for as long as it may live.
 */
record RetryPolicy(int maximumRetryAttempts, Duration maximumEventAge, Duration retryDelay) {
    static final Duration THROTTLE_WAIT = Duration.ofMillis(500);
    static final int DEFAULT_RETRIES = 2;
    static final Duration DEFAULT_MAXIMUM_AGE = Duration.ofHours(6);

    /** Whether an event that has run {@code attempts} times and failed may run again. */
    boolean retries(int attempts) {
        return attempts <= maximumRetryAttempts;
    }

    /** How long after its {@code attempts}-th failed attempt an event runs again. */
    Duration delayAfter(int attempts) {
        return retryDelay.multipliedBy(attempts);
    }

    boolean expired(long receivedMillis, long nowMillis) {
        return nowMillis - receivedMillis > maximumEventAge.toMillis();
    }
}
