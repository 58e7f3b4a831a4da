package dev.kindling.invoke;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.pool.Environment;
import dev.kindling.pool.EnvironmentLeases;
import dev.kindling.runtimeapi.Invocation;
import dev.kindling.runtimeapi.ResponseSink;
import dev.kindling.runtimeapi.RuntimeOutcome;
import dev.kindling.store.Capacity;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.InvocationObserver;
import dev.kindling.telemetry.InvocationReport;
import dev.kindling.telemetry.LogStream;
import dev.kindling.telemetry.TraceHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs invocations. The life of a synchronous call:
 * <ol>
 * <li>the function is looked up (from memory) and a slot is taken from its concurrency pool (its reserved
 * concurrency, or the account's unreserved pool: {@link ConcurrencyLimits}); with none left the call fails at once
 * with TooManyRequestsException (429);
 * <li>the pool leases an environment of the function's current revision: a warm idle one, or a new one (cold);
 * <li>the invocation is dispatched to the environment's Runtime API, with its X-Ray trace header (the caller's trace
 * continued, or a new one); a cold environment has AWS's 10 s to finish
 * init (its first GET /next), then the function has its Timeout from the moment the runtime fetched the event;
 * <li>an init that overruns its 10 s is reported (INIT_REPORT ... Status: timeout), its environment destroyed, and
 * init runs again in a fresh environment within the invocation, bounded by the function's Timeout, as on AWS;
 * <li>the runtime's /response or /error ends the call; so does the process exiting (Runtime.ExitError) or the
 * deadline passing (the environment is then destroyed, never reused);
 * <li>START, END and REPORT go to the environment's log stream; a healthy environment goes back to the pool warm;
 * the slot is returned.
 * </ol>
 */
public final class Invoker {
    static final long INIT_LIMIT_MILLIS = 10_000;

    private final FunctionService functions;
    private final EnvironmentLeases pool;
    private final ConcurrencyLimits concurrency;
    private final long initLimitMillis;
    private final List<InvocationObserver> observers = new CopyOnWriteArrayList<>();

    /** @param concurrency the slots invocations take; beyond them, TooManyRequestsException */
    public Invoker(FunctionService functions, EnvironmentLeases pool, ConcurrencyLimits concurrency) {
        this(functions, pool, concurrency, Duration.ofMillis(INIT_LIMIT_MILLIS));
    }

    /** @param initLimit how long a new environment's init may take: AWS's 10 s, shorter in a test of its overrun */
    Invoker(FunctionService functions, EnvironmentLeases pool, ConcurrencyLimits concurrency, Duration initLimit) {
        this.functions = functions;
        this.pool = pool;
        this.concurrency = concurrency;
        this.initLimitMillis = initLimit.toMillis();
    }

    /** Tells {@code observer} of every invocation as it ends, and of every throttled one. */
    public void addObserver(InvocationObserver observer) {
        observers.add(observer);
    }

    /**
     * The version an Invoke runs, checked as AWS checks it before running anything: the version named, or for an
     * alias the version its routing picks for this invocation.
     */
    public FunctionRecord resolve(FunctionRef ref) {
        return functions.route(ref);
    }

    /**
     * Runs one invocation of one function version.
     *
     * @param requestId the invocation's id (the Invoke's x-amzn-RequestId, as on AWS)
     * @param f the version to run (an alias resolved already)
     * @param invokedArn the function's ARN as the caller named it (with its qualifier, if one was given)
     * @param upstreamTrace the caller's X-Ray trace (the Invoke's X-Amzn-Trace-Id), continued by the invocation
     * @param tail whether to return the last 4 KB of the invocation's log (LogType=Tail)
     */
    public InvokeResult invoke(String requestId, FunctionRecord f, String invokedArn, byte[] payload,
            String clientContext, Optional<TraceHeader> upstreamTrace, boolean tail) throws Exception {
        return invoke(requestId, f, invokedArn, payload, clientContext, upstreamTrace, tail, Optional.empty());
    }

    /**
     * Runs one invocation whose response, if the function streams it, goes to {@code responseSink} as it is written
     * (InvokeWithResponseStream); the result then carries only what was not streamed (a buffered answer, an error).
     */
    public InvokeResult invoke(String requestId, FunctionRecord f, String invokedArn, byte[] payload,
            String clientContext, Optional<TraceHeader> upstreamTrace, boolean tail,
            Optional<ResponseSink> responseSink) throws Exception {
        try (ConcurrencyLimits.Slot slot = acquire(f)) {
            Call call = new Call(requestId, f, invokedArn, payload, clientContext,
                    TraceHeader.forInvocation(upstreamTrace, Call.activeTracing(f)), responseSink);
            Run run = attempt(call, Long.MAX_VALUE, initLimitMillis);
            if (run.diedBeforeTakingTheEvent()) {
                // The runtime exited after its last answer (a Node.js runtime does after an unhandled rejection),
                // before the pool saw it go: the function never saw this event, so a fresh environment runs it.
                pool.discard(run.env());
                run = attempt(call, Long.MAX_VALUE, initLimitMillis);
            }
            if (run.outcome().kind() == RuntimeOutcome.Kind.INIT_TIMED_OUT) {
                run.env().log().initReport(initLimitMillis, "init", "timeout");
                pool.discard(run.env());
                long timeoutMillis = f.timeoutSeconds() * 1000L;
                run = attempt(call, System.currentTimeMillis() + timeoutMillis, timeoutMillis);
            }
            return finish(run, call, tail);
        }
    }

    /** What every attempt at one invocation shares: the event, who it is for, and its trace. */
    private record Call(String requestId, FunctionRecord f, String invokedArn, byte[] payload, String clientContext,
            TraceHeader trace, Optional<ResponseSink> responseSink) {
        /** The trace REPORT names: only for a function with Active tracing, and only if the trace is sampled. */
        Optional<TraceHeader> reported() {
            return activeTracing(f) && trace.sampled() ? Optional.of(trace) : Optional.empty();
        }

        /** Whether the function's TracingConfig is Active (else PassThrough). */
        static boolean activeTracing(FunctionRecord f) {
            return f.tracingMode().equals("Active");
        }
    }

    private ConcurrencyLimits.Slot acquire(FunctionRecord f) {
        try {
            return concurrency.acquire(f.name());
        } catch (LambdaException e) {
            observers.forEach(observer -> observer.throttled(f.name(), f.version()));
            throw e;
        }
    }

    /**
     * One attempt at the invocation in one environment.
     *
     * @param servedBeforeDispatch whether the environment had served an invocation before this one was dispatched
     */
    private record Run(Environment env, Invocation invocation, RuntimeOutcome outcome, StartLine start,
            long dispatchedNanos, boolean servedBeforeDispatch) {
        boolean diedBeforeTakingTheEvent() {
            return servedBeforeDispatch && outcome.kind() == RuntimeOutcome.Kind.EXITED
                    && invocation.takenNanos() == 0;
        }
    }

    /**
     * The START line of one attempt, written once: by the thread that hands the event to the runtime, before the
     * runtime sees it (so START follows the init output and precedes the handler's), or at the end if it never did.
     */
    private static final class StartLine {
        private final LogStream log;
        private final String requestId;
        private final String version;
        private long offset = -1;

        StartLine(LogStream log, String requestId, String version) {
            this.log = log;
            this.requestId = requestId;
            this.version = version;
        }

        synchronized boolean written() {
            return offset >= 0;
        }

        /** Writes START unless it is there already; returns where it begins, for LogType=Tail. */
        synchronized long write() {
            if (offset < 0) {
                offset = log.start(requestId, version);
            }
            return offset;
        }
    }

    /**
     * One attempt in an environment leased now.
     *
     * @param notAfter a wall-clock time the invocation's deadline may not pass ({@link Long#MAX_VALUE} for none)
     * @param initLimitMillis how long the environment's init may take
     */
    private Run attempt(Call call, long notAfter, long initLimitMillis) throws Exception {
        FunctionRecord f = call.f();
        Invocation invocation = new Invocation(call.requestId(), call.payload(), call.invokedArn(),
                f.timeoutSeconds() * 1000L, notAfter, call.clientContext(), call.trace().value(),
                call.responseSink());
        return run(pool.acquire(f), f, invocation, initLimitMillis);
    }

    private Run run(Environment env, FunctionRecord f, Invocation invocation, long initLimitMillis)
            throws InterruptedException {
        StartLine start = new StartLine(env.log(), invocation.requestId(), f.version());
        invocation.taken().thenAccept(deadline -> {
            if (deadline != 0) {
                start.write();
            }
        });
        long dispatched = System.nanoTime();
        boolean served = env.hasServed();
        try {
            env.dispatch(invocation);
            return new Run(env, invocation, await(invocation, initLimitMillis), start, dispatched, served);
        } catch (InterruptedException | RuntimeException e) {
            pool.discard(env); // the caller is gone (the server is stopping): the environment serves no one else
            throw e;
        }
    }

    private InvokeResult finish(Run run, Call call, boolean tail) {
        Environment env = run.env();
        FunctionRecord f = call.f();
        InvokeResult result = InvokeResult.of(run.invocation().requestId(), run.outcome(), f.timeoutSeconds(), f.version());
        byte[] logTail = report(run, call, tail, !result.functionError().isEmpty());
        if (run.outcome().environmentSurvives()) {
            pool.release(env);
        } else {
            pool.discard(env);
        }
        return result.withLogTail(logTail);
    }

    /** Writes what is still missing of START, END and REPORT; returns the log's tail if {@code tail} asks for it. */
    private byte[] report(Run run, Call call, boolean tail, boolean functionError) {
        Environment env = run.env();
        FunctionRecord f = call.f();
        RuntimeOutcome outcome = run.outcome();
        String requestId = run.invocation().requestId();
        double initMillis = env.takeInitDurationMillis();
        if (outcome.kind() == RuntimeOutcome.Kind.INIT_ERROR && !run.start().written()) {
            env.log().initReport(Math.max(0, initMillis), "init", "error\tError Type: " + outcome.errorType());
        }
        long logStart = run.start().write();
        // The invoke phase starts when the runtime took the event; a cold start's init is reported apart.
        long invokeStarted = run.invocation().takenNanos() != 0 ? run.invocation().takenNanos() : run.dispatchedNanos();
        double durationMillis = (System.nanoTime() - invokeStarted) / 1e6;
        if (timedOut(outcome)) {
            env.log().line(Instant.now() + " " + requestId + " " + InvokeResult.timeoutMessage(f.timeoutSeconds()));
        } else if (outcome.kind() == RuntimeOutcome.Kind.EXITED) {
            env.log().line(InvokeResult.exitMessage(requestId, outcome));
            env.log().line(outcome.errorType());
        }
        long maxMemoryUsedMb = env.peakMemoryMegabytes();
        if (!observers.isEmpty()) {
            InvocationReport report = new InvocationReport(f.name(), f.version(), f.architectures().getFirst(),
                    f.memoryMb(), Instant.now(), durationMillis, initMillis, maxMemoryUsedMb, functionError,
                    env.servesProvisionedConcurrency() ? Capacity.PROVISIONED : Capacity.ON_DEMAND,
                    qualifierOf(call.invokedArn()));
            observers.forEach(observer -> observer.invoked(report));
        }
        if (tail) {
            return env.log().endAndTail(requestId, durationMillis, f.memoryMb(), maxMemoryUsedMb, initMillis,
                    call.reported(), logStart);
        }
        env.log().end(requestId, durationMillis, f.memoryMb(), maxMemoryUsedMb, initMillis, call.reported());
        return new byte[0];
    }

    /** The alias or version an invoked ARN names ({@code arn:aws:lambda:<region>:<account>:function:<name>:<q>}). */
    private static Optional<String> qualifierOf(String invokedArn) {
        String[] parts = invokedArn.split(":");
        return parts.length == 8 ? Optional.of(parts[7]) : Optional.empty();
    }

    /** Waits for the runtime to take the invocation (within the init limit) and then to answer it in time. */
    private static RuntimeOutcome await(Invocation invocation, long initLimitMillis) throws InterruptedException {
        try {
            long deadline = invocation.taken().get(initLimitMillis, TimeUnit.MILLISECONDS);
            long left = deadline == 0 ? 0 : deadline - System.currentTimeMillis();
            return invocation.outcome().get(Math.max(0, left), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            RuntimeOutcome.Kind kind = invocation.taken().isDone()
                    ? RuntimeOutcome.Kind.TIMED_OUT : RuntimeOutcome.Kind.INIT_TIMED_OUT;
            invocation.finish(new RuntimeOutcome(kind, "Sandbox.Timedout", new byte[0]));
            return invocation.outcome().join(); // the runtime's own answer if it won the race
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static boolean timedOut(RuntimeOutcome outcome) {
        return outcome.kind() == RuntimeOutcome.Kind.TIMED_OUT || outcome.kind() == RuntimeOutcome.Kind.INIT_TIMED_OUT;
    }
}
