package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformLinesTest {
    @Test
    void durationsHaveTwoDecimalsRoundedHalfUpAsInReportLines() {
        assertThat(PlatformLines.twoDecimals(0)).isEqualTo("0.00");
        assertThat(PlatformLines.twoDecimals(5.857)).isEqualTo("5.86");
        assertThat(PlatformLines.twoDecimals(5.805)).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", 5.805));
        assertThat(PlatformLines.twoDecimals(0.04)).isEqualTo("0.04");
        assertThat(PlatformLines.twoDecimals(12.1)).isEqualTo("12.10");
        assertThat(PlatformLines.twoDecimals(1234567.995)).isEqualTo("1234568.00");
        assertThat(PlatformLines.twoDecimals(-0.05)).isEqualTo("-0.05");
    }
}
