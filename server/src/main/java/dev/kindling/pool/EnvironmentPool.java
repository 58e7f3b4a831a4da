package dev.kindling.pool;

import dev.kindling.control.FunctionChangeListener;
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
import java.util.function.Predicate;

/**
 * The execution environments of every function version. {@link #acquire} leases an idle environment of the version
 * (most recently used first; for $LATEST, of its current revision) or starts a new one; the caller gives it back
 * with {@link #release} or, when it must not be reused (timeout, crash), {@link #discard}. Two versions never share
 * an environment. A change to $LATEST or the deletion of a version {@link #retire}s the version's environments, busy
 * ones included, so no invocation that starts after the change runs old code; idle ones are reaped after the idle
 * timeout, so a version scales back to zero.
 *
 * <p>State changes happen under the pool's lock; destroying an environment (killing its process, closing its
 * port) happens outside it, so one slow teardown never holds up other functions' invocations.
 */
public final class EnvironmentPool implements EnvironmentLeases, FunctionChangeListener, AutoCloseable {
    /** Starts an environment for a function revision; the pool never knows how. */
    @FunctionalInterface
    public interface Starter {
        Environment start(FunctionRecord function) throws Exception;
    }

    private final Starter starter;
    private final Clock clock;
    private final long idleTimeoutNanos;
    /** Idle environments by {@link FunctionRecord#qualifiedName()}. */
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
        Deque<Environment> warm = idle.get(function.qualifiedName());
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

    /** Gives a healthy environment back; it stays warm unless its version was retired meanwhile. */
    @Override
    public void release(Environment env) {
        synchronized (this) {
            if (!closed && !env.retired && env.state() == Environment.State.BUSY) {
                env.moveTo(Environment.State.IDLE);
                idle.computeIfAbsent(env.qualifiedName(), k -> new ArrayDeque<>()).addFirst(env);
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

    /** Retires every environment of one version: idle ones now, busy ones when they are released. */
    public void retire(String functionName, String version) {
        retireWhere(env -> env.qualifiedName().equals(functionName + ":" + version));
    }

    /** Retires every environment of every version of the function. */
    public void retireAll(String functionName) {
        retireWhere(env -> env.functionName().equals(functionName));
    }

    private void retireWhere(Predicate<Environment> retiring) {
        List<Environment> retired = new ArrayList<>();
        synchronized (this) {
            for (Environment env : all) {
                if (retiring.test(env)) {
                    env.retired = true;
                }
            }
            for (Deque<Environment> warm : idle.values()) {
                warm.removeIf(env -> {
                    if (retiring.test(env)) {
                        retired.add(forget(env));
                        return true;
                    }
                    return false;
                });
            }
            idle.values().removeIf(Deque::isEmpty);
        }
        retired.forEach(Environment::destroy);
    }

    @Override
    public void versionRetired(String functionName, String version) {
        retire(functionName, version);
    }

    @Override
    public void functionDeleted(String functionName) {
        retireAll(functionName);
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
