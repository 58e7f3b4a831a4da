package dev.kindling.triggers;

import java.util.List;
import java.util.Optional;

/**
 * One configuration of a bucket's notifications (a LambdaFunctionConfiguration or a QueueConfiguration): where the
 * matching changes go, for which event types, and for keys with which prefix and suffix (an empty filter value
 * matches every key).
 */
public record BucketNotification(String id, Destination destination, List<String> events, Optional<String> prefix,
        Optional<String> suffix) {

    /** A function or a queue, by its ARN. */
    public record Destination(Kind kind, String arn) {}

    /** The kinds of destination Kindling delivers to, with the element names of S3's XML for each. */
    public enum Kind {
        FUNCTION("CloudFunctionConfiguration", "CloudFunction"),
        QUEUE("QueueConfiguration", "Queue");

        final String configurationElement;
        final String arnElement;

        Kind(String configurationElement, String arnElement) {
            this.configurationElement = configurationElement;
            this.arnElement = arnElement;
        }
    }

    /** Whether a change of this event type ("ObjectCreated:Put") to this key goes to the destination. */
    public boolean matches(String eventName, String key) {
        return events.stream().anyMatch(e -> S3EventTypes.covers(e, eventName))
                && key.startsWith(prefix.orElse("")) && key.endsWith(suffix.orElse(""));
    }

    /** Whether a change could match both: AWS refuses two configurations of one bucket that overlap. */
    boolean overlaps(BucketNotification other) {
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
