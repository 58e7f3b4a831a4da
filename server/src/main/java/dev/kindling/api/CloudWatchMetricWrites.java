package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.telemetry.MetricKey;
import dev.kindling.telemetry.MetricStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * PutMetricData: functions (and anyone) publishing metrics of their own namespaces. Every datum is checked before any
 * is stored, so a request stores all of its data or none.
 */
final class CloudWatchMetricWrites {
    private static final int MAX_DATA = 1000;
    private static final int MAX_VALUES = 150;
    /** How far from now a timestamp may be, as on AWS: two weeks back, two hours ahead. */
    private static final Duration OLDEST = Duration.ofDays(14);
    private static final Duration NEWEST = Duration.ofHours(2);

    private final MetricStore store;
    private final Clock clock;

    CloudWatchMetricWrites(MetricStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** One datum, checked: one value, values with counts, or a statistic set. */
    private record Datum(MetricKey key, String unit, Instant at, List<Double> values, List<Double> counts,
            OptionalStatistics set) {}

    private record OptionalStatistics(boolean present, double count, double sum, double minimum, double maximum) {}

    ObjectNode putMetricData(CloudWatchInput request) {
        String namespace = request.requiredText("Namespace");
        if (namespace.startsWith("AWS/")) {
            throw CloudWatchError.invalidParameterValue("The value AWS/ for parameter Namespace is invalid.");
        }
        List<CloudWatchInput> data = request.list("MetricData");
        if (data.isEmpty()) {
            throw CloudWatchError.missingParameter("MetricData");
        }
        if (data.size() > MAX_DATA) {
            throw CloudWatchError.invalidParameterValue("The collection MetricData must not have a size greater than "
                    + MAX_DATA + ".");
        }
        Instant now = clock.instant();
        List<Datum> checked = new ArrayList<>();
        for (CloudWatchInput datum : data) {
            checked.add(datum(namespace, datum, now));
        }
        for (Datum datum : checked) {
            if (datum.set().present()) {
                OptionalStatistics set = datum.set();
                store.recordSet(datum.key(), datum.unit(), datum.at(), set.count(), set.sum(), set.minimum(),
                        set.maximum());
            }
            for (int i = 0; i < datum.values().size(); i++) {
                store.record(datum.key(), datum.unit(), datum.at(), datum.values().get(i), datum.counts().get(i));
            }
        }
        return Json.object();
    }

    private Datum datum(String namespace, CloudWatchInput datum, Instant now) {
        String name = datum.requiredText("MetricName");
        MetricKey key = new MetricKey(namespace, name, CloudWatchMetrics.dimensions(datum));
        if (name.isEmpty() || name.length() > 255) {
            throw CloudWatchError.invalidParameterValue("The value " + name + " for parameter "
                    + datum.nameOf("MetricName") + " is invalid.");
        }
        String unit = CloudWatchMetrics.unit(datum).orElse("None");
        Instant at = datum.timestamp("Timestamp").orElse(now);
        if (at.isBefore(now.minus(OLDEST)) || at.isAfter(now.plus(NEWEST))) {
            throw CloudWatchError.invalidParameterValue("The parameter " + datum.nameOf("Timestamp")
                    + " must specify a time within the past two weeks and no more than two hours in the future.");
        }
        boolean value = datum.has("Value");
        boolean values = datum.has("Values");
        boolean set = datum.has("StatisticValues");
        if (value && values) {
            throw exclusive(datum, "Value", "Values");
        }
        if (value && set) {
            throw exclusive(datum, "Value", "StatisticValues");
        }
        if (values && set) {
            throw exclusive(datum, "Values", "StatisticValues");
        }
        if (value) {
            double one = finite(datum, "Value", datum.number("Value"));
            return new Datum(key, unit, at, List.of(one), List.of(1.0), new OptionalStatistics(false, 0, 0, 0, 0));
        }
        if (set) {
            CloudWatchInput statistics = datum.requiredStructure("StatisticValues");
            double count = finite(statistics, "SampleCount", statistics.number("SampleCount"));
            double sum = finite(statistics, "Sum", statistics.number("Sum"));
            double minimum = finite(statistics, "Minimum", statistics.number("Minimum"));
            double maximum = finite(statistics, "Maximum", statistics.number("Maximum"));
            if (count <= 0 || minimum > maximum) {
                throw CloudWatchError.invalidParameterValue("The parameter " + datum.nameOf("StatisticValues")
                        + " must have a SampleCount above 0 and a Minimum no greater than its Maximum.");
            }
            return new Datum(key, unit, at, List.of(), List.of(),
                    new OptionalStatistics(true, count, sum, minimum, maximum));
        }
        if (!values) {
            throw CloudWatchError.invalidParameterCombination("The parameters " + datum.nameOf("Value") + ", "
                    + datum.nameOf("Values") + " and " + datum.nameOf("StatisticValues")
                    + ": exactly one must be given.");
        }
        List<Double> given = numbers(datum, "Values");
        List<Double> counts = datum.has("Counts") ? numbers(datum, "Counts")
                : given.stream().map(v -> 1.0).toList();
        if (counts.size() != given.size()) {
            throw CloudWatchError.invalidParameterValue("The parameters " + datum.nameOf("Values") + " and "
                    + datum.nameOf("Counts") + " must be of the same size.");
        }
        if (given.size() > MAX_VALUES) {
            throw CloudWatchError.invalidParameterValue("The collection " + datum.nameOf("Values")
                    + " must not have a size greater than " + MAX_VALUES + ".");
        }
        if (counts.stream().anyMatch(c -> c < 0)) {
            throw CloudWatchError.invalidParameterValue("The parameter " + datum.nameOf("Counts")
                    + " must not hold a negative count.");
        }
        return new Datum(key, unit, at, given, counts, new OptionalStatistics(false, 0, 0, 0, 0));
    }

    private static CloudWatchError exclusive(CloudWatchInput datum, String one, String other) {
        return CloudWatchError.invalidParameterCombination("The parameters " + datum.nameOf(one) + " and "
                + datum.nameOf(other) + " are mutually exclusive and you have specified both.");
    }

    private static List<Double> numbers(CloudWatchInput datum, String member) {
        List<Double> numbers = new ArrayList<>();
        for (String text : datum.texts(member)) {
            double number;
            try {
                number = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw CloudWatchError.invalidParameterValue("The value " + text + " for parameter "
                        + datum.nameOf(member) + " is not a number.");
            }
            numbers.add(finite(datum, member, OptionalDouble.of(number)));
        }
        return numbers;
    }

    private static double finite(CloudWatchInput holder, String member, OptionalDouble value) {
        double number = value.orElseThrow(() -> CloudWatchError.missingParameter(holder.nameOf(member)));
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw CloudWatchError.invalidParameterValue("The value " + number + " for parameter "
                    + holder.nameOf(member) + " is invalid: NaN and infinities are not accepted.");
        }
        return number;
    }
}
