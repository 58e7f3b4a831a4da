package dev.kindling.pool;

import dev.kindling.runtimeapi.Invocation;
import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.LogStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One execution environment: a slot the invoker leases and hands one invocation at a time ({@link #dispatch}),
 * serving one revision of one function version.
 *
 * <p>Its life is one state machine, {@link State}; {@link #moveTo} is the one place a state changes, called only by
 * {@link EnvironmentPool} under its lock:
 * <pre>
 *   STARTING ──lease──▶ BUSY ──release──▶ IDLE ──lease──▶ BUSY ...
 *      │ │               │                  ▲ │
 *      │ └──initialised ahead (provisioned)─┘ │
 *      └───────────────▶ DEAD ◀───────────────┘   (discarded, retired, reaped, expired, or the pool closing)
 * </pre>
 */
public final class Environment {
    public enum State {
        /** Launched; not yet given to anyone (a provisioned one: in init). */
        STARTING,
        /** Leased: running (or about to run) one invocation. */
        BUSY,
        /** Warm and waiting in the pool for the next invocation. */
        IDLE,
        /** Out of the pool, destroyed or about to be; final. */
        DEAD;

        /** Whether the life above has an edge from this state to {@code next}. */
        boolean canBecome(State next) {
            return switch (this) {
                case STARTING -> next == BUSY || next == IDLE || next == DEAD;
                case IDLE -> next == BUSY || next == DEAD;
                case BUSY -> next == IDLE || next == DEAD;
                case DEAD -> false;
            };
        }
    }

    private final String id;
    private final String functionName;
    private final String version;
    private final String revisionId;
    private final RuntimeSession session;
    private final LogStream log;
    private final LongSupplier peakMemoryMegabytes;
    private final Instant credentialsExpire;
    private final AutoCloseable resources;
    private final long startedNanos = System.nanoTime();
    private boolean initReported;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    // Guarded by the pool's lock.
    private State state = State.STARTING;
    boolean retired;
    /**
     * Kept initialised for provisioned concurrency: never reaped for idleness, replaced when it dies. Written under the
     * pool's lock, read by its leaseholder too ({@link #servesProvisionedConcurrency}).
     */
    volatile boolean provisioned;
    private long idleSinceNanos;

    /**
     * @param peakMemoryMegabytes the most memory the environment has used so far, for REPORT's Max Memory Used
     * @param credentialsExpire when the credentials the environment was started with stop being accepted: it must
     *     not take an invocation that could outlast them
     * @param resources what destroying the environment releases: its process, its Runtime API port, its files
     */
    public Environment(String id, FunctionRecord function, RuntimeSession session, LogStream log,
            LongSupplier peakMemoryMegabytes, Instant credentialsExpire, AutoCloseable resources) {
        this.credentialsExpire = credentialsExpire;
        this.id = id;
        this.log = log;
        this.peakMemoryMegabytes = peakMemoryMegabytes;
        this.functionName = function.name();
        this.version = function.version();
        this.revisionId = function.revisionId();
        this.session = session;
        this.resources = resources;
    }

    public String functionName() {
        return functionName;
    }

    /** The function version it serves ($LATEST, or a number). */
    public String version() {
        return version;
    }

    /** {@code name:version} of the function version it serves. */
    public String qualifiedName() {
        return functionName + ":" + version;
    }

    public String revisionId() {
        return revisionId;
    }

    /** The one place the state changes; refuses an edge the life does not have. */
    void moveTo(State next) {
        if (!state.canBecome(next)) {
            throw new IllegalStateException(this + " cannot go from " + state + " to " + next);
        }
        state = next;
        if (next == State.IDLE) {
            idleSinceNanos = System.nanoTime();
        }
    }

    State state() {
        return state;
    }

    /** When the environment last became IDLE (System.nanoTime). */
    long idleSinceNanos() {
        return idleSinceNanos;
    }

    /** Hands the leased environment its invocation: the runtime's waiting GET /next receives it. */
    public void dispatch(Invocation invocation) {
        session.dispatch(invocation);
    }

    /**
     * Whether the environment has served an invocation before: an event its runtime dies without taking was never
     * seen by the function (a runtime that dies during init is the function's failure instead).
     */
    public boolean hasServed() {
        return session.answeredBefore();
    }

    /** Whether the runtime has failed (init error, or its process exited): it can serve nothing more. */
    public boolean failed() {
        return session.failed();
    }

    /** Whether the environment's credentials still hold at {@code time}. */
    boolean credentialsValidAt(Instant time) {
        return time.isBefore(credentialsExpire);
    }

    /** The runtime's side of the Runtime API: for whoever plays the runtime (its process, or a test). */
    public RuntimeSession session() {
        return session;
    }

    public LogStream log() {
        return log;
    }

    /** The most memory the environment has used so far, in MB. */
    public long peakMemoryMegabytes() {
        return peakMemoryMegabytes.getAsLong();
    }

    /**
     * The init phase in milliseconds (launch to the runtime's first GET /next) the first time it is asked for, after
     * the first invocation; -1 afterwards, so only an environment's first REPORT carries Init Duration.
     */
    public double takeInitDurationMillis() {
        if (initReported || !session.initialised().isDone()) {
            return -1;
        }
        initReported = true;
        return (session.initialised().join() - startedNanos) / 1e6;
    }

    /** Whether it is one of the environments kept for provisioned concurrency (AWS prices their invocations lower). */
    public boolean servesProvisionedConcurrency() {
        return provisioned;
    }

    /**
     * Its init ran ahead of traffic (provisioned concurrency): no REPORT carries an Init Duration, as on AWS, where
     * the init of a provisioned environment is not part of any invocation.
     */
    void initialisedAhead() {
        initReported = true;
    }

    /** For the server's own log and a debugger: the environment's id, as in its log stream's name. */
    @Override
    public String toString() {
        return "Environment[" + qualifiedName() + " " + id + "]";
    }

    /** Kills the runtime and frees what the environment held; later calls do nothing. */
    void destroy() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        try {
            resources.close();
        } catch (Exception e) {
            // nothing left to do for a destroyed environment
        } finally {
            session.close();
        }
    }
}
