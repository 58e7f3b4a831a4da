package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed reads of a JSON request body's members, failing with AWS's error for a member of the wrong type. */
final class RequestFields {
    private RequestFields() {}

    static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return Optional.of(value.asText());
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

    private static LambdaException wrongType(String field, String expected) {
        return new LambdaException(ErrorType.InvalidRequestContentException,
                "Could not parse request body into json: field '" + field + "' must be " + expected);
    }
}
