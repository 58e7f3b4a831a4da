package dev.kindling.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import dev.kindling.control.ConcurrencyReservations;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.CodeReferences;
import dev.kindling.control.FunctionLayers;
import dev.kindling.control.FunctionService;
import dev.kindling.pool.Environment;
import dev.kindling.pool.EnvironmentLeases;
import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.runtimeapi.ScriptedRuntime;
import dev.kindling.runtimeapi.ScriptedRuntime.Event;
import dev.kindling.store.Database;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.SqlAliasRepository;
import dev.kindling.store.SqlFunctionRepository;
import dev.kindling.store.SqlLayerRepository;
import dev.kindling.telemetry.LogGroups;
import dev.kindling.telemetry.PlatformLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every decision the Invoker takes about a call, without processes or sockets: a fake pool hands out real
 * environments whose Runtime API sessions the test answers as a runtime would ({@link ScriptedRuntime}). Each call
 * runs on a thread of its own, as a caller's request does; the test waits for events (a lease, an event fetched, an
 * answer), never for a fixed time. The timeouts are about time, so those tests take their second.
 */
class InvokerTest {
    /** How long a test waits for something that should happen at once: long, for a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:f";

    @TempDir
    Path dataDir;

    private Database database;
    private LogGroups logGroups;
    private FakePool pool;
    /** One call at a time, so that a second one is throttled. */
    private Invoker invoker;

    @BeforeEach
    void start() {
        database = Database.openSqlite(dataDir.resolve("kindling.db"));
        logGroups = new LogGroups(dataDir.resolve("logs"), new LogGroups.Limits(Long.MAX_VALUE, Long.MAX_VALUE,
                Duration.ofDays(1), Duration.ZERO, Duration.ofHours(1), java.util.OptionalInt.empty()),
                new dev.kindling.store.SqlLogGroupRepository(database));
        pool = new FakePool();
        invoker = new Invoker(functions(), pool, oneAtATime());
    }

    @AfterEach
    void stop() {
        logGroups.close();
        database.close();
    }

    /** An account that runs one invocation at a time, with no reservations. */
    private static ConcurrencyLimits oneAtATime() {
        return new ConcurrencyLimits(new ConcurrencyReservations() {
            @Override
            public Optional<Integer> reservedFor(String functionName) {
                return Optional.empty();
            }

            @Override
            public int provisionedFor(String functionName) {
                return 0;
            }

            @Override
            public int unreservedPool() {
                return 1;
            }
        });
    }

    private FunctionService functions() {
        CodeStore code = new CodeStore(dataDir.resolve("code"));
        SqlFunctionRepository functions = new SqlFunctionRepository(database);
        SqlLayerRepository layerVersions = new SqlLayerRepository(database);
        CodeReferences references = new CodeReferences(code, List.of(functions, layerVersions));
        return new FunctionService(functions, new SqlAliasRepository(database), code, references,
                new FunctionLayers(layerVersions, code, "us-east-1", "000000000000"),
                new dev.kindling.iam.LambdaRoleCheck(dev.kindling.iam.Iam.of(new dev.kindling.store.SqlIamRepository(
                        database), "000000000000", "us-east-1").access(), false),
                new dev.kindling.control.DeadLetterTargets(queueArn -> false), "us-east-1", "000000000000");
    }

    /**
     * Leases environments as the real pool does, a warm idle one first, and records what comes back. The n-th lease
     * is announced on a future completed without a lock, so a test can tell that the caller's thread has nothing
     * left to wait for before it dispatches the event.
     */
    private final class FakePool implements EnvironmentLeases {
        private final List<CompletableFuture<Environment>> leases =
                Stream.generate(CompletableFuture<Environment>::new).limit(8).toList();
        private final AtomicInteger leased = new AtomicInteger();
        private final LinkedBlockingDeque<Environment> idle = new LinkedBlockingDeque<>();
        private final AtomicInteger started = new AtomicInteger();
        final List<Environment> released = new CopyOnWriteArrayList<>();
        final List<Environment> discarded = new CopyOnWriteArrayList<>();
        final AtomicBoolean failNextAcquire = new AtomicBoolean();

        @Override
        public Environment acquire(FunctionRecord f) {
            if (failNextAcquire.getAndSet(false)) {
                throw new IllegalStateException("no room for another environment");
            }
            Environment env = idle.pollFirst();
            if (env == null) {
                String id = String.format("%032x", started.incrementAndGet());
                env = new Environment(id, f, new RuntimeSession(),
                        logGroups.open("/aws/lambda/" + f.name(), "$LATEST", id, PlatformLines.TEXT), () -> 64, Instant.now().plus(Duration.ofHours(1)),
                        () -> {});
            }
            leases.get(leased.getAndIncrement()).complete(env);
            return env;
        }

        @Override
        public void release(Environment env) {
            released.add(env);
            idle.addFirst(env);
        }

        @Override
        public void discard(Environment env) {
            discarded.add(env);
        }

        /** The environment of the n-th lease (from 0), once it is leased. */
        Environment leased(int n) throws Exception {
            return leases.get(n).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        int leaseCount() {
            return leased.get();
        }
    }

    /** An invocation running on a thread of its own, as a caller's Invoke does. */
    private record Call(Thread thread, CompletableFuture<InvokeResult> result) {
        /** The call's result, or what it threw. */
        InvokeResult get() throws Exception {
            try {
                return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }
    }

    private Call call(String requestId, FunctionRecord f) {
        CompletableFuture<InvokeResult> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("call-" + requestId).start(() -> {
            try {
                result.complete(invoker.invoke(requestId, f, ARN, payload(requestId), null, Optional.empty(), false));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return new Call(thread, result);
    }

    private static byte[] payload(String requestId) {
        return ("{\"for\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** GET /next, waiting for the event the Invoker dispatches. */
    private static Event next(ScriptedRuntime runtime) throws Exception {
        return runtime.next().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes the next event and answers it with {@code body}. */
    private static void serve(ScriptedRuntime runtime, String body) throws Exception {
        assertThat(runtime.response(next(runtime).requestId(), body)).isTrue();
    }

    private static FunctionRecord function(int timeoutSeconds) {
        return FunctionRecord.builder().name("f").version(FunctionRef.LATEST).runtime("python3.12").role("role").handler("app.handler")
                .timeoutSeconds(timeoutSeconds).code("00", 1).revisionId("r1").lastModified(Instant.EPOCH).build();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return new ObjectMapper().readTree(bytes);
    }

    private static List<String> logOf(Environment env) throws Exception {
        return LogGroups.streamText(env.log().dir()).lines().toList();
    }

    /**
     * Waits until {@code thread} blocks: the caller's thread, once it has its lease, blocks next only waiting for
     * its runtime, so this tells that the event was dispatched. No future announces that moment; this waits for it
     * without a fixed sleep.
     */
    private static void awaitBlocked(Thread thread) {
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("%s never blocked", thread).isLessThan(giveUp);
            Thread.yield();
        }
    }

    @Test
    void aCallBeyondTheConcurrencyLimitFailsAtOnceWithTooManyRequests() throws Exception {
        Call first = call("req-1", function(3));
        ScriptedRuntime runtime = new ScriptedRuntime(pool.leased(0).session());
        Event event = next(runtime); // the first call holds the only slot, in flight

        assertThatThrownBy(() -> invoker.invoke("req-2", function(3), ARN, payload("req-2"), null, Optional.empty(), false))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.TooManyRequestsException);
                    assertThat(e.getMessage()).isEqualTo("Rate Exceeded.");
                });
        assertThat(pool.leaseCount()).as("the throttled call asked the pool for nothing").isEqualTo(1);

        runtime.response(event.requestId(), "\"one\"");
        assertThat(text(first.get().payload())).isEqualTo("\"one\"");
    }

    @Test
    void theSlotIsReturnedAfterASuccessAndAfterAFailure() throws Exception {
        Call success = call("req-1", function(3));
        ScriptedRuntime runtime = new ScriptedRuntime(pool.leased(0).session());
        serve(runtime, "\"one\"");
        success.get();

        pool.failNextAcquire.set(true);
        Call failure = call("req-2", function(3));
        assertThatThrownBy(failure::get).isInstanceOf(IllegalStateException.class);

        Call third = call("req-3", function(3));
        serve(runtime, "\"three\"");
        assertThat(text(third.get().payload())).as("not throttled: both slots came back").isEqualTo("\"three\"");
    }

    @Test
    void aSuccessReleasesTheEnvironmentAndLogsStartEndAndReport() throws Exception {
        Call call = call("req-1", function(3));
        Environment env = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(env.session());
        Event event = next(runtime);
        assertThat(event.requestId()).isEqualTo("req-1");
        assertThat(event.payload()).isEqualTo("{\"for\":\"req-1\"}");
        runtime.response("req-1", "{\"ok\":true}");

        InvokeResult result = call.get();
        assertThat(text(result.payload())).isEqualTo("{\"ok\":true}");
        assertThat(result.functionError()).isEmpty();
        assertThat(result.executedVersion()).isEqualTo("$LATEST");
        assertThat(pool.released).containsExactly(env);
        assertThat(pool.discarded).isEmpty();
        List<String> log = logOf(env);
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).isEqualTo("START RequestId: req-1 Version: $LATEST");
        assertThat(log.get(1)).isEqualTo("END RequestId: req-1");
        assertThat(log.get(2)).startsWith("REPORT RequestId: req-1\tDuration: ")
                .contains("\tMemory Size: 128 MB\tMax Memory Used: 64 MB");
    }

    @Test
    void initDurationIsReportedOnlyForAnEnvironmentsFirstInvocation() throws Exception {
        Call cold = call("req-1", function(3));
        Environment env = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(env.session());
        serve(runtime, "1");
        cold.get();
        Call warm = call("req-2", function(3));
        assertThat(pool.leased(1)).isSameAs(env);
        serve(runtime, "2");
        warm.get();

        List<String> reports = logOf(env).stream().filter(line -> line.startsWith("REPORT")).toList();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).startsWith("REPORT RequestId: req-1")
                .containsPattern("\tInit Duration: \\d+\\.\\d\\d ms\t$");
        assertThat(reports.get(1)).startsWith("REPORT RequestId: req-2").doesNotContain("Init Duration");
    }

    @Test
    void aFunctionErrorIsUnhandledAndTheEnvironmentLivesOn() throws Exception {
        Call call = call("req-1", function(3));
        Environment env = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(env.session());
        String error = "{\"errorMessage\":\"boom\",\"errorType\":\"Exception\"}";
        assertThat(runtime.error(next(runtime).requestId(), "Exception", error)).isTrue();

        InvokeResult result = call.get();
        assertThat(result.functionError()).isEqualTo("Unhandled");
        assertThat(text(result.payload())).isEqualTo(error);
        assertThat(pool.released).containsExactly(env);
        assertThat(pool.discarded).isEmpty();
    }

    @Test
    void aRuntimeThatExitsMidInvocationIsRuntimeExitErrorAndItsEnvironmentDiscarded() throws Exception {
        Call call = call("req-1", function(3));
        Environment env = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(env.session());
        next(runtime);
        runtime.exit("Runtime.ExitError", "exit status 3");

        InvokeResult result = call.get();
        String message = "RequestId: req-1 Error: Runtime exited with error: exit status 3";
        assertThat(result.functionError()).isEqualTo("Unhandled");
        assertThat(json(result.payload()).get("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(json(result.payload()).get("errorMessage").asText()).isEqualTo(message);
        assertThat(pool.discarded).containsExactly(env);
        assertThat(pool.released).isEmpty();
        assertThat(logOf(env)).containsSubsequence("START RequestId: req-1 Version: $LATEST", message,
                "Runtime.ExitError", "END RequestId: req-1");
    }

    @Test
    void aRuntimeKilledForWantOfMemoryIsRuntimeOutOfMemory() throws Exception {
        Call call = call("req-1", function(3));
        Environment env = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(env.session());
        next(runtime);
        runtime.exit("Runtime.OutOfMemory", "signal: killed");

        InvokeResult result = call.get();
        assertThat(json(result.payload()).get("errorType").asText()).isEqualTo("Runtime.OutOfMemory");
        assertThat(json(result.payload()).get("errorMessage").asText())
                .isEqualTo("RequestId: req-1 Error: Runtime exited with error: signal: killed");
        assertThat(pool.discarded).containsExactly(env);
    }

    @Test
    void anInvocationPastItsTimeoutIsSandboxTimedoutAndItsEnvironmentDiscarded() throws Exception {
        Call call = call("req-1", function(1));
        Environment env = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(env.session());
        next(runtime); // and never answered

        InvokeResult result = call.get();
        assertThat(result.functionError()).isEqualTo("Unhandled");
        assertThat(json(result.payload()).get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(json(result.payload()).get("errorMessage").asText())
                .isEqualTo("RequestId: req-1 Error: Task timed out after 1.00 seconds");
        assertThat(pool.discarded).containsExactly(env);
        assertThat(pool.released).isEmpty();
        assertThat(logOf(env)).anyMatch(line -> line.endsWith(" req-1 Task timed out after 1.00 seconds"));
    }

    @Test
    void anInitPastItsLimitIsReportedAndRunsAgainInAFreshEnvironment() throws Exception {
        invoker = new Invoker(functions(), pool, oneAtATime(), Duration.ofMillis(100));
        Call call = call("req-1", function(3));
        Environment stuck = pool.leased(0); // its runtime never asks for the event
        Environment fresh = pool.leased(1);
        assertThat(fresh).isNotSameAs(stuck);
        ScriptedRuntime runtime = new ScriptedRuntime(fresh.session());
        Event event = next(runtime);
        assertThat(event.requestId()).isEqualTo("req-1");
        assertThat(event.payload()).isEqualTo("{\"for\":\"req-1\"}");
        runtime.response("req-1", "\"ok\"");

        assertThat(text(call.get().payload())).isEqualTo("\"ok\"");
        assertThat(logOf(stuck)).containsExactly("INIT_REPORT Init Duration: 100.00 ms\tPhase: init\tStatus: timeout");
        assertThat(pool.discarded).containsExactly(stuck);
        assertThat(pool.released).containsExactly(fresh);
        assertThat(logOf(fresh)).first().isEqualTo("START RequestId: req-1 Version: $LATEST");
    }

    @Test
    void anEventARuntimeDiedBeforeTakingRunsInAFreshEnvironment() throws Exception {
        Call first = call("req-1", function(3));
        Environment dying = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(dying.session());
        serve(runtime, "1");
        first.get(); // the runtime answered, finished init long ago, and does not ask for more: it is exiting

        Call second = call("req-2", function(3));
        assertThat(pool.leased(1)).as("leased warm before the pool saw it go").isSameAs(dying);
        awaitBlocked(second.thread()); // the event is dispatched
        runtime.exit("Runtime.ExitError", "exit status 1");
        Environment fresh = pool.leased(2);
        ScriptedRuntime freshRuntime = new ScriptedRuntime(fresh.session());
        Event event = next(freshRuntime);
        assertThat(event.requestId()).isEqualTo("req-2");
        assertThat(event.payload()).isEqualTo("{\"for\":\"req-2\"}");
        freshRuntime.response("req-2", "2");

        InvokeResult result = second.get();
        assertThat(result.functionError()).isEmpty();
        assertThat(text(result.payload())).isEqualTo("2");
        assertThat(pool.discarded).containsExactly(dying);
        assertThat(pool.released).containsExactly(dying, fresh);
        assertThat(logOf(dying)).as("the dead environment logged nothing of req-2")
                .noneMatch(line -> line.contains("req-2"));
    }

    /**
     * The window before dispatch: a warm environment whose runtime exits after the pool leased it but before the
     * event is handed over. The function never saw the event, so it runs in a fresh environment.
     */
    @Test
    void anEventLeasedToARuntimeThatDiedBeforeDispatchRunsInAFreshEnvironment() throws Exception {
        Call first = call("req-1", function(3));
        Environment dying = pool.leased(0);
        ScriptedRuntime runtime = new ScriptedRuntime(dying.session());
        serve(runtime, "1");
        first.get();
        runtime.exit("Runtime.ExitError", "exit status 1"); // dies idle; this pool, like the real one in that
        // window, hands it out anyway

        Call second = call("req-2", function(3));
        assertThat(pool.leased(1)).isSameAs(dying);
        Environment fresh = pool.leased(2);
        ScriptedRuntime freshRuntime = new ScriptedRuntime(fresh.session());
        assertThat(next(freshRuntime).requestId()).isEqualTo("req-2");
        freshRuntime.response("req-2", "2");

        InvokeResult result = second.get();
        assertThat(result.functionError()).isEmpty();
        assertThat(text(result.payload())).isEqualTo("2");
        assertThat(pool.discarded).containsExactly(dying);
    }

    /** A fresh environment whose runtime exits before taking its first event failed its init: no second try. */
    @Test
    void aRuntimeThatDiesBeforeItsFirstEventFailsTheInvocation() throws Exception {
        Call call = call("req-1", function(3));
        Environment env = pool.leased(0);
        new ScriptedRuntime(env.session()).exit("Runtime.ExitError", "exit status 2");

        InvokeResult result = call.get();
        assertThat(result.functionError()).isEqualTo("Unhandled");
        assertThat(text(result.payload())).contains("Runtime.ExitError", "exit status 2");
        assertThat(pool.leaseCount()).as("no fresh environment for a runtime that never started").isEqualTo(1);
        assertThat(pool.discarded).containsExactly(env);
    }

    @Test
    void anInterruptedCallerDiscardsItsEnvironment() throws Exception {
        Call call = call("req-1", function(3));
        Environment env = pool.leased(0);
        next(new ScriptedRuntime(env.session()));
        call.thread().interrupt(); // the server is stopping

        assertThatThrownBy(call::get).isInstanceOf(InterruptedException.class);
        assertThat(pool.discarded).containsExactly(env);
        assertThat(pool.released).isEmpty();
    }
}
