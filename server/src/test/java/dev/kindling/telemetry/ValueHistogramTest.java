package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Percentiles from the histogram against the exact nearest-rank values, and its stored text. */
class ValueHistogramTest {
    @Test
    void percentilesAreWithinOnePercentOfTheExactValues() {
        Random random = new Random(7);
        double[] values = new double[10_000];
        ValueHistogram histogram = new ValueHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(random.nextGaussian() * 2 + 3); // durations from under 1 ms to seconds
            histogram.add(values[i]);
        }
        java.util.Arrays.sort(values);
        for (double percent : new double[] {1, 10, 50, 90, 99, 99.9}) {
            double exact = values[(int) Math.ceil(percent / 100 * values.length) - 1];
            assertThat(histogram.percentile(percent, values[0], values[values.length - 1]))
                    .as("p" + percent).isCloseTo(exact, within(exact * 0.01));
        }
        assertThat(histogram.percentile(100, values[0], values[values.length - 1]))
                .isEqualTo(values[values.length - 1]);
    }

    @Test
    void zeroAndNegativeValuesHaveTheirPlace() {
        ValueHistogram histogram = new ValueHistogram();
        histogram.add(-5, 2);
        histogram.add(0, 3);
        histogram.add(7, 5);
        assertThat(histogram.percentile(20, -5, 7)).isCloseTo(-5, within(0.05));
        assertThat(histogram.percentile(50, -5, 7)).isZero();
        assertThat(histogram.percentile(60, -5, 7)).isCloseTo(7, within(0.07));
        ValueHistogram copy = ValueHistogram.decode(histogram.encode());
        assertThat(copy.encode()).isEqualTo(histogram.encode());
        assertThat(copy.count()).isEqualTo(10);
    }
}
