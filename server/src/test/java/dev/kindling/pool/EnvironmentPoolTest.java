package dev.kindling.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.control.ProvisionedEnvironments;
import dev.kindling.control.ProvisionedEnvironments.ProvisionedStatus;
import dev.kindling.runtimeapi.RuntimeOutcome;
import dev.kindling.runtimeapi.ScriptedRuntime;
import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.EnvironmentCensus.Phases;
import dev.kindling.telemetry.EnvironmentCensus.Provisioned;
import dev.kindling.telemetry.EnvironmentCensus.VersionEnvironments;
import dev.kindling.telemetry.LogGroups;
import dev.kindling.telemetry.PlatformLines;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
    /** Every environment started, in order; provisioned ones start on threads of the pool's. */
    private final List<Environment> started = new CopyOnWriteArrayList<>();
    private final Map<Environment, Initialization> initializations = new ConcurrentHashMap<>();
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

    private Environment start(FunctionRecord f, Initialization initialization) {
        Environment[] self = new Environment[1];
        self[0] = new Environment("env" + started.size(), f, new RuntimeSession(),
                logGroups.open("/aws/lambda/" + f.name(), "$LATEST", "0".repeat(32), PlatformLines.TEXT),
                () -> 0, clock.instant().plus(CREDENTIALS), () -> destroyed.add(self[0]));
        initializations.put(self[0], initialization);
        started.add(self[0]);
        return self[0];
    }

    private static FunctionRecord function(String name, String revision) {
        return FunctionRecord.builder().name(name).version("$LATEST").runtime("python3.12").role("role").handler("app.handler")
                .code("00", 1).revisionId(revision).lastModified(Instant.EPOCH).build();
    }

    @BeforeEach
    void openLogs() {
        logGroups = new LogGroups(logs, new LogGroups.Limits(Long.MAX_VALUE, Long.MAX_VALUE, Duration.ofDays(1),
                Duration.ZERO, Duration.ofHours(1), java.util.OptionalInt.empty()),
                new dev.kindling.store.InMemoryLogGroupRepository());
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

    // Provisioned concurrency. The pool initialises provisioned environments on threads of its own; these tests play
    // each runtime's first GET /next and wait (polling, with a generous deadline) for the pool to take note.

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FunctionRecord version(String name, String version) {
        return function(name, "r-" + version).toBuilder().version(version).build();
    }

    /** Waits until {@code count} environments have been started in all, and returns them. */
    private List<Environment> awaitStarted(int count) throws InterruptedException {
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (started.size() < count) {
            assertThat(System.nanoTime()).as("only %s of %s started", started.size(), count).isLessThan(giveUp);
            Thread.sleep(5);
        }
        return List.copyOf(started);
    }

    private ProvisionedStatus awaitStatus(FunctionRecord v, ProvisionedEnvironments.Status status, int allocated)
            throws InterruptedException {
        long giveUp = System.nanoTime() + WAIT.toNanos();
        ProvisionedStatus now = pool.provisionedStatus(v.name(), v.version());
        while (now.status() != status || now.allocated() != allocated) {
            assertThat(System.nanoTime()).as("still %s", now).isLessThan(giveUp);
            Thread.sleep(5);
            now = pool.provisionedStatus(v.name(), v.version());
        }
        return now;
    }

    /** The runtime's first GET /next: its init is over. */
    private static void initialise(Environment env) {
        new ScriptedRuntime(env.session()).next();
    }

    @Test
    void provisionedEnvironmentsInitialiseAheadAndServeFirstWithoutAnInitDuration() throws Exception {
        FunctionRecord v1 = version("f", "1");
        pool.provision(v1, 2);
        List<Environment> provisioned = awaitStarted(2);
        assertThat(provisioned).allSatisfy(env -> assertThat(initializations.get(env))
                .isEqualTo(Initialization.PROVISIONED));
        assertThat(pool.provisionedStatus("f", "1").status()).isEqualTo(ProvisionedEnvironments.Status.IN_PROGRESS);
        provisioned.forEach(EnvironmentPoolTest::initialise);
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 2);

        Environment leased = pool.acquire(v1);
        assertThat(provisioned).contains(leased);
        assertThat(leased.takeInitDurationMillis()).as("no Init Duration in its REPORT").isEqualTo(-1);
        Environment cold = pool.acquire(version("f", "2"));
        assertThat(initializations.get(cold)).as("other versions start on demand").isEqualTo(Initialization.ON_DEMAND);
        pool.release(leased);
        assertThat(pool.acquire(v1)).isIn(provisioned);
    }

    @Test
    void theCensusCountsEachVersionsEnvironmentsByPhaseForMetrics() throws Exception {
        FunctionRecord v1 = version("f", "1");
        pool.provision(v1, 2);
        awaitStarted(2).forEach(EnvironmentPoolTest::initialise);
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 2);
        Environment provisionedBusy = pool.acquire(v1);
        Environment coldStart = pool.acquire(function("f", "r1")); // its runtime has not asked for work yet

        assertThat(pool.count()).containsExactlyInAnyOrder(
                new VersionEnvironments("f", "1", new Phases(0, 1, 1), 1, new Provisioned(2, 2, 1)),
                new VersionEnvironments("f", "$LATEST", new Phases(1, 0, 0), 1, Provisioned.NONE));

        initialise(coldStart);
        pool.release(coldStart);
        pool.release(provisionedBusy);
        assertThat(pool.count()).containsExactlyInAnyOrder(
                new VersionEnvironments("f", "1", new Phases(0, 0, 2), 0, new Provisioned(2, 2, 0)),
                new VersionEnvironments("f", "$LATEST", new Phases(0, 0, 1), 0, Provisioned.NONE));
        pool.retire("f", "$LATEST");
        assertThat(pool.count()).extracting(VersionEnvironments::version).containsExactly("1");
    }

    @Test
    void provisionedEnvironmentsAreNeverReapedForIdleness() throws Exception {
        FunctionRecord v1 = version("f", "1");
        pool.provision(v1, 1);
        awaitStarted(1).forEach(EnvironmentPoolTest::initialise);
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 1);
        assertThat(pool.reapIdle(System.nanoTime() + 10 * IDLE_TIMEOUT.toNanos())).isEmpty();
        assertThat(pool.provisionedStatus("f", "1").allocated()).isEqualTo(1);
        assertThat(destroyed).isEmpty();
    }

    @Test
    void aProvisionedEnvironmentThatDiesIsReplaced() throws Exception {
        FunctionRecord v1 = version("f", "1");
        pool.provision(v1, 1);
        Environment first = awaitStarted(1).get(0);
        initialise(first);
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 1);

        first.session().ended(new RuntimeOutcome(RuntimeOutcome.Kind.EXITED, "Runtime.ExitError", new byte[0]));
        assertThat(pool.deadProvisioned()).containsExactly(first);
        Environment replacement = awaitStarted(2).get(1);
        assertThat(initializations.get(replacement)).isEqualTo(Initialization.PROVISIONED);
        initialise(replacement);
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 1);

        Environment leased = pool.acquire(v1);
        assertThat(leased).isSameAs(replacement);
        pool.discard(leased); // a crash during an invocation: replaced too
        initialise(awaitStarted(3).get(2));
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 1);
    }

    @Test
    void aFailedInitFailsTheConfigurationUntilItIsPutAgain() throws Exception {
        FunctionRecord v1 = version("f", "1");
        pool.provision(v1, 2);
        List<Environment> both = awaitStarted(2);
        new ScriptedRuntime(both.get(0).session()).exit("Runtime.ExitError", "exit status 1"); // during init
        initialise(both.get(1));
        ProvisionedStatus failed = awaitStatus(v1, ProvisionedEnvironments.Status.FAILED, 1);
        assertThat(failed.reason()).contains("FUNCTION_ERROR_INIT_FAILURE");
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (!destroyed.contains(both.get(0))) { // destroyed just after the failure is noted
            assertThat(System.nanoTime()).as("the failed environment is destroyed").isLessThan(giveUp);
            Thread.sleep(5);
        }
        assertThat(started).as("no retries of a failing init").hasSize(2);

        pool.provision(v1, 2);
        initialise(awaitStarted(3).get(2));
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 2);
    }

    @Test
    void loweringOrRemovingTheTargetLetsEnvironmentsGo() throws Exception {
        FunctionRecord v1 = version("f", "1");
        pool.provision(v1, 3);
        awaitStarted(3).forEach(EnvironmentPoolTest::initialise);
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 3);
        Environment busy = pool.acquire(v1);

        pool.provision(v1, 1);
        assertThat(destroyed).as("the idle surplus goes at once").hasSize(2);
        pool.release(busy);
        assertThat(pool.provisionedStatus("f", "1").allocated()).isEqualTo(1);

        Environment serving = pool.acquire(v1);
        pool.provision(v1, 0);
        pool.release(serving);
        assertThat(serving.state()).as("serves on as an on-demand environment").isEqualTo(Environment.State.IDLE);
        assertThat(pool.reapIdle(System.nanoTime() + IDLE_TIMEOUT.toNanos())).containsExactly(serving);
    }

    @Test
    void aDeletedVersionKeepsNothingProvisioned() throws Exception {
        FunctionRecord v1 = version("f", "1");
        pool.provision(v1, 1);
        Environment env = awaitStarted(1).get(0);
        initialise(env);
        awaitStatus(v1, ProvisionedEnvironments.Status.READY, 1);
        pool.versionRetired("f", "1");
        assertThat(destroyed).containsExactly(env);
        assertThat(pool.provisionedStatus("f", "1").allocated()).isZero();
        assertThat(started).hasSize(1);
    }
}
