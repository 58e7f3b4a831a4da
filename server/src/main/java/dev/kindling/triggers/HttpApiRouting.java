package dev.kindling.triggers;

import dev.kindling.control.HttpApiSnapshot.Route;
import dev.kindling.control.RouteKey;
import dev.kindling.control.RouteKey.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which route of an HTTP API serves a request, as API Gateway chooses: of the routes whose method (or ANY) and path
 * match, the most specific wins. A path that matches segment for segment beats one caught by a greedy
 * {@code {proxy+}}; then, segment by segment from the left, a literal beats a {@code {variable}}, which beats a
 * greedy variable; a longer literal prefix beats a shorter one; with paths alike, a route of the request's method
 * beats ANY. {@code $default} takes what no other route matches; with none, there is no route (404).
 * A pure function of the routes and the request line, so it is tested without a server.
 */
public final class HttpApiRouting {
    private HttpApiRouting() {}

    /**
     * The route chosen and the path variables it binds.
     *
     * @param pathParameters each {@code {name}} or {@code {name+}} of the route's path with the (decoded) value it
     *     matched, in the route's order; empty for {@code $default}
     */
    public record Match(Route route, Map<String, String> pathParameters) {}

    /** A route whose key matches, with what it binds: kept to be ranked. */
    private record Candidate(Route route, Map<String, String> parameters) {
        RouteKey key() {
            return route.key();
        }

        boolean greedy() {
            List<Segment> segments = key().segments();
            return !segments.isEmpty() && segments.getLast().kind() == Segment.Kind.GREEDY;
        }

        boolean anyMethod() {
            return key().method().equals(Optional.of("ANY"));
        }
    }

    /** Most specific first. */
    private static final Comparator<Candidate> SPECIFICITY = Comparator
            .comparing(Candidate::greedy)
            .thenComparing((a, b) -> compareSegments(a.key().segments(), b.key().segments()))
            .thenComparing(Candidate::anyMethod);

    /**
     * @param method the request's method
     * @param path the request's path within its stage, still percent-encoded ({@code /users/42})
     */
    public static Optional<Match> select(List<Route> routes, String method, String path) {
        List<String> segments = segments(path);
        List<Candidate> candidates = new ArrayList<>();
        Optional<Route> fallback = Optional.empty();
        for (Route route : routes) {
            RouteKey key = route.key();
            if (key.isDefault()) {
                fallback = Optional.of(route);
            } else if (key.method().get().equals(method) || key.method().get().equals("ANY")) {
                bind(key.segments(), segments).ifPresent(params -> candidates.add(new Candidate(route, params)));
            }
        }
        Optional<Route> catchAll = fallback;
        Optional<Match> best = candidates.stream().min(SPECIFICITY).map(c -> new Match(c.route(), c.parameters()));
        return best.or(() -> catchAll.map(route -> new Match(route, Map.of())));
    }

    /** The path's segments, percent-encoded still; a trailing slash adds no segment, and {@code /} has none. */
    static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }

    /** The variables {@code pattern} binds in {@code path}, or empty if it does not match it. */
    private static Optional<Map<String, String>> bind(List<Segment> pattern, List<String> path) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            Segment segment = pattern.get(i);
            if (segment.kind() == Segment.Kind.GREEDY) {
                if (i >= path.size()) {
                    return Optional.empty(); // a greedy variable takes one segment at least
                }
                params.put(segment.name(), decode(String.join("/", path.subList(i, path.size()))));
                return Optional.of(params);
            }
            if (i >= path.size()) {
                return Optional.empty();
            }
            String value = decode(path.get(i));
            if (segment.kind() == Segment.Kind.VARIABLE) {
                params.put(segment.name(), value);
            } else if (!segment.text().equals(path.get(i)) && !segment.text().equals(value)) {
                return Optional.empty();
            }
        }
        return pattern.size() == path.size() ? Optional.of(params) : Optional.empty();
    }

    /** Literal before variable before greedy, at the first segment where they differ; then the longer path first. */
    private static int compareSegments(List<Segment> a, List<Segment> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int byKind = a.get(i).kind().compareTo(b.get(i).kind());
            if (byKind != 0) {
                return byKind;
            }
        }
        return Integer.compare(b.size(), a.size());
    }

    /** A percent-decoded segment; '+' stays '+' (it is a space only in a query). */
    static String decode(String segment) {
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // a malformed escape is taken literally
        }
    }
}
