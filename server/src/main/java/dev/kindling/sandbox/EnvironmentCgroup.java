package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One environment's cgroups (v1): its memory limit and peak, its cap on processes and threads, its CPU share. Every
 * process of the environment is in its memory and pids cgroups from its first instruction (the launcher joins them
 * before it execs bubblewrap), so destroying the cgroups kills the whole environment, whatever it forked. Its cpu
 * cgroup holds its processes only while {@link CpuWeights} weighs environments.
 */
final class EnvironmentCgroup {
    private final Path memory;
    private final Path pids;
    private final Path cpu;
    private final CpuWeights weights;
    private final Runnable onDestroyed;

    /**
     * @param weights whether the environment's processes are in its cpu cgroup now
     * @param onDestroyed told once the cgroups are gone
     */
    EnvironmentCgroup(Path memory, Path pids, Path cpu, CpuWeights weights, Runnable onDestroyed) {
        this.memory = memory;
        this.pids = pids;
        this.cpu = cpu;
        this.weights = weights;
        this.onDestroyed = onDestroyed;
    }

    void limit(ResourceLimits limits) throws IOException {
        String bytes = Long.toString((long) limits.memoryMb() << 20);
        CgroupV1.write(memory.resolve("memory.limit_in_bytes"), bytes);
        Path withSwap = memory.resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(withSwap)) {
            CgroupV1.write(withSwap, bytes); // memory, not swap: a host with swap must not stretch the limit
        }
        CgroupV1.write(pids.resolve("pids.max"), Integer.toString(ResourceLimits.MAX_TASKS));
        // cpu.shares weighs this cgroup against its siblings only when they compete: 1024 is one CPU's worth.
        CgroupV1.write(cpu.resolve("cpu.shares"), Long.toString(Math.max(2, limits.milliCpus() * 1024 / 1000)));
        if (limits.hardCpuQuota()) {
            CgroupV1.write(cpu.resolve("cpu.cfs_period_us"), "100000");
            CgroupV1.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(Math.max(1000, limits.milliCpus() * 100)));
        }
    }

    /**
     * The files a launching process writes its pid to, to join the environment's cgroups: memory and pids always,
     * cpu while {@link CpuWeights} weighs environments. Registers the environment with the weights, which move it
     * from then on.
     */
    List<Path> filesToJoinAtLaunch() {
        weights.add(this);
        return weights.weighted() ? List.of(memory.resolve("cgroup.procs"), pids.resolve("cgroup.procs"),
                cpu.resolve("cgroup.procs")) : List.of(memory.resolve("cgroup.procs"), pids.resolve("cgroup.procs"));
    }

    /**
     * Moves every process of the environment into its cpu cgroup, or out of it into {@code home}. A process that
     * exits meanwhile is skipped; one forked meanwhile is moved by a later call (see {@link CpuWeights}).
     */
    void placeOnCpu(boolean weighted, Path home) {
        Path target = (weighted ? cpu : home).resolve("cgroup.procs");
        for (long pid : pidsIn(memory)) {
            try {
                CgroupV1.write(target, Long.toString(pid));
            } catch (IOException e) {
                // gone meanwhile, or the environment is being destroyed
            }
        }
    }

    /** The most memory the environment has used, page cache and /tmp included, in bytes. */
    long peakMemoryBytes() {
        return Long.parseLong(CgroupV1.read(memory.resolve("memory.max_usage_in_bytes")));
    }

    /** Whether the kernel killed a process of the environment for passing its memory limit. */
    boolean oomKilled() {
        for (String line : CgroupV1.read(memory.resolve("memory.oom_control")).split("\n")) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()).trim()) > 0;
            }
        }
        return false;
    }

    /** Kills every process left in the environment and removes its cgroups. */
    void destroy() {
        weights.remove(this);
        killAndRemove(pids); // first: pids.max = 0 stops a fork bomb from outrunning the kill
        killAndRemove(memory);
        killAndRemove(cpu);
        onDestroyed.run();
    }

    /**
     * Kills every process in one cgroup and removes it. A pids cgroup is closed to new processes first; processes
     * forked while the kill runs are caught by the next round.
     */
    static void killAndRemove(Path dir) {
        try {
            Path max = dir.resolve("pids.max");
            if (Files.exists(max)) {
                CgroupV1.write(max, "0");
            }
            for (int round = 0; round < 200; round++) {
                List<Long> left = pidsIn(dir);
                if (left.isEmpty() && removed(dir)) {
                    return;
                }
                left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                Thread.sleep(Math.min(50, 1 + round)); // a killed process leaves the cgroup once the kernel reaps it
            }
        } catch (IOException | RuntimeException e) {
            // a cgroup that cannot be emptied is left behind, named after its server: the next start removes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean removed(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false; // still busy (EBUSY until the last task is gone)
        }
    }

    private static List<Long> pidsIn(Path dir) {
        try {
            String procs = Files.readString(dir.resolve("cgroup.procs"));
            return procs.isBlank() ? List.of() : procs.lines().map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
