package dev.kindling.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.pool.Environment.State;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The life of an environment, edge by edge: each edge the life has is allowed, every other is refused. (How the pool
 * walks these edges is EnvironmentPoolTest's subject.)
 */
class EnvironmentStateTest {
    private static void assertEdges(State from, Set<State> allowed) {
        for (State to : State.values()) {
            assertThat(from.canBecome(to)).as("%s -> %s", from, to).isEqualTo(allowed.contains(to));
        }
    }

    @Test
    void aStartingEnvironmentIsLeasedOrInitialisedAheadOrDies() {
        assertEdges(State.STARTING, EnumSet.of(State.BUSY, State.IDLE, State.DEAD));
    }

    @Test
    void aBusyEnvironmentGoesBackIdleOrDies() {
        assertEdges(State.BUSY, EnumSet.of(State.IDLE, State.DEAD));
    }

    @Test
    void anIdleEnvironmentIsLeasedAgainOrDies() {
        assertEdges(State.IDLE, EnumSet.of(State.BUSY, State.DEAD));
    }

    @Test
    void aDeadEnvironmentStaysDead() {
        assertEdges(State.DEAD, EnumSet.noneOf(State.class));
    }
}
