package dev.kindling.pool;

import dev.kindling.control.FunctionChangeListener;
import dev.kindling.control.ProvisionedEnvironments;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.EnvironmentCensus;
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
 * <p>A version with provisioned concurrency ({@link #provision}) also keeps that many environments initialised ahead
 * of traffic: launched in the background, idle once their runtime asks for its first event, leased before any other,
 * never reaped for idleness, and replaced when one dies, until an init fails (FAILED) or the target is lowered.
 *
 * <p>State changes happen under the pool's lock; destroying an environment (killing its process, closing its
 * port) happens outside it, so one slow teardown never holds up other functions' invocations.
 */
public final class EnvironmentPool implements EnvironmentLeases, FunctionChangeListener, ProvisionedEnvironments,
        EnvironmentCensus, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EnvironmentPool.class);

    /** Starts an environment for a function revision; the pool never knows how. */
    @FunctionalInterface
    public interface Starter {
        Environment start(FunctionRecord function, Initialization initialization) throws Exception;
    }

    private final Starter starter;
    private final Clock clock;
    private final long idleTimeoutNanos;
    /** Idle environments by {@link FunctionRecord#qualifiedName()}. */
    private final Map<String, Deque<Environment>> idle = new HashMap<>();
    private final Set<Environment> all = new HashSet<>();
    /** Provisioned environments by {@link FunctionRecord#qualifiedName()}. */
    private final Map<String, ProvisionedVersion> provisioned = new HashMap<>();
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
        Environment started = starter.start(function, Initialization.ON_DEMAND);
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

    /** An idle environment of the version, provisioned ones first; unusable ones met on the way go to {@code stale}. */
    private synchronized Environment takeWarm(FunctionRecord function, List<Environment> stale) {
        ProvisionedVersion provisionedOnes = provisioned.get(function.qualifiedName());
        Environment env = takeUsable(provisionedOnes == null ? null : provisionedOnes.idle, function, stale);
        return env != null ? env : takeUsable(idle.get(function.qualifiedName()), function, stale);
    }

    private Environment takeUsable(Deque<Environment> warm, FunctionRecord function, List<Environment> stale) {
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
                ProvisionedVersion owner = env.provisioned ? provisioned.get(env.qualifiedName()) : null;
                if (owner != null && owner.surplus()) {
                    forget(env); // the target was lowered while it served
                } else {
                    env.moveTo(Environment.State.IDLE);
                    Deque<Environment> into = owner != null ? owner.idle
                            : idle.computeIfAbsent(env.qualifiedName(), k -> new ArrayDeque<>());
                    into.addFirst(env);
                    return;
                }
            } else {
                forget(env);
            }
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
        retireWhere(qualifiedName -> qualifiedName.equals(functionName + ":" + version));
    }

    /** Retires every environment of every version of the function. */
    public void retireAll(String functionName) {
        retireWhere(qualifiedName -> qualifiedName.startsWith(functionName + ":")); // names have no ':'
    }

    /** Retires the environments of the versions whose {@code name:version} {@code retiring} accepts. */
    private void retireWhere(Predicate<String> retiring) {
        List<Environment> retired = new ArrayList<>();
        synchronized (this) {
            for (Environment env : all) {
                if (retiring.test(env.qualifiedName())) {
                    env.retired = true;
                }
            }
            for (Deque<Environment> warm : idle.values()) {
                warm.removeIf(env -> {
                    if (retiring.test(env.qualifiedName())) {
                        retired.add(forget(env));
                        return true;
                    }
                    return false;
                });
            }
            idle.values().removeIf(Deque::isEmpty);
            // A retired version keeps nothing provisioned (only a deleted one is: provisioning never targets $LATEST).
            provisioned.keySet().stream().filter(retiring).toList()
                    .forEach(qualifiedName -> stopProvisioning(qualifiedName, retired));
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

    @Override
    public void provision(FunctionRecord version, int count) {
        List<Environment> surplus = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (count == 0) {
                stopProvisioning(version.qualifiedName(), surplus);
            } else {
                ProvisionedVersion p = provisioned.computeIfAbsent(version.qualifiedName(),
                        key -> new ProvisionedVersion(version, count));
                p.target = count;
                p.failed = false; // a configuration put again is tried again
                while (p.surplus() && !p.idle.isEmpty()) {
                    surplus.add(forget(p.idle.pollLast()));
                }
                startMissing(p);
            }
        }
        surplus.forEach(Environment::destroy);
    }

    @Override
    public synchronized ProvisionedStatus provisionedStatus(String functionName, String version) {
        ProvisionedVersion p = provisioned.get(functionName + ":" + version);
        return p == null ? new ProvisionedStatus(0, Status.IN_PROGRESS, java.util.Optional.empty()) : p.status();
    }

    /** Lets the version's provisioned environments go: idle ones now, serving ones become on-demand ones. */
    private void stopProvisioning(String qualifiedName, List<Environment> destroying) {
        ProvisionedVersion p = provisioned.remove(qualifiedName);
        if (p != null) {
            p.members.forEach(env -> env.provisioned = false);
            p.idle.forEach(env -> destroying.add(forget(env)));
        }
    }

    /** Launches what the version lacks; each initialises on a thread of its own. Called under the lock. */
    private void startMissing(ProvisionedVersion p) {
        for (int i = p.missing(); i > 0; i--) {
            p.starting++;
            Thread.ofVirtual().name("provision-" + p.version.qualifiedName()).start(() -> initialiseAhead(p));
        }
    }

    /**
     * Starts one provisioned environment and waits for its init to end (the runtime's first GET /next, or its
     * failure); keeps it idle if the version still wants it, else lets it go. A failed init fails the version.
     */
    private void initialiseAhead(ProvisionedVersion p) {
        Environment env;
        try {
            env = starter.start(p.version, Initialization.PROVISIONED);
        } catch (Exception e) {
            LOG.warn("provisioned environment of {} did not start: {}", p.version.qualifiedName(), e.toString());
            synchronized (this) {
                p.starting--;
                p.failed = true;
            }
            return;
        }
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = closed;
            if (closedMeanwhile) {
                env.moveTo(Environment.State.DEAD);
            } else {
                all.add(env); // from now on, closing the pool destroys it
            }
        }
        if (closedMeanwhile) {
            env.destroy();
            return;
        }
        env.session().initialised().join();
        synchronized (this) {
            p.starting--;
            boolean wanted = provisioned.get(p.version.qualifiedName()) == p;
            if (wanted && env.failed()) {
                p.failed = true;
            }
            if (wanted && !closed && !env.failed() && !env.retired && all.contains(env)
                    && p.members.size() < p.target) {
                env.initialisedAhead();
                env.provisioned = true;
                env.moveTo(Environment.State.IDLE);
                p.members.add(env);
                p.idle.addFirst(env);
                return;
            }
            if (env.state() != Environment.State.DEAD) {
                forget(env);
            }
        }
        env.destroy();
    }

    /**
     * Counts the environments of each version by phase, and its provisioned ones: for metrics, at each scrape. Under
     * the lock, so the figures agree with each other; a pass over every environment, never on the invoke path.
     */
    @Override
    public synchronized List<VersionEnvironments> count() {
        Map<String, VersionTally> tallies = new HashMap<>();
        for (Environment env : all) {
            VersionTally tally = tallies.computeIfAbsent(env.qualifiedName(), k -> new VersionTally(env));
            switch (env.state()) {
                case IDLE -> tally.idle++;
                case BUSY -> {
                    tally.leased++;
                    if (env.session().initialised().isDone()) {
                        tally.busy++;
                    } else {
                        tally.starting++; // a cold start: its invocation waits for the init to end
                    }
                    if (env.provisioned) {
                        tally.provisionedBusy++;
                    }
                }
                case STARTING -> tally.starting++;
                case DEAD -> { }
            }
        }
        List<VersionEnvironments> versions = new ArrayList<>();
        provisioned.forEach((qualifiedName, p) -> {
            VersionTally tally = tallies.remove(qualifiedName);
            versions.add(tally == null
                    ? new VersionEnvironments(p.version.name(), p.version.version(), Phases.NONE, 0,
                            new Provisioned(p.target, p.members.size(), 0))
                    : tally.toCount(new Provisioned(p.target, p.members.size(), tally.provisionedBusy)));
        });
        tallies.values().forEach(tally -> versions.add(tally.toCount(Provisioned.NONE)));
        return versions;
    }

    /** One version's environments as {@link #count} goes through them. */
    private static final class VersionTally {
        final String functionName;
        final String version;
        int starting;
        int busy;
        int idle;
        int leased;
        int provisionedBusy;

        VersionTally(Environment env) {
            this.functionName = env.functionName();
            this.version = env.version();
        }

        VersionEnvironments toCount(Provisioned provisioned) {
            return new VersionEnvironments(functionName, version, new Phases(starting, busy, idle), leased,
                    provisioned);
        }
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
                deadProvisioned().forEach(Environment::destroy);
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

    /**
     * Takes out the idle provisioned environments whose runtime died (their replacements start at once); the caller
     * destroys them.
     */
    synchronized List<Environment> deadProvisioned() {
        List<Environment> dead = new ArrayList<>();
        for (ProvisionedVersion p : List.copyOf(provisioned.values())) {
            p.idle.stream().filter(Environment::failed).toList().forEach(env -> dead.add(forget(env)));
        }
        return dead;
    }

    /**
     * Removes the environment from the pool's books (under the lock); destroying it is the caller's job. A provisioned
     * one that goes is replaced while its version still wants it.
     */
    private Environment forget(Environment env) {
        all.remove(env);
        ProvisionedVersion owner = env.provisioned ? provisioned.get(env.qualifiedName()) : null;
        if (owner != null && owner.members.remove(env)) {
            owner.idle.remove(env);
            if (!closed) {
                startMissing(owner);
            }
        }
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
            provisioned.clear();
        }
        remaining.parallelStream().forEach(Environment::destroy);
    }
}
