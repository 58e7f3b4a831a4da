package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a rule target's RetryPolicy decides after a failed delivery, without threads or clocks. */
class TargetRetryPolicyTest {
    @Test
    void retriesBackOffFromOneSecondDoublingToFiveMinutes() {
        assertThat(TargetRetryPolicy.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(TargetRetryPolicy.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(TargetRetryPolicy.delayAfter(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(TargetRetryPolicy.delayAfter(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(TargetRetryPolicy.delayAfter(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(TargetRetryPolicy.delayAfter(185)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anEventIsGivenUpWhenItsRetriesAreUsedOrItWouldGrowTooOld() {
        TargetRetryPolicy policy = new TargetRetryPolicy(2, Duration.ofSeconds(60));
        assertThat(policy.afterFailure(1, Duration.ZERO).delay()).contains(Duration.ofSeconds(1));
        assertThat(policy.afterFailure(2, Duration.ofSeconds(1)).delay()).contains(Duration.ofSeconds(2));
        assertThat(policy.afterFailure(3, Duration.ofSeconds(3)).exhausted())
                .contains(TargetRetryPolicy.Exhausted.MaximumRetryAttempts);
        assertThat(policy.afterFailure(2, Duration.ofSeconds(59)).exhausted())
                .contains(TargetRetryPolicy.Exhausted.MaximumEventAgeInSeconds);
        assertThat(new TargetRetryPolicy(0, Duration.ofHours(1)).afterFailure(1, Duration.ZERO).exhausted())
                .contains(TargetRetryPolicy.Exhausted.MaximumRetryAttempts);
    }

    @Test
    void aTargetWithoutARetryPolicyHasAwsDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(TargetRetryPolicy.of(json.readTree("{\"Id\": \"t\"}")))
                .isEqualTo(new TargetRetryPolicy(185, Duration.ofHours(24)));
        assertThat(TargetRetryPolicy.of(json.readTree("{\"RetryPolicy\": {\"MaximumRetryAttempts\": 0}}")))
                .isEqualTo(new TargetRetryPolicy(0, Duration.ofHours(24)));
        assertThat(TargetRetryPolicy.of(json.readTree("{\"RetryPolicy\": {\"MaximumEventAgeInSeconds\": 60}}"))
                .afterFailure(1, Duration.ZERO).delay()).isEqualTo(Optional.of(Duration.ofSeconds(1)));
    }
}
