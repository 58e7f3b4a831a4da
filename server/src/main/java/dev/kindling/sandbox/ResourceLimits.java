package dev.kindling.sandbox;

/**
 * What one execution environment may use, from its function's configuration and AWS's fixed limits.
 *
 * @param memoryMb the function's MemorySize: a hard limit, past which the environment is killed
 * @param tmpMb the function's EphemeralStorage: the size of its /tmp
 * @param hardCpuQuota whether CPU is capped at the function's share even when the host is idle (else the share is a
 *     weight that only matters under contention)
 */
public record ResourceLimits(int memoryMb, int tmpMb, boolean hardCpuQuota) {
    /** AWS's limit on processes and threads in one environment. */
    public static final int MAX_TASKS = 1024;
    /** AWS's limit on open file descriptors in one environment. */
    public static final int MAX_OPEN_FILES = 1024;
    /** On AWS a function gets one vCPU at 1,769 MB, and CPU in proportion to memory below and above. */
    static final int MB_PER_VCPU = 1769;

    /** The function's CPU in thousandths of one CPU. */
    long milliCpus() {
        return Math.max(10, memoryMb * 1000L / MB_PER_VCPU);
    }
}
