package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.triggers.PollerDecisions.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollerDecisionsTest {
    private static final Duration NO_WINDOW = Duration.ZERO;

    @Test
    void anEmptyBatchIsNeverInvoked() {
        assertThat(PollerDecisions.readyToInvoke(0, 0, 10, NO_WINDOW, Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void withoutAWindowWhatOneReceiveGotIsInvoked() {
        assertThat(PollerDecisions.readyToInvoke(3, 300, 10, NO_WINDOW, Duration.ZERO)).isTrue();
    }

    @Test
    void withAWindowTheBatchWaitsUntilFullOrTheWindowHasPassed() {
        Duration window = Duration.ofSeconds(2);
        assertThat(PollerDecisions.readyToInvoke(30, 3000, 100, window, Duration.ofMillis(500))).isFalse();
        assertThat(PollerDecisions.readyToInvoke(100, 10000, 100, window, Duration.ofMillis(500))).isTrue();
        assertThat(PollerDecisions.readyToInvoke(30, 3000, 100, window, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void aBatchNearTheInvocationPayloadLimitGoesAtOnce() {
        assertThat(PollerDecisions.readyToInvoke(5, PollerDecisions.MAX_BATCH_BYTES, 100, Duration.ofSeconds(5),
                Duration.ZERO)).isTrue();
    }

    @Test
    void receivesAskForAtMostTenAndNoMoreThanTheBatchLacks() {
        assertThat(PollerDecisions.receiveCount(0, 100)).isEqualTo(10);
        assertThat(PollerDecisions.receiveCount(97, 100)).isEqualTo(3);
        assertThat(PollerDecisions.receiveCount(0, 1)).isEqualTo(1);
    }

    @Test
    void anIdleReceiveWaitsBrieflyAGatheringOneWhatIsLeftOfTheWindow() {
        assertThat(PollerDecisions.waitSeconds(0, Duration.ofSeconds(30), Duration.ZERO))
                .isEqualTo(PollerDecisions.IDLE_WAIT_SECONDS);
        assertThat(PollerDecisions.waitSeconds(4, Duration.ofSeconds(10), Duration.ofMillis(2500))).isEqualTo(8);
        assertThat(PollerDecisions.waitSeconds(4, Duration.ofSeconds(300), Duration.ZERO)).isEqualTo(20);
        assertThat(PollerDecisions.waitSeconds(4, Duration.ofSeconds(1), Duration.ofMillis(1500))).isEqualTo(1);
    }

    @Test
    void fullBatchesAddPollersUpToTheLimit() {
        assertThat(PollerDecisions.targetPollers(1, 5, Signal.FULL_BATCH)).isEqualTo(2);
        assertThat(PollerDecisions.targetPollers(5, 5, Signal.FULL_BATCH)).isEqualTo(5);
    }

    @Test
    void emptyReceivesAndThrottlesTakePollersAwayDownToOne() {
        assertThat(PollerDecisions.targetPollers(4, 5, Signal.EMPTY)).isEqualTo(3);
        assertThat(PollerDecisions.targetPollers(4, 5, Signal.THROTTLED)).isEqualTo(3);
        assertThat(PollerDecisions.targetPollers(1, 5, Signal.EMPTY)).isEqualTo(1);
    }

    @Test
    void partialBatchesKeepThePollersAsTheyAre() {
        assertThat(PollerDecisions.targetPollers(3, 5, Signal.PARTIAL_BATCH)).isEqualTo(3);
        assertThat(PollerDecisions.targetPollers(7, 5, Signal.PARTIAL_BATCH)).isEqualTo(5);
    }
}
