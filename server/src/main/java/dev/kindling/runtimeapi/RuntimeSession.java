package dev.kindling.runtimeapi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Runtime API as one environment sees it. The invoke side {@link #dispatch}es an invocation; the runtime's
 * blocked GET /next receives it; its POST to /response or /error finishes it. Reports naming another request id
 * are refused, so an environment can only answer its own invocation.
 */
public final class RuntimeSession {
    private final LinkedBlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Long> initialised = new CompletableFuture<>();
    private volatile Invocation current;
    private volatile RuntimeOutcome ended;

    /** Hands the invocation to the runtime; at most one is outstanding at a time. */
    public void dispatch(Invocation invocation) {
        current = invocation;
        queue.add(invocation);
        RuntimeOutcome end = ended;
        if (end != null) {
            invocation.finish(end);
        }
    }

    /** Completes with the time of the runtime's first GET /next: the end of its init phase. */
    public CompletableFuture<Long> initialised() {
        return initialised;
    }

    Invocation next() throws InterruptedException {
        initialised.complete(System.nanoTime());
        Invocation invocation = queue.take();
        invocation.markTaken();
        return invocation;
    }

    /** Finishes the invocation {@code requestId} names; false if that is not this environment's current one. */
    boolean report(String requestId, RuntimeOutcome outcome) {
        Invocation invocation = current;
        if (invocation == null || !invocation.requestId().equals(requestId)) {
            return false;
        }
        invocation.finish(outcome);
        return true;
    }

    void initError(RuntimeOutcome outcome) {
        initialised.complete(System.nanoTime());
        Invocation invocation = current;
        if (invocation != null) {
            invocation.finish(outcome);
        }
    }

    /** The runtime process ended: whatever it was running fails with {@code outcome}. */
    public void ended(RuntimeOutcome outcome) {
        ended = outcome;
        initialised.complete(System.nanoTime());
        Invocation invocation = current;
        if (invocation != null) {
            invocation.finish(outcome);
        }
    }
}
