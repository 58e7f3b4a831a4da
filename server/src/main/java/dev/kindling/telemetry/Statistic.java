package dev.kindling.telemetry;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * A statistic CloudWatch computes over a period's values: one of the five it keeps (SampleCount, Average, Sum,
 * Minimum, Maximum) or a percentile {@code pNN} / {@code pNN.NN} (0 to 100).
 */
public record Statistic(String name, Kind kind, double percent) {
    public enum Kind { SAMPLE_COUNT, AVERAGE, SUM, MINIMUM, MAXIMUM, PERCENTILE }

    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,10})?|100(\\.0{1,10})?)");

    /** The statistic {@code name} names, if it is one Kindling computes. */
    public static Optional<Statistic> parse(String name) {
        Optional<Kind> simple = switch (name) {
            case "SampleCount" -> Optional.of(Kind.SAMPLE_COUNT);
            case "Average" -> Optional.of(Kind.AVERAGE);
            case "Sum" -> Optional.of(Kind.SUM);
            case "Minimum" -> Optional.of(Kind.MINIMUM);
            case "Maximum" -> Optional.of(Kind.MAXIMUM);
            default -> Optional.empty();
        };
        if (simple.isPresent()) {
            return Optional.of(new Statistic(name, simple.get(), 0));
        }
        if (PERCENTILE.matcher(name).matches()) {
            return Optional.of(new Statistic(name, Kind.PERCENTILE, Double.parseDouble(name.substring(1))));
        }
        return Optional.empty();
    }

    /** The statistic's value over {@code stats}; empty for a percentile of values whose distribution is unknown. */
    public OptionalDouble of(MinuteStats stats) {
        return switch (kind) {
            case SAMPLE_COUNT -> OptionalDouble.of(stats.sampleCount());
            case AVERAGE -> OptionalDouble.of(stats.average());
            case SUM -> OptionalDouble.of(stats.sum());
            case MINIMUM -> OptionalDouble.of(stats.minimum());
            case MAXIMUM -> OptionalDouble.of(stats.maximum());
            case PERCENTILE -> stats.percentile(percent);
        };
    }
}
