package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.kindling.telemetry.MetricDimension;
import dev.kindling.telemetry.MetricKey;
import dev.kindling.telemetry.MetricStore;
import dev.kindling.telemetry.Statistic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CloudWatch's reading operations over the {@link MetricStore}: GetMetricData (MetricStat queries; metric math is not
 * evaluated), GetMetricStatistics, ListMetrics. Checks follow AWS's limits and messages.
 */
final class CloudWatchMetricReads {
    /** GetMetricStatistics' most datapoints per call. */
    private static final int MAX_STATISTICS_DATAPOINTS = 1440;
    private static final int MAX_QUERIES = 500;
    private static final int LIST_PAGE = 500;
    /** Metric query ids: a lowercase letter first, then letters, digits and underscores. */
    private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");
    /** ListMetrics names metrics with values in the last two weeks, as AWS does. */
    private static final Duration LISTED = Duration.ofDays(14);
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes",
            "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
            "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
            "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
            "Terabits/Second", "Count/Second", "None");

    private final MetricStore store;
    private final Clock clock;

    CloudWatchMetricReads(MetricStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
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
        List<MetricQuery> parsed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (CloudWatchInput query : queries) {
            MetricQuery one = metricQuery(query);
            if (!ids.add(one.id())) {
                throw CloudWatchError.validation("The value " + one.id() + " for parameter "
                        + query.nameOf("Id") + " is duplicated.");
            }
            parsed.add(one);
        }
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (MetricQuery query : parsed) {
            if (query.returnData()) {
                results.add(result(query, start, end, ascending));
            }
        }
        ObjectNode answer = Json.object();
        answer.set("MetricDataResults", results);
        answer.set("Messages", Json.MAPPER.createArrayNode());
        return answer;
    }

    private record MetricQuery(String id, String label, MetricKey metric, Optional<String> unit, int period,
            Statistic stat, boolean returnData) {}

    private MetricQuery metricQuery(CloudWatchInput query) {
        String id = query.requiredText("Id");
        if (!QUERY_ID.matcher(id).matches() || id.length() > 255) {
            throw CloudWatchError.validation("The value " + id + " for parameter " + query.nameOf("Id")
                    + " is not valid: an id starts with a lowercase letter and holds only letters, digits and"
                    + " underscores.");
        }
        Optional<CloudWatchInput> metricStat = query.structure("MetricStat");
        if (query.has("Expression")) {
            if (metricStat.isPresent()) {
                throw CloudWatchError.invalidParameterCombination("The parameters " + query.nameOf("MetricStat")
                        + " and " + query.nameOf("Expression") + " are mutually exclusive and you have specified"
                        + " both.");
            }
            throw CloudWatchError.invalidParameterValue("Kindling does not evaluate metric math: "
                    + query.nameOf("Expression") + " is not supported; ask for each metric with a MetricStat.");
        }
        CloudWatchInput stat = metricStat.orElseThrow(() -> CloudWatchError.invalidParameterValue(
                "Exactly one of " + query.nameOf("MetricStat") + " and " + query.nameOf("Expression")
                        + " must be given."));
        MetricKey metric = metric(stat.requiredStructure("Metric"));
        int period = period(stat, "Period");
        String statName = stat.requiredText("Stat");
        Statistic statistic = Statistic.parse(statName).orElseThrow(() -> CloudWatchError.invalidParameterValue(
                "The value " + statName + " for parameter " + stat.nameOf("Stat") + " is not a statistic Kindling"
                        + " computes: SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p99."));
        return new MetricQuery(id, query.text("Label").orElse(metric.metricName()), metric, unit(stat), period,
                statistic, query.bool("ReturnData", true));
    }

    private ObjectNode result(MetricQuery query, Instant start, Instant end, boolean ascending) {
        ArrayNode timestamps = Json.MAPPER.createArrayNode();
        ArrayNode values = Json.MAPPER.createArrayNode();
        List<MetricStore.Datapoint> points = new ArrayList<>(store.statistics(query.metric(), query.unit(), start,
                end, query.period()));
        if (!ascending) {
            points = points.reversed();
        }
        for (MetricStore.Datapoint point : points) {
            OptionalDouble value = query.stat().of(point.stats());
            if (value.isPresent()) {
                timestamps.add(new POJONode(point.start()));
                values.add(value.getAsDouble());
            }
        }
        ObjectNode result = Json.object().put("Id", query.id()).put("Label", query.label());
        result.set("Timestamps", timestamps);
        result.set("Values", values);
        result.put("StatusCode", "Complete");
        return result;
    }

    ObjectNode getMetricStatistics(CloudWatchInput request) {
        MetricKey metric = metric(request);
        Instant start = request.requiredTimestamp("StartTime");
        Instant end = request.requiredTimestamp("EndTime");
        int period = period(request, "Period");
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
        for (MetricStore.Datapoint point : store.statistics(metric, unit(request), start, end, period)) {
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
        int offset = request.text("NextToken").map(CloudWatchMetricReads::offsetOf).orElse(0);
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

    /** A metric: Namespace, MetricName, Dimensions, as GetMetricStatistics and MetricStat name it. */
    static MetricKey metric(CloudWatchInput metric) {
        String namespace = metric.requiredText("Namespace");
        String name = metric.requiredText("MetricName");
        if (namespace.isEmpty() || namespace.length() > 255 || namespace.startsWith(":")) {
            throw CloudWatchError.invalidParameterValue("The value " + namespace + " for parameter "
                    + metric.nameOf("Namespace") + " is invalid.");
        }
        if (name.isEmpty() || name.length() > 255) {
            throw CloudWatchError.invalidParameterValue("The value " + name + " for parameter "
                    + metric.nameOf("MetricName") + " is invalid.");
        }
        return new MetricKey(namespace, name, dimensions(metric));
    }

    static List<MetricDimension> dimensions(CloudWatchInput metric) {
        List<CloudWatchInput> given = metric.list("Dimensions");
        if (given.size() > 30) {
            throw CloudWatchError.invalidParameterValue("The collection " + metric.nameOf("Dimensions")
                    + " must not have a size greater than 30.");
        }
        List<MetricDimension> dimensions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CloudWatchInput dimension : given) {
            String name = dimension.requiredText("Name");
            String value = dimension.requiredText("Value");
            if (name.isEmpty() || name.length() > 255 || value.isEmpty() || value.length() > 1024) {
                throw CloudWatchError.invalidParameterValue("The dimension " + dimension.path() + " must have a"
                        + " Name of 1 to 255 characters and a Value of 1 to 1024.");
            }
            if (!names.add(name)) {
                throw CloudWatchError.invalidParameterValue("No metric may have duplicate dimensions: "
                        + metric.nameOf("Dimensions") + " names " + name + " twice.");
            }
            dimensions.add(new MetricDimension(name, value));
        }
        return dimensions;
    }

    static Optional<String> unit(CloudWatchInput holder) {
        Optional<String> unit = holder.text("Unit");
        unit.ifPresent(u -> {
            if (!UNITS.contains(u)) {
                throw CloudWatchError.invalidParameterValue("The value " + u + " for parameter "
                        + holder.nameOf("Unit") + " is not a CloudWatch unit.");
            }
        });
        return unit;
    }

    /**
     * A period: a multiple of 60 seconds, as for every metric stored per minute. 1, 5, 10, 20 and 30 (AWS's
     * high-resolution periods) are answered per minute, since Kindling keeps nothing finer.
     */
    private static int period(CloudWatchInput holder, String member) {
        int period = holder.integer(member).orElseThrow(() -> CloudWatchError.missingParameter(
                holder.nameOf(member)));
        if (period < 1) {
            throw CloudWatchError.invalidParameterValue("The parameter " + holder.nameOf(member)
                    + " must be greater than 0.");
        }
        if (period == 1 || period == 5 || period == 10 || period == 20 || period == 30) {
            return 60;
        }
        if (period % 60 != 0) {
            throw CloudWatchError.invalidParameterValue("The parameter " + holder.nameOf(member)
                    + " must be a multiple of 60.");
        }
        return period;
    }

    private static void requireOrder(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw CloudWatchError.invalidParameterValue(
                    "The parameter StartTime must be less than the parameter EndTime.");
        }
    }
}
