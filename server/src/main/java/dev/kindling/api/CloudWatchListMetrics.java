package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.telemetry.MetricDimension;
import dev.kindling.telemetry.MetricKey;
import dev.kindling.telemetry.MetricStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** ListMetrics: the metrics with values recently, filtered by namespace, name and dimensions, 500 to a page. */
final class CloudWatchListMetrics {
    private static final int LIST_PAGE = 500;
    /** ListMetrics names metrics with values in the last two weeks, as AWS does. */
    private static final Duration LISTED = Duration.ofDays(14);

    private final MetricStore store;
    private final Clock clock;

    CloudWatchListMetrics(MetricStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    ObjectNode listMetrics(CloudWatchInput request) {
        Optional<String> namespace = request.text("Namespace");
        Optional<String> metricName = request.text("MetricName");
        List<CloudWatchInput> filters = request.list("Dimensions");
        if (filters.size() > 10) {
            throw CloudWatchError.invalidParameterValue("The collection Dimensions must not have a size greater"
                    + " than 10.");
        }
        List<MetricDimension> wanted = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (CloudWatchInput filter : filters) {
            String name = filter.requiredText("Name");
            Optional<String> value = filter.text("Value");
            names.add(name);
            value.ifPresent(v -> wanted.add(new MetricDimension(name, v)));
        }
        Duration recent = request.text("RecentlyActive").map(active -> {
            if (!active.equals("PT3H")) {
                throw CloudWatchError.validation("1 validation error detected: Value '" + active + "' at"
                        + " 'recentlyActive' failed to satisfy constraint: Member must satisfy enum value set: [PT3H]");
            }
            return Duration.ofHours(3);
        }).orElse(LISTED);
        int offset = request.text("NextToken").map(CloudWatchListMetrics::offsetOf).orElse(0);
        List<MetricKey> matching = store.metrics(namespace, metricName, clock.instant().minus(recent)).stream()
                .map(MetricStore.Metric::key)
                .filter(key -> key.dimensions().containsAll(wanted)
                        && names.stream().allMatch(n -> key.dimensions().stream().anyMatch(d -> d.name().equals(n))))
                .toList();
        if (offset > matching.size()) {
            throw CloudWatchError.invalidNextToken("The NextToken is not one this server gave.");
        }
        ArrayNode metrics = Json.MAPPER.createArrayNode();
        matching.subList(offset, Math.min(matching.size(), offset + LIST_PAGE)).forEach(key -> {
            ObjectNode metric = Json.object().put("Namespace", key.namespace()).put("MetricName", key.metricName());
            ArrayNode dimensions = metric.putArray("Dimensions");
            key.dimensions().forEach(d -> dimensions.addObject().put("Name", d.name()).put("Value", d.value()));
            metrics.add(metric);
        });
        ObjectNode answer = Json.object();
        answer.set("Metrics", metrics);
        if (offset + LIST_PAGE < matching.size()) {
            answer.put("NextToken", Base64.getUrlEncoder().encodeToString(
                    ("offset:" + (offset + LIST_PAGE)).getBytes(StandardCharsets.UTF_8)));
        }
        return answer;
    }

    private static int offsetOf(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("offset:")) {
                return Integer.parseInt(text.substring("offset:".length()));
            }
        } catch (IllegalArgumentException e) {
            // not a token of ours: answered below
        }
        throw CloudWatchError.invalidNextToken("The NextToken is not one this server gave.");
    }
}
