package dev.kindling.sandbox;

/**
 * Whether environments should run in their weighted cpu cgroups now: the policy of {@link CpuWeights}, a pure
 * function of the CPU's pressure window by window.
 *
 * <p>CPU weights only matter when tasks wait for a CPU, and membership of a cpu cgroup costs on every wake-up (CFS
 * group scheduling: 4-13 % of a no-op custom runtime's warm throughput, a fifth of its CPU per invocation, here). So
 * environments are weighed from the first window in which tasks waited for a CPU a tenth of the time or more, and
 * released once the CPU has been calm (under a twentieth) for {@link #CALM_WINDOWS_TO_RELEASE} windows in a row, so
 * that a burst does not make them flap.
 *
 * @param weighted whether environments are in their weighted cgroups
 * @param calmWindows calm windows in a row while weighted
 */
record CpuContention(boolean weighted, int calmWindows) {
    /** The share of a window with a task waiting for a CPU (PSI's "some") from which environments are weighed. */
    static final double CONTENDED = 0.10;
    /** Below this share a window is calm. */
    static final double CALM = 0.05;
    /** Calm windows in a row after which weighed environments are released (5 s of 200 ms windows). */
    static final int CALM_WINDOWS_TO_RELEASE = 25;

    static CpuContention atRest() {
        return new CpuContention(false, 0);
    }

    /** The state after a window in which tasks waited for a CPU {@code stalledShare} of the time (0 to 1). */
    CpuContention next(double stalledShare) {
        if (!weighted) {
            return stalledShare >= CONTENDED ? new CpuContention(true, 0) : this;
        }
        if (stalledShare >= CALM) {
            return new CpuContention(true, 0);
        }
        return calmWindows + 1 >= CALM_WINDOWS_TO_RELEASE ? atRest() : new CpuContention(true, calmWindows + 1);
    }
}
