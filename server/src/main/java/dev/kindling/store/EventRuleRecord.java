package dev.kindling.store;

import java.time.Instant;
import java.util.Optional;

/**
 * An EventBridge rule as stored.
 *
 * @param spec what PutRule set
 * @param scheduleStart when the rule's schedule was set: a rate counts its periods from it
 * @param lastFired the schedule's occurrence fired last, if any
 */
public record EventRuleRecord(Key key, Spec spec, Instant scheduleStart, Optional<Instant> lastFired) {
    /** A rule is named within its bus. */
    public record Key(String bus, String name) {}

    /**
     * What PutRule sets: a pattern, a schedule or both, the state (ENABLED, DISABLED, ...), and the description and
     * role given.
     */
    public record Spec(Optional<String> eventPattern, Optional<String> scheduleExpression, String state,
            Optional<String> description, Optional<String> roleArn) {}

    public boolean enabled() {
        return !spec.state().equals("DISABLED");
    }
}
