package dev.kindling.invoke;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.ServerConfig;
import dev.kindling.code.CodeStore;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.pool.Environment;
import dev.kindling.pool.EnvironmentPool;
import dev.kindling.runtimeapi.Invocation;
import dev.kindling.runtimeapi.RuntimeApiServer;
import dev.kindling.runtimeapi.RuntimeOutcome;
import dev.kindling.runtimes.RuntimeCatalog;
import dev.kindling.sandbox.MemoryUsage;
import dev.kindling.store.FunctionRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs invocations. The life of a synchronous call:
 * <ol>
 * <li>the function is looked up (from memory) and a slot is taken from the account's concurrency limit; with none
 * left the call fails at once with TooManyRequestsException (429);
 * <li>the pool leases an environment of the function's current revision: a warm idle one, or a new one (cold);
 * <li>the invocation is dispatched to the environment's Runtime API; a cold environment has AWS's 10 s to finish
 * init (its first GET /next), then the function has its Timeout from the moment the runtime fetched the event;
 * <li>the runtime's /response or /error ends it; so does the process exiting (Runtime.ExitError) or the deadline
 * passing (the environment is then destroyed, never reused);
 * <li>a healthy environment goes back to the pool warm; the slot is returned.
 * </ol>
 */
public final class Invoker implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Invoker.class);
    static final long INIT_LIMIT_MILLIS = 10_000;
    private static final long EVENT_MAX_AGE_MILLIS = 6 * 3600 * 1000L;
    /** AWS's limit for a synchronous response (6 MB plus the 100 bytes it allows for framing). */
    static final int MAX_RESPONSE_BYTES = 6_291_556;

    private final FunctionService functions;
    private final EnvironmentPool pool;
    private final RuntimeApiServer runtimeApi;
    private final Semaphore concurrency;

    public Invoker(ServerConfig config, FunctionService functions, CodeStore code) throws Exception {
        this.functions = functions;
        this.runtimeApi = new RuntimeApiServer();
        RuntimeCatalog runtimes = new RuntimeCatalog(config.dataDir().resolve("runtimes"));
        this.pool = new EnvironmentPool(new EnvironmentStarter(config, code, runtimes, runtimeApi), config.idleTimeout());
        this.concurrency = new Semaphore(config.concurrencyLimit());
        functions.addListener(pool::retire);
    }

    /** The function an Invoke names, checked as AWS checks it before running anything. */
    public FunctionRecord resolve(FunctionRef ref) {
        return functions.get(ref);
    }

    /** Runs one invocation; {@code tail} asks for the last 4 KB of its log (LogType=Tail). */
    public InvokeResult invoke(FunctionRecord f, byte[] payload, String clientContext, boolean tail) throws Exception {
        if (!concurrency.tryAcquire()) {
            throw new LambdaException(ErrorType.TooManyRequestsException, "Rate Exceeded.");
        }
        try {
            Environment env = pool.acquire(f);
            Invocation invocation = new Invocation(UUID.randomUUID().toString(), payload, functions.arn(f.name()),
                    f.timeoutSeconds() * 1000L, clientContext);
            long logStart = env.log().start(invocation.requestId(), "$LATEST");
            long started = System.nanoTime();
            env.session().dispatch(invocation);
            RuntimeOutcome outcome = await(invocation, f);
            InvokeResult result = result(invocation, outcome, f);
            report(env, invocation, outcome, f, started);
            byte[] logTail = tail ? env.log().tail(logStart) : new byte[0];
            if (outcome.environmentSurvives()) {
                pool.release(env, functions.get(new FunctionRef(f.name(), "")).revisionId());
            } else {
                pool.discard(env);
            }
            return result.withLogTail(logTail);
        } finally {
            concurrency.release();
        }
    }

    /**
     * Runs an Event invocation in the background. Throttled events wait and retry, as AWS keeps them for up to six
     * hours. Kept in memory only: the durable queue, retries of failed events and destinations are issue 6's.
     */
    public void invokeAsync(FunctionRecord f, byte[] payload) {
        Thread.ofVirtual().name("event-" + f.name()).start(() -> {
            long backoffMillis = 100;
            long giveUpAt = System.currentTimeMillis() + EVENT_MAX_AGE_MILLIS;
            while (System.currentTimeMillis() < giveUpAt) {
                try {
                    invoke(f, payload, null, false);
                    return;
                } catch (LambdaException e) {
                    if (e.type() != ErrorType.TooManyRequestsException) {
                        LOG.warn("event for {} dropped: {}", f.name(), e.getMessage());
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.warn("event for {} failed: {}", f.name(), e.toString());
                    return;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException e) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 60_000);
            }
        });
    }

    private static void report(Environment env, Invocation invocation, RuntimeOutcome outcome, FunctionRecord f,
            long startedNanos) {
        double initMillis = env.takeInitDurationMillis();
        // The invoke phase starts when the runtime fetched the event; a cold start's init is reported apart.
        double durationMillis = (System.nanoTime() - startedNanos) / 1e6 - Math.max(0, initMillis);
        if (outcome.kind() == RuntimeOutcome.Kind.TIMED_OUT) {
            env.log().line(Instant.now() + " " + invocation.requestId() + " Task timed out after "
                    + String.format(Locale.ROOT, "%.2f", (double) f.timeoutSeconds()) + " seconds");
        }
        env.log().end(invocation.requestId(), Math.max(0, durationMillis), f.memoryMb(),
                MemoryUsage.peakMegabytes(env.pid()), initMillis);
    }

    private static RuntimeOutcome await(Invocation invocation, FunctionRecord f) throws InterruptedException {
        try {
            long deadline = invocation.taken().get(INIT_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
            long left = deadline == 0 ? 0 : deadline - System.currentTimeMillis();
            return invocation.outcome().get(Math.max(0, left), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (invocation.outcome().isDone()) {
                return invocation.outcome().getNow(null);
            }
            boolean initPhase = !invocation.taken().isDone();
            RuntimeOutcome timedOut = new RuntimeOutcome(RuntimeOutcome.Kind.TIMED_OUT,
                    initPhase ? "Runtime.InitTimeout" : "Sandbox.Timedout", new byte[0]);
            invocation.finish(timedOut);
            return invocation.outcome().getNow(timedOut);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static InvokeResult result(Invocation invocation, RuntimeOutcome outcome, FunctionRecord f) {
        String id = invocation.requestId();
        return switch (outcome.kind()) {
            case SUCCESS -> outcome.body().length > MAX_RESPONSE_BYTES
                    ? error(id, "Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed"
                            + " payload size (" + MAX_RESPONSE_BYTES + " bytes).")
                    : new InvokeResult(outcome.body(), "", "$LATEST", new byte[0]);
            case FUNCTION_ERROR, INIT_ERROR -> new InvokeResult(outcome.body(), "Unhandled", "$LATEST", new byte[0]);
            case EXITED -> error(id, "Runtime.ExitError", "RequestId: " + id + " Error: Runtime exited with error: "
                    + new String(outcome.body(), StandardCharsets.UTF_8));
            case TIMED_OUT -> outcome.errorType().equals("Runtime.InitTimeout")
                    ? error(id, "Runtime.InitTimeout", "RequestId: " + id + " Error: Init phase did not finish within"
                            + " 10.00 seconds")
                    : error(id, "Sandbox.Timedout", Instant.now() + " " + id + " Task timed out after "
                            + String.format(Locale.ROOT, "%.2f", (double) f.timeoutSeconds()) + " seconds");
        };
    }

    private static InvokeResult error(String requestId, String type, String message) {
        String json = "{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\"", "'") + "\"}";
        return new InvokeResult(json.getBytes(StandardCharsets.UTF_8), "Unhandled", "$LATEST", new byte[0]);
    }

    @Override
    public void close() throws Exception {
        pool.close();
        runtimeApi.close();
    }
}
