package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsagePeriodTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-16T10:20:00Z"), ZoneOffset.UTC);

    private static UsagePeriod since(String since) {
        return UsagePeriod.parse(Optional.of(since), Optional.empty(), NOW);
    }

    private static UsagePeriod month(String month) {
        return UsagePeriod.parse(Optional.empty(), Optional.of(month), NOW);
    }

    @Test
    void theDefaultIsTheCurrentCalendarMonthInUtc() {
        UsagePeriod p = UsagePeriod.parse(Optional.empty(), Optional.empty(), NOW);
        assertThat(p.from()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(p.to()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void aMonthIsItsCalendarMonth() {
        assertThat(month("2026-02")).isEqualTo(new UsagePeriod(Instant.parse("2026-02-01T00:00:00Z"),
                Instant.parse("2026-03-01T00:00:00Z")));
    }

    @Test
    void sinceCountsFromTheStartOfItsHourToTheEndOfTheCurrentOne() {
        Instant endOfHour = Instant.parse("2026-12-16T11:00:00Z");
        assertThat(since("90m")).isEqualTo(new UsagePeriod(Instant.parse("2026-12-16T08:00:00Z"), endOfHour));
        assertThat(since("2h").from()).isEqualTo(Instant.parse("2026-12-16T08:00:00Z"));
        assertThat(since("7d").from()).isEqualTo(Instant.parse("2026-12-09T10:00:00Z"));
        assertThat(since("2w").from()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(since("PT12H").from()).isEqualTo(Instant.parse("2026-12-15T22:00:00Z"));
        assertThat(since("2026-12-01")).isEqualTo(new UsagePeriod(Instant.parse("2026-12-01T00:00:00Z"), endOfHour));
        assertThat(since("2026-12-16T09:59:59Z").from()).isEqualTo(Instant.parse("2026-12-16T09:00:00Z"));
    }

    @Test
    void badInputIsRefusedWithWhatIsAccepted() {
        assertThatThrownBy(() -> month("2026-13")).isInstanceOf(UsagePeriod.InvalidPeriodException.class)
                .hasMessage("month must be a calendar month as YYYY-MM (such as 2026-12), not '2026-13'");
        assertThatThrownBy(() -> month("12/2026")).hasMessageContaining("YYYY-MM");
        assertThatThrownBy(() -> since("yesterday")).isInstanceOf(UsagePeriod.InvalidPeriodException.class)
                .hasMessageStartingWith("since must be a duration (30m, 12h, 7d, 2w, or ISO-8601 such as PT12H)")
                .hasMessageEndingWith("not 'yesterday'");
        assertThatThrownBy(() -> since("3x")).hasMessageContaining("not '3x'");
        assertThatThrownBy(() -> since("-2h")).hasMessageContaining("not '-2h'");
        assertThatThrownBy(() -> since("")).hasMessageContaining("not ''");
        assertThatThrownBy(() -> since("2026-12-31")).hasMessage("since '2026-12-31' is in the future");
        assertThatThrownBy(() -> since("PT-5H")).hasMessage("since 'PT-5H' is a negative duration");
        assertThatThrownBy(() -> UsagePeriod.parse(Optional.of("1d"), Optional.of("2026-12"), NOW))
                .hasMessage("give since or month, not both");
    }
}
