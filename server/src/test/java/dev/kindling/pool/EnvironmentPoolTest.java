package dev.kindling.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.runtimeapi.RuntimeOutcome;
import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.LogGroups;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every edge of an environment's life in the pool, without processes: the starter hands out environments whose
 * teardown is only recorded. (The tests through the SDK run the same pool with real runtimes.)
 */
class EnvironmentPoolTest {
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    @TempDir
    Path logs;

    private LogGroups logGroups;
    private final List<Environment> started = new ArrayList<>();
    private final Set<Environment> destroyed = ConcurrentHashMap.newKeySet(); // close() destroys in parallel
    private static final Duration CREDENTIALS = Duration.ofHours(1);
    private final MovableClock clock = new MovableClock();
    private final EnvironmentPool pool = new EnvironmentPool(this::start, IDLE_TIMEOUT, clock);

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private Environment start(FunctionRecord f) {
        Environment[] self = new Environment[1];
        self[0] = new Environment("env" + started.size(), f, new RuntimeSession(),
                logGroups.open(f.name(), "$LATEST", "0".repeat(32)),
                () -> 0, clock.instant().plus(CREDENTIALS), () -> destroyed.add(self[0]));
        started.add(self[0]);
        return self[0];
    }

    private static FunctionRecord function(String name, String revision) {
        return FunctionRecord.builder().name(name).version("$LATEST").runtime("python3.12").role("role").handler("app.handler")
                .code("00", 1).revisionId(revision).lastModified(Instant.EPOCH).build();
    }

    @BeforeEach
    void openLogs() {
        logGroups = new LogGroups(logs, new LogGroups.Limits(Long.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO,
                Duration.ofHours(1)));
    }

    @AfterEach
    void close() {
        pool.close();
        logGroups.close();
    }

    @Test
    void aColdAcquireStartsAnEnvironmentThatIsBusy() throws Exception {
        Environment env = pool.acquire(function("f", "r1"));
        assertThat(started).containsExactly(env);
        assertThat(env.state()).isEqualTo(Environment.State.BUSY);
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void aReleasedEnvironmentIsIdleAndServesTheNextAcquireWarm() throws Exception {
        Environment env = pool.acquire(function("f", "r1"));
        pool.release(env);
        assertThat(env.state()).isEqualTo(Environment.State.IDLE);
        assertThat(pool.acquire(function("f", "r1"))).isSameAs(env);
        assertThat(started).hasSize(1);
    }

    @Test
    void concurrentAcquiresGetSeparateEnvironmentsAndTheMostRecentlyUsedIsReusedFirst() throws Exception {
        Environment first = pool.acquire(function("f", "r1"));
        Environment second = pool.acquire(function("f", "r1"));
        assertThat(second).isNotSameAs(first);
        pool.release(first);
        pool.release(second);
        assertThat(pool.acquire(function("f", "r1"))).isSameAs(second);
    }

    @Test
    void environmentsAreNotSharedAcrossFunctions() throws Exception {
        pool.release(pool.acquire(function("f", "r1")));
        Environment other = pool.acquire(function("g", "r1"));
        assertThat(other.functionName()).isEqualTo("g");
        assertThat(started).hasSize(2);
    }

    @Test
    void retiringDestroysIdleEnvironmentsAtOnce() throws Exception {
        Environment env = pool.acquire(function("f", "r1"));
        pool.release(env);
        pool.retire("f", "$LATEST");
        assertThat(destroyed).containsExactly(env);
        assertThat(env.state()).isEqualTo(Environment.State.DEAD);
        assertThat(pool.acquire(function("f", "r2"))).isNotSameAs(env);
    }

    @Test
    void retiringABusyEnvironmentDestroysItWhenReleased() throws Exception {
        Environment env = pool.acquire(function("f", "r1"));
        pool.retire("f", "$LATEST");
        assertThat(destroyed).isEmpty();
        pool.release(env);
        assertThat(destroyed).containsExactly(env);
        assertThat(pool.size()).isZero();
    }

    @Test
    void anIdleEnvironmentOfAnOlderRevisionIsDestroyedInsteadOfLeased() throws Exception {
        Environment old = pool.acquire(function("f", "r1"));
        pool.release(old);
        Environment fresh = pool.acquire(function("f", "r2"));
        assertThat(fresh).isNotSameAs(old);
        assertThat(destroyed).containsExactly(old);
    }

    @Test
    void anEnvironmentWhoseRuntimeDiedWhileIdleIsNotLeased() throws Exception {
        Environment env = pool.acquire(function("f", "r1"));
        pool.release(env);
        env.session().ended(new RuntimeOutcome(RuntimeOutcome.Kind.EXITED, "Runtime.ExitError", new byte[0]));
        assertThat(pool.acquire(function("f", "r1"))).isNotSameAs(env);
        assertThat(destroyed).containsExactly(env);
    }

    @Test
    void anIdleEnvironmentWhoseCredentialsCouldExpireDuringTheInvocationIsNotLeased() throws Exception {
        Environment env = pool.acquire(function("f", "r1")); // credentials for an hour; the function's timeout is 3 s
        pool.release(env);
        clock.advance(CREDENTIALS.minusSeconds(10));
        assertThat(pool.acquire(function("f", "r1"))).isSameAs(env);
        pool.release(env);
        clock.advance(Duration.ofSeconds(7)); // 3 s left: less than the timeout and a second of margin
        assertThat(pool.acquire(function("f", "r1"))).isNotSameAs(env);
        assertThat(destroyed).containsExactly(env);
    }

    @Test
    void aDiscardedEnvironmentIsDestroyed() throws Exception {
        Environment env = pool.acquire(function("f", "r1"));
        pool.discard(env);
        assertThat(destroyed).containsExactly(env);
        assertThat(pool.size()).isZero();
    }

    @Test
    void idleEnvironmentsAreReapedAfterTheIdleTimeoutAndBusyOnesNever() throws Exception {
        Environment idle = pool.acquire(function("f", "r1"));
        Environment busy = pool.acquire(function("f", "r1"));
        pool.release(idle);
        long now = System.nanoTime();
        assertThat(pool.reapIdle(now)).isEmpty();
        assertThat(pool.reapIdle(now + IDLE_TIMEOUT.toNanos())).containsExactly(idle);
        assertThat(idle.state()).isEqualTo(Environment.State.DEAD);
        assertThat(busy.state()).isEqualTo(Environment.State.BUSY);
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void closingDestroysEverythingAndRefusesNewLeases() throws Exception {
        Environment idle = pool.acquire(function("f", "r1"));
        Environment busy = pool.acquire(function("f", "r1"));
        pool.release(idle);
        pool.close();
        assertThat(destroyed).containsExactlyInAnyOrder(idle, busy);
        assertThatThrownBy(() -> pool.acquire(function("f", "r1"))).isInstanceOf(IllegalStateException.class);
        assertThat(destroyed).as("the one started while closing is destroyed too").hasSize(3);
    }
}
