package dev.kindling.pool;

import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.telemetry.LogStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One execution environment: a runtime process serving one function revision, one invocation at a time.
 *
 * <p>States: STARTING (launched, init not finished) → BUSY (running an invocation) ⇄ IDLE (warm, waiting) →
 * DEAD (taken out of the pool: timed out, crashed, retired or reaped; then destroyed). Transitions happen only in
 * {@link EnvironmentPool}.
 */
public final class Environment {
    public enum State { STARTING, BUSY, IDLE, DEAD }

    private final String id;
    private final String functionName;
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
    State state = State.STARTING;
    boolean retired;
    long idleSinceNanos;

    /**
     * @param peakMemoryMegabytes the most memory the environment has used so far, for REPORT's Max Memory Used
     * @param credentialsExpire when the credentials the environment was started with stop being accepted: it must
     *     not take an invocation that could outlast them
     * @param resources what destroying the environment releases: its process, its Runtime API port, its files
     */
    public Environment(String id, String functionName, String revisionId, RuntimeSession session, LogStream log,
            LongSupplier peakMemoryMegabytes, Instant credentialsExpire, AutoCloseable resources) {
        this.credentialsExpire = credentialsExpire;
        this.id = id;
        this.log = log;
        this.peakMemoryMegabytes = peakMemoryMegabytes;
        this.functionName = functionName;
        this.revisionId = revisionId;
        this.session = session;
        this.resources = resources;
    }

    public String functionName() {
        return functionName;
    }

    public String revisionId() {
        return revisionId;
    }

    /** Whether the environment's credentials still hold at {@code time}. */
    boolean credentialsValidAt(Instant time) {
        return time.isBefore(credentialsExpire);
    }

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

    /** For the server's own log and a debugger: the environment's id, as in its log stream's name. */
    @Override
    public String toString() {
        return "Environment[" + functionName + " " + id + "]";
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
