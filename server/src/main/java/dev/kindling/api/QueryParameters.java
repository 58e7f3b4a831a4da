package dev.kindling.api;

import dev.kindling.iam.IamException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parameters of a query-protocol request: the form-encoded body of a POST, or the query of a GET. Lists are
 * flattened as {@code Name.member.1}, {@code Name.member.2}, ...; structures in lists as
 * {@code Name.member.1.Key}.
 */
final class QueryParameters {
    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    static QueryParameters of(ApiRequest request) {
        Map<String, String> values = new LinkedHashMap<>();
        parse(request.rawQuery(), values);
        boolean form = request.header("Content-Type").map(t -> t.startsWith("application/x-www-form-urlencoded"))
                .orElse(true);
        if (form && request.body().length > 0) {
            parse(new String(request.body(), StandardCharsets.UTF_8), values);
        }
        return new QueryParameters(values);
    }

    private static void parse(String encoded, Map<String, String> into) {
        if (encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            into.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
    }

    /** Form encoding: '+' is a space here, unlike in a path. */
    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Every parameter, in the order sent. */
    Map<String, String> all() {
        return java.util.Collections.unmodifiableMap(values);
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** A member the model requires: missing, it is AWS's validation error naming it (lower camel case). */
    String required(String name) {
        return optional(name).orElseThrow(() -> IamException.validation("1 validation error detected: Value null at '"
                + Character.toLowerCase(name.charAt(0)) + name.substring(1)
                + "' failed to satisfy constraint: Member must not be null"));
    }

    OptionalInt integer(String name) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.get().trim()));
        } catch (NumberFormatException e) {
            throw IamException.validation("1 validation error detected: Value '" + text.get() + "' at '"
                    + Character.toLowerCase(name.charAt(0)) + name.substring(1)
                    + "' failed to satisfy constraint: Member must be a number");
        }
    }

    boolean bool(String name) {
        return optional(name).map(Boolean::parseBoolean).orElse(false);
    }

    /** The list {@code name} ({@code name.member.N}), in order. */
    List<String> list(String name) {
        List<String> items = new ArrayList<>();
        for (int i = 1; values.containsKey(name + ".member." + i); i++) {
            items.add(values.get(name + ".member." + i));
        }
        return items;
    }

    /** A list of Key/Value structures ({@code Tags.member.N.Key}, {@code .Value}), as a map in order. */
    Map<String, String> tags(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; values.containsKey(name + ".member." + i + ".Key"); i++) {
            tags.put(values.get(name + ".member." + i + ".Key"),
                    values.getOrDefault(name + ".member." + i + ".Value", ""));
        }
        return tags;
    }
}
