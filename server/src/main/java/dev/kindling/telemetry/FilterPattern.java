package dev.kindling.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A CloudWatch Logs filter pattern, parsed once and matched against each message:
 * <ul>
 * <li>terms: {@code ERROR Exception} (every term), {@code "quoted phrase"}, {@code ?ERROR ?WARN} (any of them),
 * {@code -DEBUG} (none of them); case-sensitive, anywhere in the message, as AWS matches them;
 * <li>JSON patterns on messages that are JSON objects: {@code { $.level = "ERROR" }}, {@code !=}, numeric
 * {@code < <= > >= = !=}, {@code *} in strings, {@code IS TRUE|FALSE|NULL}, {@code NOT EXISTS}, joined with
 * {@code &&} and {@code ||} and grouped with parentheses.
 * </ul>
 * Space-delimited patterns ({@code [ip, user, ...]}) are refused as not supported, never matched wrongly.
 */
public final class FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Predicate<String> matcher;

    private FilterPattern(Predicate<String> matcher) {
        this.matcher = matcher;
    }

    /** Parses {@code pattern}; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static FilterPattern parse(String pattern) {
        String trimmed = pattern.strip();
        if (trimmed.isEmpty()) {
            return new FilterPattern(message -> true);
        }
        if (trimmed.startsWith("{")) {
            if (!trimmed.endsWith("}")) {
                throw new IllegalArgumentException("a JSON filter pattern must end with '}'");
            }
            JsonCondition condition = new JsonParser(trimmed.substring(1, trimmed.length() - 1)).parseAll();
            return new FilterPattern(message -> condition.test(json(message)));
        }
        if (trimmed.startsWith("[")) {
            throw new IllegalArgumentException("space-delimited filter patterns are not supported by Kindling");
        }
        return terms(trimmed);
    }

    public boolean matches(String message) {
        return matcher.test(message);
    }

    private static FilterPattern terms(String pattern) {
        List<String> required = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> into = required;
            if (c == '?' || c == '-') {
                into = c == '?' ? optional : excluded;
                i++;
                if (i >= pattern.length() || Character.isWhitespace(pattern.charAt(i))) {
                    throw new IllegalArgumentException("'" + c + "' must be followed by a term");
                }
            }
            String term;
            if (pattern.charAt(i) == '"') {
                int close = pattern.indexOf('"', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unbalanced quotes");
                }
                term = pattern.substring(i + 1, close);
                i = close + 1;
            } else {
                int end = i;
                while (end < pattern.length() && !Character.isWhitespace(pattern.charAt(end))) {
                    char t = pattern.charAt(end);
                    if (t == '"' || t == '{' || t == '}' || t == '[' || t == ']') {
                        throw new IllegalArgumentException("invalid character '" + t + "' in term");
                    }
                    end++;
                }
                term = pattern.substring(i, end);
                i = end;
            }
            into.add(term);
        }
        return new FilterPattern(message -> required.stream().allMatch(message::contains)
                && (optional.isEmpty() || optional.stream().anyMatch(message::contains))
                && excluded.stream().noneMatch(message::contains));
    }

    private static JsonNode json(String message) {
        String m = message.strip();
        if (!m.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(m);
        } catch (Exception e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface JsonCondition {
        boolean test(JsonNode root);
    }

    /** A recursive-descent parser of JSON filter conditions. */
    private static final class JsonParser {
        private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
        private final String text;
        private int at;

        JsonParser(String text) {
            this.text = text;
        }

        JsonCondition parseAll() {
            JsonCondition condition = or();
            skipSpace();
            if (at != text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.substring(at) + "' in JSON filter pattern");
            }
            return root -> root != null && condition.test(root);
        }

        private JsonCondition or() {
            JsonCondition left = and();
            while (take("||")) {
                JsonCondition l = left;
                JsonCondition r = and();
                left = root -> l.test(root) || r.test(root);
            }
            return left;
        }

        private JsonCondition and() {
            JsonCondition left = primary();
            while (take("&&")) {
                JsonCondition l = left;
                JsonCondition r = primary();
                left = root -> l.test(root) && r.test(root);
            }
            return left;
        }

        private JsonCondition primary() {
            if (take("(")) {
                JsonCondition inner = or();
                expect(")");
                return inner;
            }
            List<String> path = selector();
            if (take("IS")) {
                if (take("TRUE")) {
                    return root -> node(root, path) != null && node(root, path).isBoolean() && node(root, path).asBoolean();
                }
                if (take("FALSE")) {
                    return root -> node(root, path) != null && node(root, path).isBoolean() && !node(root, path).asBoolean();
                }
                if (take("NULL")) {
                    return root -> node(root, path) != null && node(root, path).isNull();
                }
                throw new IllegalArgumentException("IS must be followed by TRUE, FALSE or NULL");
            }
            if (take("NOT")) {
                expect("EXISTS");
                return root -> node(root, path) == null;
            }
            String op = operator();
            skipSpace();
            if (at < text.length() && text.charAt(at) == '"') {
                if (!op.equals("=") && !op.equals("!=")) {
                    throw new IllegalArgumentException("strings compare with = or != only");
                }
                Pattern wanted = wildcard(quoted());
                boolean equal = op.equals("=");
                return root -> {
                    JsonNode value = node(root, path);
                    return value != null && value.isValueNode() && !value.isNull()
                            && wanted.matcher(value.asText()).matches() == equal;
                };
            }
            var number = NUMBER.matcher(text).region(at, text.length());
            if (number.lookingAt()) {
                double wanted = Double.parseDouble(number.group());
                at = number.end();
                return root -> {
                    JsonNode value = node(root, path);
                    return value != null && value.isNumber() && compare(value.asDouble(), op, wanted);
                };
            }
            int end = at;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || "_-.*".indexOf(text.charAt(end)) >= 0)) {
                end++;
            }
            if (end == at) {
                throw new IllegalArgumentException("a value must follow " + op + " in JSON filter pattern");
            }
            Pattern wanted = wildcard(text.substring(at, end));
            at = end;
            boolean equal = op.equals("=");
            if (!op.equals("=") && !op.equals("!=")) {
                throw new IllegalArgumentException("strings compare with = or != only");
            }
            return root -> {
                JsonNode value = node(root, path);
                return value != null && value.isValueNode() && !value.isNull()
                        && wanted.matcher(value.asText()).matches() == equal;
            };
        }

        private static boolean compare(double actual, String op, double wanted) {
            return switch (op) {
                case "=" -> actual == wanted;
                case "!=" -> actual != wanted;
                case "<" -> actual < wanted;
                case "<=" -> actual <= wanted;
                case ">" -> actual > wanted;
                default -> actual >= wanted;
            };
        }

        private List<String> selector() {
            skipSpace();
            if (!text.startsWith("$", at)) {
                throw new IllegalArgumentException("a JSON filter pattern's selector must start with '$'");
            }
            at++;
            List<String> path = new ArrayList<>();
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '.') {
                    int end = ++at;
                    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || "_-@$".indexOf(text.charAt(end)) >= 0)) {
                        end++;
                    }
                    if (end == at) {
                        throw new IllegalArgumentException("empty property in JSON filter pattern selector");
                    }
                    path.add(text.substring(at, end));
                    at = end;
                } else if (c == '[') {
                    int close = text.indexOf(']', at);
                    if (close < 0) {
                        throw new IllegalArgumentException("unbalanced '[' in JSON filter pattern selector");
                    }
                    path.add("[" + text.substring(at + 1, close).strip());
                    at = close + 1;
                } else {
                    break;
                }
            }
            if (path.isEmpty()) {
                throw new IllegalArgumentException("a JSON filter pattern's selector must name a property");
            }
            return path;
        }

        private static JsonNode node(JsonNode root, List<String> path) {
            JsonNode node = root;
            for (String step : path) {
                if (node == null) {
                    return null;
                }
                if (step.startsWith("[")) {
                    try {
                        node = node.get(Integer.parseInt(step.substring(1)));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                } else {
                    node = node.get(step);
                }
            }
            return node;
        }

        private String operator() {
            skipSpace();
            for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
                if (text.startsWith(op, at)) {
                    at += op.length();
                    return op;
                }
            }
            throw new IllegalArgumentException("expected a comparison operator in JSON filter pattern");
        }

        private String quoted() {
            int close = text.indexOf('"', at + 1);
            if (close < 0) {
                throw new IllegalArgumentException("unbalanced quotes in JSON filter pattern");
            }
            String value = text.substring(at + 1, close);
            at = close + 1;
            return value;
        }

        private static Pattern wildcard(String value) {
            StringBuilder regex = new StringBuilder();
            for (String part : value.split("\\*", -1)) {
                if (!regex.isEmpty()) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }

        private boolean take(String token) {
            skipSpace();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!take(token)) {
                throw new IllegalArgumentException("expected '" + token + "' in JSON filter pattern");
            }
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
