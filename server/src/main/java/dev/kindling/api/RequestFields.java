package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the members of a JSON request body (and integer query parameters): absent or null is "not sent" (empty, or
 * null for the optionalX readers), a member of the wrong JSON type is AWS's InvalidRequestContentException, a
 * required one missing is its ValidationException.
 */
final class RequestFields {
    private RequestFields() {}

    static Optional<String> text(JsonNode body, String field) {
        return Optional.ofNullable(optionalText(body, field));
    }

    /** A list of strings; empty when absent. */
    static List<String> strings(JsonNode body, String field) {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw wrongType(field, "a list of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw wrongType(field, "a list of strings");
            }
            list.add(item.asText());
        }
        return list;
    }

    /** An integer query parameter, such as MaxItems. */
    static Optional<Integer> integerQuery(ApiRequest request, String name) {
        Optional<String> value = request.queryParam(name);
        try {
            return value.map(Integer::valueOf);
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    name + " must be an integer, not '" + value.get() + "'.");
        }
    }

    static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null) {
            throw new LambdaException(ErrorType.ValidationException, "1 validation error detected: Value null at '"
                    + lowerFirst(field) + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return value.asText();
    }

    static boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return value.asBoolean();
    }

    static Integer optionalInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(field, "an integer");
        }
        return value.asInt();
    }

    static Map<String, String> stringMap(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw wrongType(field, "an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw wrongType(field + "." + entry.getKey(), "a string");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }

    static List<String> stringList(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw wrongType(field, "a list of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw wrongType(field, "a list of strings");
            }
            list.add(item.asText());
        }
        return list;
    }

    static LambdaException wrongType(String field, String expected) {
        return new LambdaException(ErrorType.InvalidRequestContentException,
                "Could not parse request body into json: field '" + field + "' must be " + expected);
    }

    static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
