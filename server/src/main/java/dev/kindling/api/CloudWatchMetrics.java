package dev.kindling.api;

import dev.kindling.telemetry.MetricDimension;
import dev.kindling.telemetry.MetricKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What CloudWatch's operations share: a metric, its dimensions, a unit, a period, read and checked as AWS does. */
final class CloudWatchMetrics {
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes",
            "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
            "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
            "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
            "Terabits/Second", "Count/Second", "None");

    private CloudWatchMetrics() {}

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
    static int period(CloudWatchInput holder, String member) {
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

}
