package dev.kindling.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every edge of {@link CpuContention}: when environments are weighed and when they are released. */
class CpuContentionTest {
    @Test
    void atRestACalmWindowChangesNothing() {
        assertThat(CpuContention.atRest().next(0.0)).isEqualTo(CpuContention.atRest());
        assertThat(CpuContention.atRest().next(CpuContention.CONTENDED - 0.01)).isEqualTo(CpuContention.atRest());
    }

    @Test
    void oneContendedWindowWeighs() {
        assertThat(CpuContention.atRest().next(CpuContention.CONTENDED)).isEqualTo(new CpuContention(true, 0));
        assertThat(CpuContention.atRest().next(1.0).weighted()).isTrue();
    }

    @Test
    void calmWindowsAreCountedWhileWeighed() {
        assertThat(new CpuContention(true, 0).next(0.0)).isEqualTo(new CpuContention(true, 1));
        assertThat(new CpuContention(true, 3).next(CpuContention.CALM - 0.01)).isEqualTo(new CpuContention(true, 4));
    }

    @Test
    void aWindowThatIsNotCalmRestartsTheCount() {
        assertThat(new CpuContention(true, 20).next(CpuContention.CALM)).isEqualTo(new CpuContention(true, 0));
    }

    @Test
    void enoughCalmWindowsInARowRelease() {
        CpuContention state = CpuContention.atRest().next(0.5);
        for (int window = 1; window < CpuContention.CALM_WINDOWS_TO_RELEASE; window++) {
            state = state.next(0.0);
            assertThat(state.weighted()).as("after %d calm windows", window).isTrue();
        }
        assertThat(state.next(0.0)).isEqualTo(CpuContention.atRest());
    }
}
