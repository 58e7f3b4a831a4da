package dev.kindling.pool;

import dev.kindling.store.FunctionRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The warm environments of every function. {@link #acquire} leases an idle environment of the function's current
 * revision (most recently used first) or starts a new one; the caller gives it back with {@link #release} or, when
 * the environment must not be reused (timeout, crash), {@link #discard}. A change to a function retires its
 * environments; idle ones are reaped after the idle timeout, so a function scales back to zero.
 */
public final class EnvironmentPool implements AutoCloseable {
    /** Starts an environment for a function revision; the pool never knows how. */
    @FunctionalInterface
    public interface Starter {
        Environment start(FunctionRecord function) throws Exception;
    }

    private final Starter starter;
    private final long idleTimeoutNanos;
    private final Map<String, Deque<Environment>> idle = new HashMap<>();
    private final List<Environment> all = new ArrayList<>();
    private final Thread reaper;
    private boolean closed;

    public EnvironmentPool(Starter starter, Duration idleTimeout) {
        this.starter = starter;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        long period = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
        this.reaper = Thread.ofVirtual().name("reaper").start(() -> reapEvery(period));
    }

    /** An environment for {@code function}, now BUSY and the caller's alone. */
    public Environment acquire(FunctionRecord function) throws Exception {
        synchronized (this) {
            Deque<Environment> warm = idle.get(function.name());
            while (warm != null && !warm.isEmpty()) {
                Environment env = warm.pollFirst();
                if (env.revisionId().equals(function.revisionId())) {
                    env.state = Environment.State.BUSY;
                    return env;
                }
                remove(env);
            }
        }
        Environment started = starter.start(function);
        synchronized (this) {
            if (closed) {
                started.destroy();
                throw new IllegalStateException("the server is stopping");
            }
            all.add(started);
            started.state = Environment.State.BUSY;
        }
        return started;
    }

    /** Gives a healthy environment back; it stays warm unless its function changed meanwhile. */
    public synchronized void release(Environment env, String currentRevision) {
        if (env.state == Environment.State.DEAD || !env.revisionId().equals(currentRevision) || closed) {
            remove(env);
            return;
        }
        env.state = Environment.State.IDLE;
        env.idleSinceNanos = System.nanoTime();
        idle.computeIfAbsent(env.functionName(), k -> new ArrayDeque<>()).addFirst(env);
    }

    public synchronized void discard(Environment env) {
        remove(env);
    }

    /** Destroys the function's idle environments; busy ones are destroyed when they are released. */
    public synchronized void retire(String functionName) {
        Deque<Environment> warm = idle.remove(functionName);
        if (warm != null) {
            warm.forEach(this::remove);
        }
    }

    private void reapEvery(long periodMillis) {
        try {
            while (true) {
                Thread.sleep(periodMillis);
                reapIdle(System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void reapIdle(long now) {
        for (Deque<Environment> warm : idle.values()) {
            warm.removeIf(env -> {
                boolean expired = now - env.idleSinceNanos >= idleTimeoutNanos;
                if (expired) {
                    remove(env);
                }
                return expired;
            });
        }
    }

    private void remove(Environment env) {
        all.remove(env);
        env.destroy();
    }

    @Override
    public void close() {
        reaper.interrupt();
        synchronized (this) {
            closed = true;
            new ArrayList<>(all).forEach(this::remove);
            idle.clear();
        }
    }
}
