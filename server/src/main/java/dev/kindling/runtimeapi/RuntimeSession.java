package dev.kindling.runtimeapi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The Runtime API as one environment sees it. The invoke side {@link #dispatch}es an invocation; the runtime's
 * waiting GET /next receives it; its POST to /response or /error finishes it. Reports naming another request id
 * are refused, so an environment can only answer its own invocation.
 *
 * <p>A GET /next waits without a thread: whichever side comes second (the dispatch, or the runtime's request)
 * hands the invocation over, so the dispatching thread answers a waiting runtime itself.
 *
 * <p>Once the runtime has failed (POST /init/error, or its process exited), every invocation dispatched to the
 * session fails with that first failure. {@link #close} answers a GET /next still waiting.
 */
public final class RuntimeSession {
    private final CompletableFuture<Long> initialised = new CompletableFuture<>();
    // Guarded by this: at most one of them is set.
    private Invocation undelivered;
    private WaitingNext waitingNext;
    private boolean closed;

    /** The invocation dispatched and not yet answered; cleared on the answer, so an idle environment holds none. */
    private final AtomicReference<Invocation> current = new AtomicReference<>();
    private volatile RuntimeOutcome failure;
    private volatile boolean answered;

    /** A runtime's GET /next, waiting for an invocation. */
    @FunctionalInterface
    interface WaitingNext extends Consumer<Invocation> {
        /**
         * Whether the request's connection still stands, where that can be known. A runtime that died while waiting
         * leaves its request behind until the server notices the death; an invocation given to it would be lost as
         * if it had run.
         */
        default boolean connected() {
            return true;
        }
    }

    /** Hands the invocation to the runtime; at most one is outstanding at a time. */
    public void dispatch(Invocation invocation) {
        current.set(invocation);
        WaitingNext next;
        synchronized (this) {
            next = waitingNext;
            waitingNext = null;
            if (next == null) {
                undelivered = invocation;
            }
        }
        if (next != null && !next.connected()) { // kept for the runtime's next request, if it ever makes one
            synchronized (this) {
                next = waitingNext;
                waitingNext = null;
                if (next == null) {
                    undelivered = invocation;
                }
            }
        }
        // Read after publishing current: a failure recorded concurrently is seen here or finishes current there.
        RuntimeOutcome failed = failure;
        if (failed != null) {
            invocation.finish(failed);
        }
        if (next != null) {
            deliver(invocation, next);
        }
    }

    /** Completes with the time of the runtime's first GET /next (or its failure): the end of its init phase. */
    public CompletableFuture<Long> initialised() {
        return initialised;
    }

    /** Whether the runtime has failed (init error, or its process exited): it can serve nothing more. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * The runtime's GET /next: {@code next} is given the next invocation once there is one (at once if one is
     * waiting), or null once the session is closed.
     */
    void next(WaitingNext next) {
        initialised.complete(System.nanoTime());
        Invocation invocation;
        synchronized (this) {
            invocation = undelivered;
            undelivered = null;
            if (invocation == null && !closed) {
                waitingNext = next;
                return;
            }
        }
        deliver(invocation, next);
    }

    private static void deliver(Invocation invocation, WaitingNext next) {
        if (invocation != null) {
            invocation.markTaken();
        }
        next.accept(invocation);
    }

    /** The invocation {@code requestId} names, if it is this environment's current one. */
    java.util.Optional<Invocation> current(String requestId) {
        Invocation invocation = current.get();
        return invocation != null && invocation.requestId().equals(requestId)
                ? java.util.Optional.of(invocation) : java.util.Optional.empty();
    }

    /**
     * Finishes the invocation {@code requestId} names; false if that is not this environment's current one (another
     * environment's, or one already answered).
     */
    boolean report(String requestId, RuntimeOutcome outcome) {
        Invocation invocation = current.get();
        if (invocation == null || !invocation.requestId().equals(requestId)
                || !current.compareAndSet(invocation, null)) {
            return false;
        }
        answered = true;
        invocation.finish(outcome);
        return true;
    }

    /** Whether the runtime has answered an invocation: it finished init and took events before. */
    public boolean answeredBefore() {
        return answered;
    }

    /** POST /init/error: the runtime could not start the function. */
    void initError(RuntimeOutcome outcome) {
        fail(outcome);
    }

    /** The runtime process ended: whatever it was running, or is given later, fails with {@code outcome}. */
    public void ended(RuntimeOutcome outcome) {
        fail(outcome);
    }

    private void fail(RuntimeOutcome outcome) {
        synchronized (this) {
            if (failure == null) {
                failure = outcome; // an init error is followed by the exit; the init error is what the caller sees
            }
        }
        initialised.complete(System.nanoTime());
        Invocation invocation = current.get();
        if (invocation != null) {
            invocation.finish(failure);
        }
    }

    /** The environment is gone: a GET /next still waiting is answered. */
    public void close() {
        WaitingNext next;
        synchronized (this) {
            closed = true;
            undelivered = null;
            next = waitingNext;
            waitingNext = null;
        }
        if (next != null) {
            next.accept(null);
        }
    }
}
