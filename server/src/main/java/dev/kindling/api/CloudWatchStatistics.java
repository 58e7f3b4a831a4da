package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.kindling.telemetry.MetricKey;
import dev.kindling.telemetry.MetricStore;
import dev.kindling.telemetry.Statistic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CloudWatch's statistics over the {@link MetricStore}: GetMetricData (MetricStat queries, and the metric math
 * {@link MetricMath} evaluates) and GetMetricStatistics. Checks follow AWS's limits and messages.
 */
final class CloudWatchStatistics {
    /** GetMetricStatistics' most datapoints per call. */
    private static final int MAX_STATISTICS_DATAPOINTS = 1440;
    private static final int MAX_QUERIES = 500;
    /** Metric query ids: a lowercase letter first, then letters, digits and underscores. */
    private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");

    private final MetricStore store;

    CloudWatchStatistics(MetricStore store) {
        this.store = store;
    }

    ObjectNode getMetricData(CloudWatchInput request) {
        Instant start = request.requiredTimestamp("StartTime");
        Instant end = request.requiredTimestamp("EndTime");
        requireOrder(start, end);
        if (request.has("NextToken")) {
            throw CloudWatchError.invalidNextToken("The NextToken is not one this server gave.");
        }
        boolean ascending = request.text("ScanBy").map(scan -> switch (scan) {
            case "TimestampAscending" -> true;
            case "TimestampDescending" -> false;
            default -> throw CloudWatchError.validation("1 validation error detected: Value '" + scan
                    + "' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [TimestampDescending, TimestampAscending]");
        }).orElse(false);
        List<CloudWatchInput> queries = request.list("MetricDataQueries");
        if (queries.isEmpty()) {
            throw CloudWatchError.missingParameter("MetricDataQueries");
        }
        if (queries.size() > MAX_QUERIES) {
            throw CloudWatchError.invalidParameterValue("The collection MetricDataQueries must not have a size greater"
                    + " than " + MAX_QUERIES + ".");
        }
        Map<String, Query> parsed = new LinkedHashMap<>();
        for (CloudWatchInput query : queries) {
            Query one = query(query);
            if (parsed.putIfAbsent(one.id(), one) != null) {
                throw CloudWatchError.validation("The value " + one.id() + " for parameter "
                        + query.nameOf("Id") + " is duplicated.");
            }
        }
        Series series = new Series(parsed, start, end);
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (Query query : parsed.values()) {
            if (query.returnData()) {
                results.add(result(query, series.of(query.id()), ascending));
            }
        }
        ObjectNode answer = Json.object();
        answer.set("MetricDataResults", results);
        answer.set("Messages", Json.MAPPER.createArrayNode());
        return answer;
    }

    /** One of GetMetricData's queries: a statistic of a stored metric, or metric math over other queries. */
    private sealed interface Query permits StatQuery, ExpressionQuery {
        String id();

        String label();

        boolean returnData();
    }

    private record StatQuery(String id, String label, MetricKey metric, Optional<String> unit, int period,
            Statistic stat, boolean returnData) implements Query {}

    /** @param parameter the expression's parameter name, for messages */
    private record ExpressionQuery(String id, String label, String expression, String parameter,
            boolean returnData) implements Query {}

    /** Each query's series, computed once, expressions after the queries they name. */
    private final class Series {
        private final Map<String, Query> queries;
        private final Instant start;
        private final Instant end;
        private final Map<String, NavigableMap<Instant, Double>> computed = new HashMap<>();
        private final Set<String> evaluating = new HashSet<>();

        Series(Map<String, Query> queries, Instant start, Instant end) {
            this.queries = queries;
            this.start = start;
            this.end = end;
        }

        NavigableMap<Instant, Double> of(String id) {
            NavigableMap<Instant, Double> done = computed.get(id);
            if (done != null) {
                return done;
            }
            Query query = queries.get(id);
            NavigableMap<Instant, Double> points = switch (query) {
                case StatQuery stat -> statistic(stat);
                case ExpressionQuery math -> {
                    if (!evaluating.add(id)) {
                        throw CloudWatchError.validation("The expression in " + math.parameter()
                                + " refers to itself through " + String.join(", ", evaluating) + ".");
                    }
                    NavigableMap<Instant, Double> value = MetricMath.evaluate(math.expression(), math.parameter(),
                            other -> {
                                if (!queries.containsKey(other)) {
                                    throw CloudWatchError.validation("The expression in " + math.parameter()
                                            + " names " + other + ", which is not the id of a query.");
                                }
                                return of(other);
                            });
                    evaluating.remove(id);
                    yield value;
                }
            };
            computed.put(id, points);
            return points;
        }

        private NavigableMap<Instant, Double> statistic(StatQuery query) {
            TreeMap<Instant, Double> points = new TreeMap<>();
            for (MetricStore.Datapoint point : store.statistics(query.metric(), query.unit(), start, end,
                    query.period())) {
                query.stat().of(point.stats()).ifPresent(value -> points.put(point.start(), value));
            }
            return points;
        }
    }

    private Query query(CloudWatchInput query) {
        String id = query.requiredText("Id");
        if (!QUERY_ID.matcher(id).matches() || id.length() > 255) {
            throw CloudWatchError.validation("The value " + id + " for parameter " + query.nameOf("Id")
                    + " is not valid: an id starts with a lowercase letter and holds only letters, digits and"
                    + " underscores.");
        }
        Optional<CloudWatchInput> metricStat = query.structure("MetricStat");
        boolean returnData = query.bool("ReturnData", true);
        Optional<String> expression = query.text("Expression");
        if (expression.isPresent()) {
            if (metricStat.isPresent()) {
                throw CloudWatchError.invalidParameterCombination("The parameters " + query.nameOf("MetricStat")
                        + " and " + query.nameOf("Expression") + " are mutually exclusive and you have specified"
                        + " both.");
            }
            if (expression.get().isBlank() || expression.get().length() > 2048) {
                throw CloudWatchError.invalidParameterValue("The parameter " + query.nameOf("Expression")
                        + " must hold 1 to 2048 characters.");
            }
            return new ExpressionQuery(id, query.text("Label").orElse(id), expression.get(),
                    query.nameOf("Expression"), returnData);
        }
        CloudWatchInput stat = metricStat.orElseThrow(() -> CloudWatchError.invalidParameterValue(
                "Exactly one of " + query.nameOf("MetricStat") + " and " + query.nameOf("Expression")
                        + " must be given."));
        MetricKey metric = CloudWatchMetrics.metric(stat.requiredStructure("Metric"));
        int period = CloudWatchMetrics.period(stat, "Period");
        String statName = stat.requiredText("Stat");
        Statistic statistic = Statistic.parse(statName).orElseThrow(() -> CloudWatchError.invalidParameterValue(
                "The value " + statName + " for parameter " + stat.nameOf("Stat") + " is not a statistic Kindling"
                        + " computes: SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p99."));
        return new StatQuery(id, query.text("Label").orElse(metric.metricName()), metric,
                CloudWatchMetrics.unit(stat), period, statistic, returnData);
    }

    private static ObjectNode result(Query query, NavigableMap<Instant, Double> points, boolean ascending) {
        ArrayNode timestamps = Json.MAPPER.createArrayNode();
        ArrayNode values = Json.MAPPER.createArrayNode();
        (ascending ? points : points.descendingMap()).forEach((time, value) -> {
            timestamps.add(new POJONode(time));
            values.add(value);
        });
        ObjectNode result = Json.object().put("Id", query.id()).put("Label", query.label());
        result.set("Timestamps", timestamps);
        result.set("Values", values);
        result.put("StatusCode", "Complete");
        return result;
    }

    ObjectNode getMetricStatistics(CloudWatchInput request) {
        MetricKey metric = CloudWatchMetrics.metric(request);
        Instant start = request.requiredTimestamp("StartTime");
        Instant end = request.requiredTimestamp("EndTime");
        int period = CloudWatchMetrics.period(request, "Period");
        requireOrder(start, end);
        List<String> simple = request.texts("Statistics");
        List<String> extended = request.texts("ExtendedStatistics");
        if (simple.isEmpty() == extended.isEmpty()) {
            throw CloudWatchError.invalidParameterCombination(
                    "Must specify either Statistics or ExtendedStatistics, but not both.");
        }
        if (simple.size() > 5 || extended.size() > 10) {
            throw CloudWatchError.invalidParameterValue("At most 5 Statistics and 10 ExtendedStatistics may be"
                    + " asked for.");
        }
        List<Statistic> statistics = new ArrayList<>();
        for (String name : simple) {
            statistics.add(Statistic.parse(name).filter(s -> s.kind() != Statistic.Kind.PERCENTILE)
                    .orElseThrow(() -> CloudWatchError.invalidParameterValue("The parameter Statistics can only"
                            + " hold SampleCount, Average, Sum, Minimum and Maximum, not " + name + ".")));
        }
        for (String name : extended) {
            statistics.add(Statistic.parse(name).filter(s -> s.kind() == Statistic.Kind.PERCENTILE)
                    .orElseThrow(() -> CloudWatchError.invalidParameterValue("The value " + name
                            + " for parameter ExtendedStatistics is not a valid percentile (p0.0 to p100).")));
        }
        long datapoints = (Duration.between(start, end).getSeconds() + period - 1) / period;
        if (datapoints > MAX_STATISTICS_DATAPOINTS) {
            throw CloudWatchError.invalidParameterCombination("You have requested up to " + datapoints
                    + " datapoints, which exceeds the limit of " + MAX_STATISTICS_DATAPOINTS + ". You may reduce the"
                    + " datapoints requested by increasing Period, or decreasing the time range.");
        }
        ArrayNode points = Json.MAPPER.createArrayNode();
        Optional<String> unit = CloudWatchMetrics.unit(request);
        for (MetricStore.Datapoint point : store.statistics(metric, unit, start, end, period)) {
            ObjectNode datapoint = Json.object();
            datapoint.set("Timestamp", new POJONode(point.start()));
            ObjectNode percentiles = Json.object();
            for (Statistic statistic : statistics) {
                OptionalDouble value = statistic.of(point.stats());
                if (value.isPresent() && statistic.kind() == Statistic.Kind.PERCENTILE) {
                    percentiles.put(statistic.name(), value.getAsDouble());
                } else if (value.isPresent()) {
                    datapoint.put(statistic.name(), value.getAsDouble());
                }
            }
            if (!percentiles.isEmpty()) {
                datapoint.set("ExtendedStatistics", percentiles);
            }
            datapoint.put("Unit", point.unit());
            points.add(datapoint);
        }
        ObjectNode answer = Json.object().put("Label", metric.metricName());
        answer.set("Datapoints", points);
        return answer;
    }

    private static void requireOrder(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw CloudWatchError.invalidParameterValue(
                    "The parameter StartTime must be less than the parameter EndTime.");
        }
    }
}
