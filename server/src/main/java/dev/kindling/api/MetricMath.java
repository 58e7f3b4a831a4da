package dev.kindling.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;

/**
 * The part of CloudWatch's metric math that charts use: arithmetic (+ - * /, parentheses, unary minus) over numbers
 * and other queries' series by id, and MAX, MIN, SUM and AVG, of an array of series ({@code MAX([errors,
 * invocations])}, per timestamp) or of one series (a number). AWS's console computes a function's success rate with
 * {@code 100 - 100 * errors / MAX([errors, invocations])}. Between two series, a value exists at the timestamps both
 * have; a division by zero leaves its timestamp out. Anything else (METRICS(), FILL, SEARCH, ...) is refused with a
 * message that says what is supported.
 */
final class MetricMath {
    /** A time series: a value per period start. */
    private record Series(NavigableMap<Instant, Double> points) implements Value {}

    private record Scalar(double value) implements Value {}

    private record SeriesArray(List<Series> members) implements Value {}

    private sealed interface Value permits Series, Scalar, SeriesArray {}

    private final String text;
    private final String parameter;
    private final Function<String, NavigableMap<Instant, Double>> seriesById;
    private int at;

    private MetricMath(String text, String parameter, Function<String, NavigableMap<Instant, Double>> seriesById) {
        this.text = text;
        this.parameter = parameter;
        this.seriesById = seriesById;
    }

    /**
     * The series {@code expression} computes.
     *
     * @param parameter the expression's parameter name, for messages
     * @param seriesById another query's series by its id; throws CloudWatchError for an unknown id
     */
    static NavigableMap<Instant, Double> evaluate(String expression, String parameter,
            Function<String, NavigableMap<Instant, Double>> seriesById) {
        MetricMath math = new MetricMath(expression, parameter, seriesById);
        Value value = math.sum();
        math.skipSpaces();
        if (math.at < expression.length()) {
            throw math.error("unexpected '" + expression.charAt(math.at) + "' at position " + (math.at + 1));
        }
        if (value instanceof Series series) {
            return series.points();
        }
        throw math.error("it must compute one time series, not " + (value instanceof Scalar ? "a number"
                : "an array"));
    }

    private Value sum() {
        Value value = product();
        while (true) {
            if (take('+')) {
                value = combine(value, product(), Double::sum);
            } else if (take('-')) {
                value = combine(value, product(), (a, b) -> a - b);
            } else {
                return value;
            }
        }
    }

    private Value product() {
        Value value = unary();
        while (true) {
            if (take('*')) {
                value = combine(value, unary(), (a, b) -> a * b);
            } else if (take('/')) {
                value = combine(value, unary(), (a, b) -> a / b);
            } else {
                return value;
            }
        }
    }

    private Value unary() {
        if (take('-')) {
            return combine(new Scalar(0), unary(), (a, b) -> a - b);
        }
        return primary();
    }

    private Value primary() {
        skipSpaces();
        if (take('(')) {
            Value inner = sum();
            expect(')');
            return inner;
        }
        if (take('[')) {
            List<Series> members = new ArrayList<>();
            do {
                if (!(sum() instanceof Series series)) {
                    throw error("an array holds time series only");
                }
                members.add(series);
            } while (take(','));
            expect(']');
            return new SeriesArray(members);
        }
        if (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
            int start = at;
            while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                at++;
            }
            try {
                return new Scalar(Double.parseDouble(text.substring(start, at)));
            } catch (NumberFormatException e) {
                throw error("'" + text.substring(start, at) + "' is not a number");
            }
        }
        if (at < text.length() && Character.isLetter(text.charAt(at))) {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            String name = text.substring(start, at);
            if (take('(')) {
                if (!List.of("MAX", "MIN", "SUM", "AVG").contains(name)) {
                    throw error("Kindling evaluates MAX, MIN, SUM and AVG, not " + name);
                }
                Value argument = sum();
                expect(')');
                return function(name, argument);
            }
            return new Series(seriesById.apply(name));
        }
        throw error(at < text.length() ? "unexpected '" + text.charAt(at) + "' at position " + (at + 1)
                : "it ends too early");
    }

    private Value function(String name, Value argument) {
        DoubleBinaryOperator fold = switch (name) {
            case "MAX" -> Math::max;
            case "MIN" -> Math::min;
            case "SUM", "AVG" -> Double::sum;
            default -> throw error("Kindling evaluates MAX, MIN, SUM and AVG, not " + name);
        };
        boolean average = name.equals("AVG");
        if (argument instanceof Scalar) {
            return argument;
        }
        if (argument instanceof Series series) {
            double folded = series.points().values().stream().mapToDouble(Double::doubleValue).reduce(fold)
                    .orElse(Double.NaN);
            return new Scalar(average ? folded / series.points().size() : folded);
        }
        TreeMap<Instant, double[]> byTime = new TreeMap<>(); // {folded, count}
        for (Series member : ((SeriesArray) argument).members()) {
            member.points().forEach((time, value) -> byTime.merge(time, new double[] {value, 1},
                    (a, b) -> new double[] {fold.applyAsDouble(a[0], b[0]), a[1] + b[1]}));
        }
        TreeMap<Instant, Double> points = new TreeMap<>();
        byTime.forEach((time, folded) -> points.put(time, average ? folded[0] / folded[1] : folded[0]));
        return new Series(points);
    }

    private Value combine(Value left, Value right, DoubleBinaryOperator op) {
        if (left instanceof SeriesArray || right instanceof SeriesArray) {
            throw error("arithmetic applies to numbers and time series, not to arrays");
        }
        if (left instanceof Scalar a && right instanceof Scalar b) {
            return new Scalar(op.applyAsDouble(a.value(), b.value()));
        }
        TreeMap<Instant, Double> points = new TreeMap<>();
        if (left instanceof Series a && right instanceof Series b) {
            a.points().forEach((time, value) -> {
                Double other = b.points().get(time);
                if (other != null) {
                    put(points, time, op.applyAsDouble(value, other));
                }
            });
        } else if (left instanceof Series a) {
            double b = ((Scalar) right).value();
            a.points().forEach((time, value) -> put(points, time, op.applyAsDouble(value, b)));
        } else {
            double a = ((Scalar) left).value();
            ((Series) right).points().forEach((time, value) -> put(points, time, op.applyAsDouble(a, value)));
        }
        return new Series(points);
    }

    /** Keeps finite values only: a division by zero has no value. */
    private static void put(Map<Instant, Double> points, Instant time, double value) {
        if (Double.isFinite(value)) {
            points.put(time, value);
        }
    }

    private boolean take(char c) {
        skipSpaces();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!take(c)) {
            throw error("'" + c + "' expected at position " + (at + 1));
        }
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private CloudWatchError error(String problem) {
        return CloudWatchError.validation("The expression in " + parameter + " (" + text + ") cannot be evaluated: "
                + problem + ". Kindling's metric math: numbers, query ids, + - * / and parentheses, and MAX, MIN,"
                + " SUM, AVG of a series or of [series, ...].");
    }
}
