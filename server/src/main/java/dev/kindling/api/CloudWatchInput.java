package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Reads members from a CloudWatch request's tree, whichever protocol it came in: numbers and booleans as numbers or
 * text, timestamps as epoch seconds or ISO 8601 text. Errors name a member as the query protocol would
 * ({@code MetricDataQueries.member.1.Id}), the name AWS's messages use in every protocol.
 */
final class CloudWatchInput {
    private final JsonNode node;
    private final String path;

    private CloudWatchInput(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static CloudWatchInput of(JsonNode request) {
        return new CloudWatchInput(request, "");
    }

    private String name(String member) {
        return path.isEmpty() ? member : path + "." + member;
    }

    private Optional<JsonNode> member(String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    boolean has(String member) {
        return member(member).isPresent();
    }

    Optional<String> text(String member) {
        Optional<JsonNode> value = member(member);
        if (value.isPresent() && !value.get().isValueNode()) {
            throw CloudWatchError.validation("The parameter " + name(member) + " must be a string.");
        }
        return value.map(JsonNode::asText);
    }

    String requiredText(String member) {
        return text(member).orElseThrow(() -> CloudWatchError.missingParameter(name(member)));
    }

    OptionalInt integer(String member) {
        Optional<String> text = text(member);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.get().trim()));
        } catch (NumberFormatException e) {
            throw CloudWatchError.invalidParameterValue("The value " + text.get() + " for parameter " + name(member)
                    + " is not an integer.");
        }
    }

    OptionalDouble number(String member) {
        Optional<String> text = text(member);
        if (text.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(text.get().trim()));
        } catch (NumberFormatException e) {
            throw CloudWatchError.invalidParameterValue("The value " + text.get() + " for parameter " + name(member)
                    + " is not a number.");
        }
    }

    boolean bool(String member, boolean otherwise) {
        return text(member).map(Boolean::parseBoolean).orElse(otherwise);
    }

    Optional<Instant> timestamp(String member) {
        Optional<JsonNode> value = member(member);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().isNumber()) {
            return Optional.of(Instant.ofEpochMilli(Math.round(value.get().asDouble() * 1000)));
        }
        String text = value.get().asText().trim();
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException notIso) {
            try {
                return Optional.of(Instant.ofEpochMilli(Math.round(Double.parseDouble(text) * 1000)));
            } catch (NumberFormatException notNumber) {
                throw CloudWatchError.invalidParameterValue("The value " + text + " for parameter " + name(member)
                        + " is not a timestamp (ISO 8601 or epoch seconds).");
            }
        }
    }

    Instant requiredTimestamp(String member) {
        return timestamp(member).orElseThrow(() -> CloudWatchError.missingParameter(name(member)));
    }

    Optional<CloudWatchInput> structure(String member) {
        Optional<JsonNode> value = member(member);
        if (value.isPresent() && !value.get().isObject()) {
            throw CloudWatchError.validation("The parameter " + name(member) + " must be a structure.");
        }
        return value.map(v -> new CloudWatchInput(v, name(member)));
    }

    CloudWatchInput requiredStructure(String member) {
        return structure(member).orElseThrow(() -> CloudWatchError.missingParameter(name(member)));
    }

    /** The elements of a list member, each named {@code <member>.member.<N>}; none when it is absent. */
    List<CloudWatchInput> list(String member) {
        Optional<JsonNode> value = member(member);
        if (value.isEmpty() || value.get().isTextual() && value.get().asText().isEmpty()) {
            return List.of(); // the query protocol sends an empty list as "Name="
        }
        if (!value.get().isArray()) {
            throw CloudWatchError.validation("The parameter " + name(member) + " must be a list.");
        }
        List<CloudWatchInput> elements = new ArrayList<>();
        int i = 1;
        for (JsonNode element : value.get()) {
            elements.add(new CloudWatchInput(element, name(member) + ".member." + i++));
        }
        return elements;
    }

    /** A list of strings or numbers, as text. */
    List<String> texts(String member) {
        return list(member).stream().map(e -> {
            if (!e.node.isValueNode()) {
                throw CloudWatchError.validation("The parameter " + e.path + " must be a value.");
            }
            return e.node.asText();
        }).toList();
    }

    /** This element's own name ({@code MetricDataQueries.member.1}). */
    String path() {
        return path;
    }

    /** The name of one of its members, for a message. */
    String nameOf(String member) {
        return name(member);
    }
}
