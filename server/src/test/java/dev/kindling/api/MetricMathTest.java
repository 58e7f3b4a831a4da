package dev.kindling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Metric math over series given by hand: precedence, series with series and numbers, the functions, errors. */
class MetricMathTest {
    private static final Instant T1 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-06T10:01:00Z");
    private static final Instant T3 = Instant.parse("2026-12-06T10:02:00Z");

    private static final Map<String, NavigableMap<Instant, Double>> SERIES = Map.of(
            "errors", new TreeMap<>(Map.of(T1, 1.0, T2, 0.0, T3, 2.0)),
            "invocations", new TreeMap<>(Map.of(T1, 4.0, T2, 0.0, T3, 2.0)),
            "other", new TreeMap<>(Map.of(T2, 10.0)));

    private static NavigableMap<Instant, Double> evaluate(String expression) {
        return MetricMath.evaluate(expression, "MetricDataQueries.member.3.Expression", id -> {
            if (!SERIES.containsKey(id)) {
                throw CloudWatchError.validation("unknown " + id);
            }
            return SERIES.get(id);
        });
    }

    @Test
    void theConsolesSuccessRate() {
        assertThat(evaluate("100 - 100 * errors / MAX([errors, invocations])"))
                .as("no value where both are 0").containsExactly(Map.entry(T1, 75.0), Map.entry(T3, 0.0));
    }

    @Test
    void arithmeticFollowsPrecedenceAndTimestamps() {
        assertThat(evaluate("(errors + invocations) * 2 - -1")).containsExactly(Map.entry(T1, 11.0),
                Map.entry(T2, 1.0), Map.entry(T3, 9.0));
        assertThat(evaluate("errors + other")).as("where both have a value").containsExactly(Map.entry(T2, 10.0));
        assertThat(evaluate("errors * 0 + SUM(invocations)")).containsExactly(Map.entry(T1, 6.0),
                Map.entry(T2, 6.0), Map.entry(T3, 6.0));
        assertThat(evaluate("AVG([errors, invocations, other])")).containsExactly(Map.entry(T1, 2.5),
                Map.entry(T2, 10.0 / 3), Map.entry(T3, 2.0));
        assertThat(evaluate("MIN([errors, invocations])")).containsEntry(T1, 1.0);
    }

    @Test
    void whatItCannotEvaluateIsSaid() {
        assertThatThrownBy(() -> evaluate("FILL(errors, 0)")).hasMessageContaining("not FILL");
        assertThatThrownBy(() -> evaluate("errors +")).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> evaluate("errors ) 1")).hasMessageContaining("unexpected ')'");
        assertThatThrownBy(() -> evaluate("MAX(errors)")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> evaluate("[errors, other]")).hasMessageContaining("not an array");
        assertThatThrownBy(() -> evaluate("nothing * 2")).hasMessageContaining("unknown nothing");
    }
}
