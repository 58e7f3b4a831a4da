package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * A rule target's RetryPolicy, and what it decides after a failed delivery: when to try again, or that the event is
 * given up (then it goes to the target's dead-letter queue, if it has one). AWS's defaults: 185 retries within 24
 * hours. Retries back off exponentially, from one second, doubling, to at most five minutes between two attempts.
 *
 * @param maximumRetryAttempts retries after the first attempt, 0 to 185
 * @param maximumEventAge how long after the first attempt a retry may still start, 60 s to 24 h
 */
public record TargetRetryPolicy(int maximumRetryAttempts, Duration maximumEventAge) {
    static final TargetRetryPolicy DEFAULT = new TargetRetryPolicy(185, Duration.ofHours(24));
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration LONGEST_DELAY = Duration.ofMinutes(5);

    /** Why an event was given up after retries, in the words of the dead-letter attribute EXHAUSTED_RETRY_CONDITION. */
    enum Exhausted {
        MaximumRetryAttempts, MaximumEventAgeInSeconds
    }

    /** The next step after a failed attempt: a retry after {@code delay}, or none because {@code exhausted}. */
    record Next(Optional<Duration> delay, Optional<Exhausted> exhausted) {}

    /** The policy a stored target's definition gives (AWS's defaults for what it leaves out). */
    static TargetRetryPolicy of(JsonNode definition) {
        JsonNode policy = definition.path("RetryPolicy");
        return new TargetRetryPolicy(policy.path("MaximumRetryAttempts").asInt(DEFAULT.maximumRetryAttempts()),
                policy.has("MaximumEventAgeInSeconds")
                        ? Duration.ofSeconds(policy.path("MaximumEventAgeInSeconds").asLong())
                        : DEFAULT.maximumEventAge());
    }

    /**
     * What follows the {@code attempts}-th failed attempt (1 for the first), made {@code sinceFirst} after the first
     * attempt began.
     */
    Next afterFailure(int attempts, Duration sinceFirst) {
        if (attempts > maximumRetryAttempts) {
            return new Next(Optional.empty(), Optional.of(Exhausted.MaximumRetryAttempts));
        }
        Duration delay = delayAfter(attempts);
        if (sinceFirst.plus(delay).compareTo(maximumEventAge) > 0) {
            return new Next(Optional.empty(), Optional.of(Exhausted.MaximumEventAgeInSeconds));
        }
        return new Next(Optional.of(delay), Optional.empty());
    }

    /** 1 s after the first failure, doubling each time, five minutes at most. */
    static Duration delayAfter(int attempts) {
        int doublings = Math.min(attempts - 1, 20);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : delay;
    }
}
