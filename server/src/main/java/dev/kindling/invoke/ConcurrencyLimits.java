package dev.kindling.invoke;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ThrottleReason;
import dev.kindling.control.ConcurrencyReservations;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts invocations in flight against the account's concurrency, and hands each a slot or refuses it. A function
 * with reserved concurrency runs at most that many invocations at once, in a pool of its own; every other function
 * takes from the unreserved pool they share, except for as many invocations at once as it keeps provisioned (set
 * aside from that pool already). A refusal is AWS's 429 with the limit that was hit as its Reason.
 *
 * <p>The reservation is read when a slot is taken, so a change applies to invocations that start after it; a slot
 * gives back exactly what it took, whatever changed meanwhile.
 */
public final class ConcurrencyLimits {
    private final ConcurrencyReservations reservations;
    private final ReentrantLock lock = new ReentrantLock();
    /** Invocations in flight per function, from whichever pool. */
    private final Map<String, Integer> inFlight = new HashMap<>();
    /** Invocations in flight that took from the unreserved pool. */
    private int unreservedInFlight;

    public ConcurrencyLimits(ConcurrencyReservations reservations) {
        this.reservations = reservations;
    }

    /**
     * Takes a slot for one invocation of the function, to be closed when the invocation ends.
     *
     * @throws LambdaException TooManyRequestsException when the function's or the unreserved pool is in use
     */
    public Slot acquire(String functionName) {
        Optional<Integer> reserved = reservations.reservedFor(functionName);
        lock.lock();
        try {
            int running = inFlight.getOrDefault(functionName, 0);
            if (reserved.isPresent()) {
                if (running >= reserved.get()) {
                    throw LambdaException.throttled(ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded);
                }
            }
            boolean fromPool = reserved.isEmpty() && running >= reservations.provisionedFor(functionName);
            if (fromPool && unreservedInFlight >= reservations.unreservedPool()) {
                throw LambdaException.throttled(ThrottleReason.ConcurrentInvocationLimitExceeded);
            }
            if (fromPool) {
                unreservedInFlight++;
            }
            inFlight.put(functionName, running + 1);
            return new Slot(functionName, fromPool);
        } finally {
            lock.unlock();
        }
    }

    /** How many invocations of the function are in flight. */
    int inFlight(String functionName) {
        lock.lock();
        try {
            return inFlight.getOrDefault(functionName, 0);
        } finally {
            lock.unlock();
        }
    }

    private void release(Slot slot) {
        lock.lock();
        try {
            if (slot.fromPool) {
                unreservedInFlight--;
            }
            inFlight.computeIfPresent(slot.functionName, (name, running) -> running == 1 ? null : running - 1);
        } finally {
            lock.unlock();
        }
    }

    /** One invocation's place in a pool; closing it (once, or more: later closes do nothing) gives it back. */
    public final class Slot implements AutoCloseable {
        private final String functionName;
        /** Whether it took from the unreserved pool (not from a reservation or provisioned concurrency). */
        private final boolean fromPool;
        private boolean closed;

        private Slot(String functionName, boolean fromPool) {
            this.functionName = functionName;
            this.fromPool = fromPool;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(this);
        }
    }
}
