package dev.kindling.control;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route key of an HTTP API, parsed: {@code $default}, or a method (or {@code ANY}) and a path of literal segments,
 * {@code {name}} variables and, last only, one greedy {@code {name+}} variable.
 *
 * @param method the HTTP method, ANY, or empty for {@code $default}
 * @param segments the path's segments; empty for {@code /} and for {@code $default}
 */
public record RouteKey(String text, Optional<String> method, List<Segment> segments) {
    public static final String DEFAULT = "$default";
    private static final Set<String> METHODS = Set.of("ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
            "OPTIONS");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** Characters a literal segment may hold: RFC 3986's unreserved and sub-delims, ':' and '@', and escapes. */
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%]+");

    /** One path segment: a literal, a {@code {name}} variable, or a greedy {@code {name+}} one. */
    public record Segment(String text, Kind kind) {
        public enum Kind { LITERAL, VARIABLE, GREEDY }

        /** The variable's name ({@code id} of {@code {id}}, {@code proxy} of {@code {proxy+}}). */
        public String name() {
            return switch (kind) {
                case LITERAL -> text;
                case VARIABLE -> text.substring(1, text.length() - 1);
                case GREEDY -> text.substring(1, text.length() - 2);
            };
        }
    }

    public boolean isDefault() {
        return method.isEmpty();
    }

    /** The path as written ({@code /users/{id}}); empty for {@code $default}. */
    public String path() {
        if (isDefault()) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        segments.forEach(s -> path.append('/').append(s.text()));
        return path.isEmpty() ? "/" : path.toString();
    }

    /** Parses a route key; an invalid one is a BadRequestException that says what is wrong. */
    public static RouteKey parse(String text) {
        if (text.equals(DEFAULT)) {
            return new RouteKey(text, Optional.empty(), List.of());
        }
        int space = text.indexOf(' ');
        if (space < 0) {
            throw invalid(text, "it must be $default or an HTTP method and a path, such as 'GET /users/{id}'");
        }
        String method = text.substring(0, space);
        String path = text.substring(space + 1);
        if (!METHODS.contains(method)) {
            throw invalid(text, "the method must be one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
        }
        if (!path.startsWith("/")) {
            throw invalid(text, "the path must start with /");
        }
        return new RouteKey(text, Optional.of(method), segments(text, path));
    }

    private static List<Segment> segments(String text, String path) {
        List<Segment> segments = new ArrayList<>();
        if (path.equals("/")) {
            return segments;
        }
        Set<String> names = new HashSet<>();
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            Segment segment = segment(text, parts[i]);
            if (segment.kind() == Segment.Kind.GREEDY && i != parts.length - 1) {
                throw invalid(text, "a greedy path variable such as {proxy+} must be the last segment");
            }
            if (segment.kind() != Segment.Kind.LITERAL && !names.add(segment.name())) {
                throw invalid(text, "the path variable {" + segment.name() + "} appears twice");
            }
            segments.add(segment);
        }
        return segments;
    }

    private static Segment segment(String text, String part) {
        if (part.isEmpty()) {
            throw invalid(text, "the path has an empty segment");
        }
        if (part.startsWith("{") && part.endsWith("}")) {
            boolean greedy = part.endsWith("+}");
            String name = part.substring(1, part.length() - (greedy ? 2 : 1));
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw invalid(text, "'" + part + "' is not a path variable: a name of letters, digits, '.', '_' and"
                        + " '-' goes between the braces");
            }
            return new Segment(part, greedy ? Segment.Kind.GREEDY : Segment.Kind.VARIABLE);
        }
        if (!LITERAL.matcher(part).matches()) {
            throw invalid(text, "the segment '" + part + "' has characters a path may not hold");
        }
        return new Segment(part, Segment.Kind.LITERAL);
    }

    /**
     * Whether this key and {@code other} name different variables at the same level under the same path, which API
     * Gateway refuses: {@code /users/{id}} and {@code /users/{userId}} cannot both be routes of one API, whatever
     * their methods.
     */
    public Optional<String> conflictingVariable(RouteKey other) {
        int common = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < common; i++) {
            Segment a = segments.get(i);
            Segment b = other.segments.get(i);
            if (a.kind() != b.kind()) {
                return Optional.empty();
            }
            if (!a.name().equals(b.name())) {
                return a.kind() == Segment.Kind.LITERAL ? Optional.empty() : Optional.of(b.text());
            }
        }
        return Optional.empty();
    }

    private static HttpApiException invalid(String text, String why) {
        return HttpApiException.badRequest("Invalid route key '" + text + "': " + why + ".");
    }
}
