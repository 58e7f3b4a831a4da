package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Schedule expressions and the decision "what fires now", as pure functions of the clock's reading. */
class ScheduleDecisionTest {
    private static Instant at(String time) {
        return Instant.parse(time);
    }

    /** The occurrences of {@code expression} after {@code from}, {@code count} of them. */
    private static List<String> occurrences(String expression, String start, String from, int count) {
        ScheduleExpression schedule = ScheduleExpression.parse(expression);
        List<String> out = new ArrayList<>();
        Instant after = at(from);
        for (int i = 0; i < count; i++) {
            after = schedule.nextAfter(at(start), after).orElseThrow();
            out.add(after.toString());
        }
        return out;
    }

    @Test
    void aRateCountsWholePeriodsFromTheMinuteItStarted() {
        assertThat(occurrences("rate(1 minute)", "2026-03-01T10:00:30Z", "2026-03-01T10:00:30Z", 3))
                .containsExactly("2026-03-01T10:01:00Z", "2026-03-01T10:02:00Z", "2026-03-01T10:03:00Z");
        assertThat(occurrences("rate(5 minutes)", "2026-03-01T10:02:10Z", "2026-03-01T10:20:00Z", 2))
                .containsExactly("2026-03-01T10:22:00Z", "2026-03-01T10:27:00Z");
        assertThat(occurrences("rate(2 hours)", "2026-03-01T10:02:10Z", "2026-03-01T10:02:10Z", 1))
                .containsExactly("2026-03-01T12:02:00Z");
        assertThat(occurrences("rate(1 day)", "2026-03-01T10:02:10Z", "2026-03-01T10:02:10Z", 1))
                .containsExactly("2026-03-02T10:02:00Z");
    }

    @Test
    void cronFieldsTakeValuesRangesListsStepsAndNames() {
        String start = "2026-01-01T00:00:00Z";
        assertThat(occurrences("cron(0 12 * * ? *)", start, "2026-03-01T12:00:00Z", 2))
                .containsExactly("2026-03-02T12:00:00Z", "2026-03-03T12:00:00Z");
        assertThat(occurrences("cron(0/15 9-10 * * ? *)", start, "2026-03-01T10:40:00Z", 3))
                .containsExactly("2026-03-01T10:45:00Z", "2026-03-02T09:00:00Z", "2026-03-02T09:15:00Z");
        // 2 March 2026 is a Monday: MON-FRI at 08:30 skips the weekend
        assertThat(occurrences("cron(30 8 ? * MON-FRI *)", start, "2026-03-06T09:00:00Z", 2))
                .containsExactly("2026-03-09T08:30:00Z", "2026-03-10T08:30:00Z");
        assertThat(occurrences("cron(0 0 1,15 JAN,JUL ? *)", start, "2026-01-20T00:00:00Z", 2))
                .containsExactly("2026-07-01T00:00:00Z", "2026-07-15T00:00:00Z");
        assertThat(occurrences("cron(5 4 * * ? 2027-2028)", start, "2026-05-05T00:00:00Z", 1))
                .containsExactly("2027-01-01T04:05:00Z");
        assertThat(occurrences("cron(*/20 * * * ? *)", start, "2026-03-01T23:59:00Z", 2))
                .containsExactly("2026-03-02T00:00:00Z", "2026-03-02T00:20:00Z");
        // Sunday is 1
        assertThat(occurrences("cron(0 6 ? * 1 *)", start, "2026-03-01T07:00:00Z", 1))
                .containsExactly("2026-03-08T06:00:00Z");
    }

    @Test
    void cronTakesLastDaysNearestWeekdaysAndNthWeekdays() {
        String start = "2026-01-01T00:00:00Z";
        assertThat(occurrences("cron(0 0 L * ? *)", start, "2026-01-31T00:00:00Z", 2))
                .containsExactly("2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z");
        // 1 August 2026 is a Saturday: 1W is Monday the 3rd (it does not leave the month); 15 August is a Saturday
        assertThat(occurrences("cron(0 9 1W * ? *)", start, "2026-07-31T00:00:00Z", 1))
                .containsExactly("2026-08-03T09:00:00Z");
        assertThat(occurrences("cron(0 9 15W * ? *)", start, "2026-08-01T00:00:00Z", 1))
                .containsExactly("2026-08-14T09:00:00Z");
        // the second Tuesday, the last Friday
        assertThat(occurrences("cron(0 10 ? * 3#2 *)", start, "2026-03-01T00:00:00Z", 2))
                .containsExactly("2026-03-10T10:00:00Z", "2026-04-14T10:00:00Z");
        assertThat(occurrences("cron(0 10 ? * 6L *)", start, "2026-03-01T00:00:00Z", 2))
                .containsExactly("2026-03-27T10:00:00Z", "2026-04-24T10:00:00Z");
    }

    @Test
    void aCronWhoseYearsArePastHasNoNextOccurrence() {
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2020)").nextAfter(at("2026-01-01T00:00:00Z"),
                at("2026-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void invalidExpressionsSayWhatIsWrong() {
        for (String bad : List.of("rate(0 minutes)", "rate(1 minutes)", "rate(5 minute)", "rate(5 weeks)",
                "rate(-1 minutes)", "cron(0 12 * * * *)", "cron(0 12 ? * ? *)", "cron(0 12 * *)", "cron(60 12 * * ? *)",
                "cron(0 24 * * ? *)", "cron(0 12 32 * ? *)", "cron(0 12 ? * 8 *)", "cron(0 12 * FOO ? *)",
                "cron(0 12 * * ? 1969)", "cron(0 12 5-1 * ? *)", "cron(0 12 ? * 2#6 *)", "every minute", "")) {
            assertThatThrownBy(() -> ScheduleExpression.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("null");
        }
    }

    @Test
    void anOccurrenceFiresOnceAtTheFirstLookWithinItsMinute() {
        ScheduleExpression everyMinute = ScheduleExpression.parse("rate(1 minute)");
        Instant start = at("2026-03-01T10:00:30Z");
        assertThat(ScheduleDecision.due(everyMinute, start, Optional.empty(), at("2026-03-01T10:00:59Z"))).isEmpty();
        Optional<Instant> first = ScheduleDecision.due(everyMinute, start, Optional.empty(),
                at("2026-03-01T10:01:00.400Z"));
        assertThat(first).contains(at("2026-03-01T10:01:00Z"));
        assertThat(ScheduleDecision.due(everyMinute, start, first, at("2026-03-01T10:01:01Z")))
                .as("fired already").isEmpty();
        assertThat(ScheduleDecision.due(everyMinute, start, first, at("2026-03-01T10:02:02Z")))
                .contains(at("2026-03-01T10:02:00Z"));
    }

    @Test
    void aScheduleMissedWhileStoppedIsSkippedAndTheNextRunsOnTime() {
        ScheduleExpression noon = ScheduleExpression.parse("cron(0 12 * * ? *)");
        Instant start = at("2026-03-01T09:00:00Z");
        Optional<Instant> firedMonday = Optional.of(at("2026-03-02T12:00:00Z"));
        // stopped over Tuesday's noon, started again at 14:00: Tuesday's is not run late, nor twice
        assertThat(ScheduleDecision.due(noon, start, firedMonday, at("2026-03-03T14:00:00Z"))).isEmpty();
        assertThat(ScheduleDecision.due(noon, start, firedMonday, at("2026-03-04T11:59:59Z"))).isEmpty();
        assertThat(ScheduleDecision.due(noon, start, firedMonday, at("2026-03-04T12:00:01Z")))
                .contains(at("2026-03-04T12:00:00Z"));
        // a restart within the minute of an occurrence already fired does not fire it again
        assertThat(ScheduleDecision.due(noon, start, Optional.of(at("2026-03-04T12:00:00Z")),
                at("2026-03-04T12:00:30Z"))).isEmpty();
    }

    @Test
    void nothingAtOrBeforeTheScheduleStartedFires() {
        ScheduleExpression noon = ScheduleExpression.parse("cron(0 12 * * ? *)");
        assertThat(ScheduleDecision.due(noon, at("2026-03-01T12:00:20Z"), Optional.empty(),
                at("2026-03-01T12:00:40Z"))).isEmpty();
        assertThat(ScheduleDecision.due(noon, at("2026-03-01T11:59:50Z"), Optional.empty(),
                at("2026-03-01T12:00:02Z"))).contains(at("2026-03-01T12:00:00Z"));
    }

    @Test
    void schedulerReadsCronAndAtInTheScheduleTimeZone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        ScheduleExpression nineAm = ScheduleExpression.parseWithAt("cron(0 9 * * ? *)");
        assertThat(nineAm.nextAfter(at("2026-03-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), tokyo))
                .contains(at("2026-03-02T00:00:00Z"));
        ScheduleExpression once = ScheduleExpression.parseWithAt("at(2026-07-01T09:30:00)");
        assertThat(once.nextAfter(at("2026-03-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), ZoneId.of("Europe/Paris")))
                .contains(at("2026-07-01T07:30:00Z"));
        assertThat(once.nextAfter(at("2026-03-01T00:00:00Z"), at("2026-07-01T07:30:00Z"), ZoneId.of("Europe/Paris")))
                .as("an at() runs once").isEmpty();
        assertThatThrownBy(() -> ScheduleExpression.parseWithAt("at(2021-12-31T23:59:59Z)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduleExpression.parseWithAt("at(2021-13-31T23:59:59)"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void daylightSavingChangesNeitherSkipNorRepeatAMinute() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 8 March 2026: 02:00 local does not exist (clocks go to 03:00); 1 November 2026: 01:00-02:00 happens twice
        ScheduleExpression twoThirty = ScheduleExpression.parseWithAt("cron(30 2 * * ? *)");
        assertThat(twoThirty.nextAfter(at("2026-03-01T00:00:00Z"), at("2026-03-07T08:00:00Z"), newYork))
                .as("moved forward by the gap").contains(at("2026-03-08T07:30:00Z"));
        ScheduleExpression oneThirty = ScheduleExpression.parseWithAt("cron(30 1 * * ? *)");
        Instant first = oneThirty.nextAfter(at("2026-10-01T00:00:00Z"), at("2026-11-01T04:00:00Z"), newYork)
                .orElseThrow();
        assertThat(first).isEqualTo(at("2026-11-01T05:30:00Z"));
        assertThat(oneThirty.nextAfter(at("2026-10-01T00:00:00Z"), first, newYork))
                .as("not again an hour later").contains(at("2026-11-02T06:30:00Z"));
    }

    @Test
    void aSchedulerScheduleFiresBetweenItsStartAndEnd() {
        ScheduleExpression everyMinute = ScheduleExpression.parseWithAt("rate(1 minute)");
        Instant start = at("2026-03-01T10:00:00Z");
        Optional<Instant> end = Optional.of(at("2026-03-01T10:02:00Z"));
        assertThat(ScheduleDecision.due(everyMinute, ZoneId.of("UTC"), start, end, Optional.empty(),
                at("2026-03-01T10:02:01Z"))).contains(at("2026-03-01T10:02:00Z"));
        assertThat(ScheduleDecision.firesAfter(everyMinute, ZoneId.of("UTC"), start, end, at("2026-03-01T10:02:00Z")))
                .isFalse();
        assertThat(ScheduleDecision.due(everyMinute, ZoneId.of("UTC"), start, end, Optional.empty(),
                at("2026-03-01T10:03:01Z"))).as("after its end").isEmpty();
    }
}
