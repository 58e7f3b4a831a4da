package dev.kindling.triggers;

import java.util.List;
import java.util.Optional;

/**
 * One LambdaFunctionConfiguration of a bucket: which function the matching changes invoke, for which event types,
 * and for keys with which prefix and suffix (an empty filter value matches every key).
 */
public record FunctionNotification(String id, String functionArn, List<String> events, Optional<String> prefix,
        Optional<String> suffix) {

    /** Whether a change of this event type ("ObjectCreated:Put") to this key should invoke the function. */
    public boolean matches(String eventName, String key) {
        return events.stream().anyMatch(e -> S3EventTypes.covers(e, eventName))
                && key.startsWith(prefix.orElse("")) && key.endsWith(suffix.orElse(""));
    }

    /** Whether a change could match both: AWS refuses two configurations of one bucket that overlap. */
    boolean overlaps(FunctionNotification other) {
        boolean events = this.events.stream().anyMatch(a -> other.events.stream().anyMatch(b -> S3EventTypes.overlap(a, b)));
        String p1 = prefix.orElse("");
        String p2 = other.prefix.orElse("");
        String s1 = suffix.orElse("");
        String s2 = other.suffix.orElse("");
        boolean prefixes = p1.startsWith(p2) || p2.startsWith(p1);
        boolean suffixes = s1.endsWith(s2) || s2.endsWith(s1);
        return events && prefixes && suffixes;
    }
}
