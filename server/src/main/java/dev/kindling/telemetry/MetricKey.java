package dev.kindling.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What names one CloudWatch metric: its namespace, its name and its whole set of dimensions (a metric with
 * {@code FunctionName} alone and one with {@code FunctionName} and {@code Resource} are two metrics, as on AWS).
 * Dimensions are kept sorted by name, so one set always compares and stores the same.
 */
public record MetricKey(String namespace, String metricName, List<MetricDimension> dimensions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public MetricKey {
        List<MetricDimension> sorted = new ArrayList<>(dimensions);
        sorted.sort(Comparator.comparing(MetricDimension::name));
        dimensions = List.copyOf(sorted);
    }

    public static MetricKey of(String namespace, String metricName, MetricDimension... dimensions) {
        return new MetricKey(namespace, metricName, List.of(dimensions));
    }

    /** The dimensions as stored: a JSON array of [name, value] pairs, sorted by name. */
    public String dimensionsText() {
        List<List<String>> pairs = dimensions.stream().map(d -> List.of(d.name(), d.value())).toList();
        try {
            return JSON.writeValueAsString(pairs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // lists of strings always serialise
        }
    }

    /** The dimensions from their stored text ({@link #dimensionsText}). */
    public static List<MetricDimension> dimensionsOf(String text) {
        try {
            List<MetricDimension> dimensions = new ArrayList<>();
            for (var pair : JSON.readTree(text)) {
                dimensions.add(new MetricDimension(pair.get(0).asText(), pair.get(1).asText()));
            }
            return dimensions;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored dimensions are not a JSON array of pairs: " + text, e);
        }
    }
}
