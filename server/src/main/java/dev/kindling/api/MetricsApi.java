package dev.kindling.api;

import dev.kindling.telemetry.PrometheusMetrics;
import java.nio.charset.StandardCharsets;

/**
 * GET /metrics: the server's metrics for Prometheus (docs/metrics.md). Unsigned, as scrapers do not sign: it tells
 * function names and counts, never payloads or code, to whoever reaches the port; {@code --metrics false} turns it off.
 */
public final class MetricsApi implements ApiServer.Operations {
    private final PrometheusMetrics metrics;

    public MetricsApi(PrometheusMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void addRoutes(Router router) {
        router.addUnsigned("Metrics", "GET", "/metrics", request -> ApiResponse.bytes(200,
                metrics.scrape().getBytes(StandardCharsets.UTF_8), PrometheusMetrics.CONTENT_TYPE));
    }
}
