package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON paths EventBridge reads in InputPath and InputPathsMap: {@code $}, then {@code .name} steps (letters,
 * digits, dashes, underscores, slashes), array indices {@code [n]}, and wildcards {@code .*} or {@code [*]}, whose
 * matches come back as an array.
 */
public final class JsonPath {
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_\\-/@$]+|\\*)|\\[(\\d+|\\*)]|\\['([^']*)']");
    private final String text;
    /** Each step: a field name, "*" for every member, or "[n]" for an index. */
    private final List<String> steps;
    private final boolean wildcard;

    private JsonPath(String text, List<String> steps) {
        this.text = text;
        this.steps = steps;
        this.wildcard = steps.contains("*");
    }

    /** Parses {@code text}; throws IllegalArgumentException saying where it stops being a path. */
    public static JsonPath parse(String text) {
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("a JSON path starts with $, as $.detail.name does");
        }
        List<String> steps = new ArrayList<>();
        Matcher m = STEP.matcher(text);
        int at = 1;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a JSON path EventBridge reads (at character "
                        + (at + 1) + ")");
            }
            if (m.group(1) != null) {
                steps.add(m.group(1));
            } else if (m.group(2) != null) {
                steps.add(m.group(2).equals("*") ? "*" : "[" + m.group(2) + "]");
            } else {
                steps.add(m.group(3));
            }
            at = m.end();
        }
        return new JsonPath(text, List.copyOf(steps));
    }

    /** The value at this path in {@code document}; empty if nothing is there. */
    public Optional<JsonNode> select(JsonNode document) {
        List<JsonNode> current = List.of(document);
        for (String step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                if (step.equals("*")) {
                    node.forEach(next::add);
                } else if (step.startsWith("[") && node.isArray()) {
                    JsonNode item = node.get(Integer.parseInt(step.substring(1, step.length() - 1)));
                    if (item != null) {
                        next.add(item);
                    }
                } else if (node.isObject() && node.has(step)) {
                    next.add(node.get(step));
                }
            }
            current = next;
        }
        if (wildcard) {
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            current.forEach(all::add);
            return Optional.of(all);
        }
        return current.isEmpty() ? Optional.empty() : Optional.of(current.getFirst());
    }

    @Override
    public String toString() {
        return text;
    }
}
