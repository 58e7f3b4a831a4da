package dev.kindling.pool;

import dev.kindling.store.FunctionRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The execution environments of every function. {@link #acquire} leases an idle environment of the function's
 * current revision (most recently used first) or starts a new one; the caller gives it back with {@link #release}
 * or, when it must not be reused (timeout, crash), {@link #discard}. A change to a function {@link #retire}s all its
 * environments, busy ones included, so no invocation that starts after the change runs old code; idle ones are
 * reaped after the idle timeout, so a function scales back to zero.
 *
 * <p>State changes happen under the pool's lock; destroying an environment (killing its process, closing its
 * port) happens outside it, so one slow teardown never holds up other functions' invocations.
 */
public final class EnvironmentPool implements EnvironmentLeases, AutoCloseable {
    /** Starts an environment for a function revision; the pool never knows how. */
    @FunctionalInterface
    public interface Starter {
        Environment start(FunctionRecord function) throws Exception;
    }

    private final Starter starter;
    private final Clock clock;
    private final long idleTimeoutNanos;
    private final Map<String, Deque<Environment>> idle = new HashMap<>();
    private final Set<Environment> all = new HashSet<>();
    private final Thread reaper;
    private boolean closed;

    public EnvironmentPool(Starter starter, Duration idleTimeout, Clock clock) {
        this.starter = starter;
        this.clock = clock;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        long period = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
        this.reaper = Thread.ofVirtual().name("reaper").start(() -> reapEvery(period));
    }

    @Override
    public Environment acquire(FunctionRecord function) throws Exception {
        List<Environment> stale = new ArrayList<>();
        Environment warm = takeWarm(function, stale);
        stale.forEach(Environment::destroy);
        if (warm != null) {
            return warm;
        }
        Environment started = starter.start(function);
        synchronized (this) {
            if (!closed) {
                all.add(started);
                started.moveTo(Environment.State.BUSY);
                return started;
            }
            started.moveTo(Environment.State.DEAD);
        }
        started.destroy();
        throw new IllegalStateException("the server is stopping");
    }

    private synchronized Environment takeWarm(FunctionRecord function, List<Environment> stale) {
        Deque<Environment> warm = idle.get(function.name());
        while (warm != null && !warm.isEmpty()) {
            Environment env = warm.pollFirst();
            // A runtime can die while idle (a background thread exiting it): such an environment serves no one. Nor
            // does one whose credentials could expire before this invocation's timeout.
            if (env.revisionId().equals(function.revisionId()) && !env.failed()
                    && env.credentialsValidAt(clock.instant().plusSeconds(function.timeoutSeconds() + 1L))) {
                env.moveTo(Environment.State.BUSY);
                return env;
            }
            stale.add(forget(env));
        }
        return null;
    }

    /** Gives a healthy environment back; it stays warm unless its function changed meanwhile. */
    @Override
    public void release(Environment env) {
        synchronized (this) {
            if (!closed && !env.retired && env.state() == Environment.State.BUSY) {
                env.moveTo(Environment.State.IDLE);
                idle.computeIfAbsent(env.functionName(), k -> new ArrayDeque<>()).addFirst(env);
                return;
            }
            forget(env);
        }
        env.destroy();
    }

    /** Destroys an environment that must not serve again. */
    @Override
    public void discard(Environment env) {
        synchronized (this) {
            forget(env);
        }
        env.destroy();
    }

    /** Retires every environment of the function: idle ones now, busy ones when they are released. */
    public void retire(String functionName) {
        List<Environment> retired = new ArrayList<>();
        synchronized (this) {
            for (Environment env : all) {
                if (env.functionName().equals(functionName)) {
                    env.retired = true;
                }
            }
            Deque<Environment> warm = idle.remove(functionName);
            if (warm != null) {
                warm.forEach(env -> retired.add(forget(env)));
            }
        }
        retired.forEach(Environment::destroy);
    }

    /** How many environments exist, busy or idle. */
    public synchronized int size() {
        return all.size();
    }

    private void reapEvery(long periodMillis) {
        try {
            while (true) {
                Thread.sleep(periodMillis);
                reapIdle(System.nanoTime()).forEach(Environment::destroy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes out the environments idle for longer than the idle timeout at {@code now}; the caller destroys them. */
    synchronized List<Environment> reapIdle(long now) {
        List<Environment> expired = new ArrayList<>();
        for (Deque<Environment> warm : idle.values()) {
            warm.removeIf(env -> {
                boolean old = now - env.idleSinceNanos() >= idleTimeoutNanos;
                if (old) {
                    expired.add(forget(env));
                }
                return old;
            });
        }
        idle.values().removeIf(Deque::isEmpty);
        return expired;
    }

    /** Removes the environment from the pool's books (under the lock); destroying it is the caller's job. */
    private Environment forget(Environment env) {
        all.remove(env);
        if (env.state() != Environment.State.DEAD) { // discarding what the closing pool already took out
            env.moveTo(Environment.State.DEAD);
        }
        return env;
    }

    @Override
    public void close() {
        reaper.interrupt();
        List<Environment> remaining;
        synchronized (this) {
            closed = true;
            remaining = new ArrayList<>(all);
            remaining.forEach(this::forget);
            idle.clear();
        }
        remaining.parallelStream().forEach(Environment::destroy);
    }
}
