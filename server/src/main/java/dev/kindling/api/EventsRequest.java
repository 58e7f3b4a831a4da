package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.triggers.EventsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One EventBridge request's body, read against the service model's constraints: every violation is collected and
 * {@link #check} throws them together as one ValidationException, worded as AWS words it
 * ({@code 1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: ...}).
 */
final class EventsRequest {
    static final String RULE_NAME = "[\\.\\-_A-Za-z0-9]+";
    static final String BUS_NAME = "[/\\.\\-_A-Za-z0-9]+";
    static final String BUS_NAME_OR_ARN = "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?"
            + "[/\\.\\-_A-Za-z0-9]+";
    static final String TARGET_ID = "[\\.\\-_A-Za-z0-9]+";

    private final JsonNode body;
    private final List<String> violations = new ArrayList<>();

    EventsRequest(JsonNode body) {
        this.body = body;
    }

    JsonNode body() {
        return body;
    }

    /** A string member; a value of another JSON type is a SerializationException, as AWS's parser says. */
    Optional<String> text(String member) {
        return text(body, member);
    }

    static Optional<String> text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new EventsException("SerializationException", "Member " + member + " must be a string, not "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(value.asText());
    }

    /** A required string member with its length bounds and pattern (null for none); "" when missing. */
    String required(String member, String field, int min, int max, String pattern) {
        Optional<String> value = text(member);
        if (value.isEmpty()) {
            violations.add("Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
            return "";
        }
        constrain(value.get(), field, min, max, pattern);
        return value.get();
    }

    Optional<String> optional(String member, String field, int min, int max, String pattern) {
        Optional<String> value = text(member);
        value.ifPresent(v -> constrain(v, field, min, max, pattern));
        return value;
    }

    void constrain(String value, String field, int min, int max, String pattern) {
        if (value.length() < min) {
            violations.add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: Member must have"
                    + " length greater than or equal to " + min);
        }
        if (value.length() > max) {
            violations.add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: Member must have"
                    + " length less than or equal to " + max);
        }
        if (pattern != null && !value.isEmpty() && !Pattern.matches(pattern, value)) {
            violations.add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: Member must"
                    + " satisfy regular expression pattern: " + pattern);
        }
    }

    Optional<String> oneOf(String member, String field, Set<String> values) {
        Optional<String> value = text(member);
        if (value.isPresent() && !values.contains(value.get())) {
            violations.add("Value '" + value.get() + "' at '" + field + "' failed to satisfy constraint: Member must"
                    + " satisfy enum value set: " + values.stream().sorted().toList());
        }
        return value;
    }

    /** The Limit of a list operation (1-100), or 100 when not given. */
    int limit() {
        JsonNode value = body.get("Limit");
        if (value == null || value.isNull()) {
            return 100;
        }
        if (!value.isIntegralNumber()) {
            throw new EventsException("SerializationException", "Member Limit must be an integer");
        }
        int limit = value.asInt();
        if (limit < 1) {
            violations.add("Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value"
                    + " greater than or equal to 1");
        } else if (limit > 100) {
            violations.add("Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value"
                    + " less than or equal to 100");
        }
        return limit;
    }

    /** A list member's items (empty when absent), with its length bounds. */
    List<JsonNode> list(String member, String field, int min, int max) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            violations.add("Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
            return List.of();
        }
        if (!value.isArray()) {
            throw new EventsException("SerializationException", "Member " + member + " must be a list");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        if (items.size() < min || items.size() > max) {
            violations.add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: Member must have"
                    + " length " + (items.size() < min ? "greater than or equal to " + min
                            : "less than or equal to " + max));
        }
        return items;
    }

    void violation(String text) {
        violations.add(text);
    }

    /** Throws the violations found so far as one ValidationException. */
    void check() {
        if (!violations.isEmpty()) {
            throw EventsException.validation(violations.size() + " validation error" + (violations.size() > 1 ? "s" : "")
                    + " detected: " + String.join("; ", violations));
        }
    }
}
