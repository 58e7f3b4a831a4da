package dev.kindling.pool;

import dev.kindling.runtimeapi.RuntimeSession;

/**
 * One execution environment: a runtime process serving one function revision, one invocation at a time.
 *
 * <p>States: STARTING (launched, init not finished) → BUSY (running an invocation) ⇄ IDLE (warm, waiting) →
 * DEAD (destroyed: timed out, crashed, retired or reaped). Transitions happen only in {@link EnvironmentPool}.
 */
public final class Environment {
    public enum State { STARTING, BUSY, IDLE, DEAD }

    private final String id;
    private final String functionName;
    private final String revisionId;
    private final RuntimeSession session;
    private final AutoCloseable resources;
    private final long startedNanos = System.nanoTime();
    State state = State.STARTING;
    long idleSinceNanos;

    public Environment(String id, String functionName, String revisionId, RuntimeSession session, AutoCloseable resources) {
        this.id = id;
        this.functionName = functionName;
        this.revisionId = revisionId;
        this.session = session;
        this.resources = resources;
    }

    public String id() {
        return id;
    }

    public String functionName() {
        return functionName;
    }

    public String revisionId() {
        return revisionId;
    }

    public RuntimeSession session() {
        return session;
    }

    public long startedNanos() {
        return startedNanos;
    }

    void destroy() {
        state = State.DEAD;
        try {
            resources.close();
        } catch (Exception e) {
            // nothing left to do for a destroyed environment
        }
    }
}
