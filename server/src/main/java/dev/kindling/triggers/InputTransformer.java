package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An InputTransformer: variables read from the event by JSON paths ({@code InputPathsMap}) and the predefined
 * {@code aws.events.*} ones, put into {@code InputTemplate} where it names them as {@code <name>}.
 *
 * <p>AWS's placeholder rules: outside a JSON string a variable becomes its JSON value (a string quoted, an object as
 * it is), so {@code {"id": <id>}} stays JSON; inside a string it becomes its text, escaped so the string stays
 * valid. A template that is not a JSON object takes a string variable's text unquoted. A variable whose path the
 * event lacks becomes {@code null} outside strings and nothing inside them.
 */
public record InputTransformer(Map<String, JsonPath> paths, String template) implements TargetInput {
    static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.\\-]+)>");
    static final String RULE_ARN = "aws.events.rule-arn";
    static final String RULE_NAME = "aws.events.rule-name";
    static final String INGESTION_TIME = "aws.events.event.ingestion-time";
    static final String EVENT = "aws.events.event";
    static final String EVENT_JSON = "aws.events.event.json";
    static final Set<String> PREDEFINED = Set.of(RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON);

    /**
     * Checks the transformer as PutTargets does, for target {@code targetId}; throws EventsException
     * (ValidationException) naming the first problem.
     */
    static InputTransformer of(String targetId, Map<String, String> pathsMap, String template) {
        if (pathsMap.size() > 100) {
            throw EventsException.validation("InputPathsMap for target " + targetId + " has " + pathsMap.size()
                    + " variables; at most 100 are allowed.");
        }
        Map<String, JsonPath> paths = new LinkedHashMap<>();
        pathsMap.forEach((name, path) -> {
            if (name.startsWith("aws.") || PREDEFINED.contains(name)) {
                throw EventsException.validation("InputPathsMap for target " + targetId + " uses the reserved"
                        + " variable name " + name + ".");
            }
            try {
                paths.put(name, JsonPath.parse(path));
            } catch (IllegalArgumentException e) {
                throw EventsException.validation("InputPathsMap for target " + targetId + " has an invalid JSON path"
                        + " for " + name + ": " + e.getMessage() + ".");
            }
        });
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!paths.containsKey(m.group(1)) && !PREDEFINED.contains(m.group(1))) {
                throw EventsException.validation("InputTemplate for target " + targetId
                        + " contains invalid placeholder " + m.group(1) + ".");
            }
        }
        return new InputTransformer(Map.copyOf(paths), template);
    }

    @Override
    public byte[] render(ObjectNode event, MatchedRule rule) {
        Map<String, Optional<JsonNode>> values = new LinkedHashMap<>();
        paths.forEach((name, path) -> values.put(name, path.select(event)));
        values.put(RULE_ARN, Optional.of(TextNode.valueOf(rule.arn())));
        values.put(RULE_NAME, Optional.of(TextNode.valueOf(rule.name())));
        values.put(INGESTION_TIME, Optional.of(TextNode.valueOf(Instant.now().toString())));
        ObjectNode withoutDetail = event.deepCopy();
        withoutDetail.remove("detail");
        values.put(EVENT, Optional.of(withoutDetail));
        values.put(EVENT_JSON, Optional.of(event));
        return fill(values).getBytes(StandardCharsets.UTF_8);
    }

    /** The template with each placeholder replaced as its place (in a string or not) requires. */
    String fill(Map<String, Optional<JsonNode>> values) {
        boolean jsonObject = template.stripLeading().startsWith("{");
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            Matcher m = PLACEHOLDER.matcher(template).region(i, template.length());
            if (c == '<' && m.lookingAt() && values.containsKey(m.group(1))) {
                Optional<JsonNode> value = values.get(m.group(1));
                out.append(inString ? inString(value) : outsideString(value, jsonObject));
                i = m.end();
                continue;
            }
            if (c == '"') {
                inString = !inString;
            } else if (c == '\\' && inString && i + 1 < template.length()) {
                out.append(c).append(template.charAt(i + 1));
                i += 2;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String inString(Optional<JsonNode> value) {
        if (value.isEmpty() || value.get().isNull()) {
            return "";
        }
        String text = value.get().isTextual() ? value.get().asText() : value.get().toString();
        String quoted = TextNode.valueOf(text).toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    private static String outsideString(Optional<JsonNode> value, boolean jsonObject) {
        if (value.isEmpty()) {
            return "null";
        }
        return value.get().isTextual() && !jsonObject ? value.get().asText() : value.get().toString();
    }
}
