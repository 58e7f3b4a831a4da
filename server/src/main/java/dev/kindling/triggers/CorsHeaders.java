package dev.kindling.triggers;

import dev.kindling.store.CorsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A function URL's CORS behaviour, as AWS's: with Cors configured, a preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) is answered without invoking the function, and the answer to an allowed origin
 * carries Access-Control-Allow-Origin (the origin, or * when AllowOrigins has *), -Allow-Credentials and
 * -Expose-Headers; the function's own Access-Control-* headers are replaced. An origin not allowed gets no CORS
 * headers (the browser then refuses the response). Without Cors, requests go to the function untouched.
 */
final class CorsHeaders {
    private final Optional<CorsSettings> settings;
    private final Optional<String> origin;

    CorsHeaders(Optional<CorsSettings> settings, Optional<String> origin) {
        this.settings = settings;
        this.origin = origin;
    }

    boolean isPreflight(HttpExchange exchange) {
        return settings.isPresent() && exchange.method().equals("OPTIONS") && origin.isPresent()
                && exchange.header("Access-Control-Request-Method").isPresent();
    }

    HttpAnswer preflight() {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        allowedOrigin().ifPresent(allowed -> {
            CorsSettings cors = settings.get();
            headers.add(Map.entry("Access-Control-Allow-Origin", allowed));
            cors.allowMethods().filter(m -> !m.isEmpty()).ifPresent(m -> headers.add(
                    Map.entry("Access-Control-Allow-Methods", String.join(",", m))));
            cors.allowHeaders().filter(h -> !h.isEmpty()).ifPresent(h -> headers.add(
                    Map.entry("Access-Control-Allow-Headers", String.join(",", h))));
            cors.exposeHeaders().filter(h -> !h.isEmpty()).ifPresent(h -> headers.add(
                    Map.entry("Access-Control-Expose-Headers", String.join(",", h))));
            cors.allowCredentials().filter(Boolean::booleanValue).ifPresent(c -> headers.add(
                    Map.entry("Access-Control-Allow-Credentials", "true")));
            cors.maxAge().ifPresent(age -> headers.add(Map.entry("Access-Control-Max-Age", age.toString())));
            headers.add(Map.entry("Vary", "Origin"));
        });
        return new HttpAnswer(200, headers, new byte[0]);
    }

    HttpAnswer onResponse(HttpAnswer answer) {
        if (settings.isEmpty()) {
            return answer;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(answer.headers().stream()
                .filter(h -> !h.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-")).toList());
        allowedOrigin().ifPresent(allowed -> {
            CorsSettings cors = settings.get();
            headers.add(Map.entry("Access-Control-Allow-Origin", allowed));
            cors.exposeHeaders().filter(h -> !h.isEmpty()).ifPresent(h -> headers.add(
                    Map.entry("Access-Control-Expose-Headers", String.join(",", h))));
            cors.allowCredentials().filter(Boolean::booleanValue).ifPresent(c -> headers.add(
                    Map.entry("Access-Control-Allow-Credentials", "true")));
            headers.add(Map.entry("Vary", "Origin"));
        });
        return new HttpAnswer(answer.status(), headers, answer.body());
    }

    /** The Access-Control-Allow-Origin value for this request's origin, if it is allowed. */
    private Optional<String> allowedOrigin() {
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        List<String> allowed = settings.get().origins();
        if (allowed.contains("*")) {
            return Optional.of("*");
        }
        return allowed.stream().filter(o -> o.equalsIgnoreCase(origin.get())).findFirst().map(o -> origin.get());
    }
}
