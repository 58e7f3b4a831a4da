package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts environments in their weighted cpu cgroups while the CPU is contended, and back in the server's own cpu cgroup
 * when it is calm ({@link CpuContention} decides). Under contention each environment gets CPU in proportion to its
 * memory, as on AWS; at rest it runs as a plain task, without the cost of CFS group scheduling on every wake-up.
 * Memory and process limits do not move: every environment stays in its memory and pids cgroups all its life.
 *
 * <p>A window of {@link #WINDOW_MILLIS} ms on a thread of its own reads the host's CPU pressure. When the decision
 * changes, every environment's processes move (one write to {@code cgroup.procs} each, about 30 us with
 * {@link FastCgroupJoins}), again in the two windows after, for processes forked or launched during a move, and every
 * 5 s while the decision stands, for any that a move still missed. An environment launched in between joins the
 * cgroup the decision in force names. With a hard CPU quota, or where the
 * kernel reports no CPU pressure, environments are always in their cgroups.
 */
final class CpuWeights implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CpuWeights.class);
    static final long WINDOW_MILLIS = 200;
    /** Windows after a change in which every environment is swept again. */
    private static final int SWEEPS_AFTER_CHANGE = 2;
    /** Windows between two sweeps while the decision stands (5 s), for any process that a sweep missed. */
    private static final int WINDOWS_BETWEEN_SWEEPS = 25;

    private final Path home;
    private volatile boolean always;
    private final Set<EnvironmentCgroup> environments = ConcurrentHashMap.newKeySet();
    private volatile CpuContention state = CpuContention.atRest();
    private int sweepsLeft;
    private int windowsSinceSweep;
    private final Optional<Thread> watcher;

    /**
     * @param home the server's own cpu cgroup, where environments run at rest
     * @param always whether environments stay in their cgroups (a hard CPU quota needs them there)
     * @param pressure read by a thread of its own, window by window; without it, {@link #window} is called by tests
     */
    private CpuWeights(Path home, boolean always, Optional<CpuPressure> pressure) {
        this.home = home;
        this.always = always;
        this.watcher = pressure.filter(p -> !always).map(p -> Thread.ofPlatform().name("cpu-weights").daemon()
                .start(() -> watch(p)));
    }

    /** Weights that follow the host's CPU pressure; always on where the kernel reports none. */
    static CpuWeights following(Path home, boolean hardCpuQuota) {
        Optional<CpuPressure> pressure = hardCpuQuota ? Optional.empty() : CpuPressure.open();
        if (!hardCpuQuota && pressure.isEmpty()) {
            LOG.info("Sandbox: no CPU pressure information (/proc/pressure/cpu): environments stay in their cpu"
                    + " cgroups, which costs a little on every wake-up");
        }
        return new CpuWeights(home, hardCpuQuota || pressure.isEmpty(), pressure);
    }

    /** Weights driven by {@link #window} alone, for tests. */
    static CpuWeights manual(Path home) {
        return new CpuWeights(home, false, Optional.empty());
    }

    /** Whether an environment launched now joins its cpu cgroup from its first instruction. */
    boolean weighted() {
        return always || state.weighted();
    }

    void add(EnvironmentCgroup environment) {
        environments.add(environment);
    }

    void remove(EnvironmentCgroup environment) {
        environments.remove(environment);
    }

    /** Takes one window's CPU pressure (0 to 1); moves the environments when the decision changes, and every 5 s. */
    synchronized void window(double stalledShare) {
        if (always) {
            return;
        }
        CpuContention next = state.next(stalledShare);
        if (next.weighted() != state.weighted()) {
            sweepsLeft = 1 + SWEEPS_AFTER_CHANGE;
            LOG.debug("Sandbox: the CPU is {}: {} environments {}", next.weighted() ? "contended" : "calm",
                    environments.size(), next.weighted() ? "weighed in their cpu cgroups" : "run as plain tasks");
        }
        state = next;
        if (sweepsLeft > 0 || ++windowsSinceSweep >= WINDOWS_BETWEEN_SWEEPS) {
            sweepsLeft = Math.max(0, sweepsLeft - 1);
            windowsSinceSweep = 0;
            boolean weighted = next.weighted();
            environments.forEach(environment -> environment.placeOnCpu(weighted, home));
        }
    }

    private void watch(CpuPressure pressure) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(WINDOW_MILLIS);
                window(pressure.stalledShareSinceLast());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sandbox: CPU pressure unreadable, environments stay in their cpu cgroups from now: {}",
                    e.toString());
            weighAlways();
        }
    }

    private synchronized void weighAlways() {
        always = true;
        environments.forEach(environment -> environment.placeOnCpu(true, home));
    }

    @Override
    public void close() {
        watcher.ifPresent(Thread::interrupt);
    }
}
