package dev.kindling.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Kindling's cgroups on a cgroup v1 host: a directory of this server's under its own cgroup in the memory, pids and
 * cpu hierarchies, and one cgroup per environment below it. Creating one costs about 0.2 ms (PLATFORM-NOTES.md).
 */
final class CgroupV1 {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");
    /** One runnable process's weight (a nice-0 task, such as each of the server's own threads). */
    private static final long TASK_SHARES = 1024;
    private static final long MAX_SHARES = 262_144;
    private final Path memory;
    private final Path pids;
    private final Path cpu;
    private final CpuWeights weights;
    private final AtomicInteger environments = new AtomicInteger();

    private CgroupV1(Path memory, Path pids, Path cpu, CpuWeights weights) {
        this.memory = memory;
        this.pids = pids;
        this.cpu = cpu;
        this.weights = weights;
    }

    /**
     * This server's cgroups, or empty when the host has no writable v1 memory, pids and cpu hierarchies.
     *
     * @param hardCpuQuota whether environments are capped at their CPU share even on an idle host (else their share
     *     is a weight, applied while the CPU is contended: {@link CpuWeights})
     */
    static Optional<CgroupV1> create(boolean hardCpuQuota) {
        if (!Files.isDirectory(ROOT.resolve("memory")) || !Files.isDirectory(ROOT.resolve("pids"))
                || !Files.isDirectory(ROOT.resolve("cpu"))) {
            return Optional.empty();
        }
        String name = "kindling-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            List<Path> dirs = new ArrayList<>();
            for (String controller : CONTROLLERS) {
                Path parent = ROOT.resolve(controller).resolve(ownPath(controller));
                removeOrphans(parent);
                dirs.add(Files.createDirectory(parent.resolve(name)));
            }
            CpuWeights weights = CpuWeights.following(dirs.get(2).getParent(), hardCpuQuota);
            return Optional.of(new CgroupV1(dirs.get(0), dirs.get(1), dirs.get(2), weights));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A cgroup for one environment, with its limits set. */
    EnvironmentCgroup forEnvironment(String id, ResourceLimits limits) throws IOException {
        weighEnvironments(environments.incrementAndGet());
        EnvironmentCgroup group = new EnvironmentCgroup(Files.createDirectory(memory.resolve(id)),
                Files.createDirectory(pids.resolve(id)), Files.createDirectory(cpu.resolve(id)), weights,
                () -> weighEnvironments(environments.decrementAndGet()));
        try {
            group.limit(limits);
            return group;
        } catch (IOException | RuntimeException e) {
            group.destroy();
            throw e;
        }
    }

    /**
     * Gives the environments together the CPU weight of one ordinary process each, as they had as plain processes:
     * their cgroups share out this server's directory by memory, and without this the whole directory would weigh
     * as much as one of the server's own threads, starving functions whenever the server is busy.
     */
    private void weighEnvironments(int count) {
        try {
            write(cpu.resolve("cpu.shares"), Long.toString(Math.min(MAX_SHARES, TASK_SHARES * Math.max(1, count))));
        } catch (IOException e) {
            // the previous weight stays; functions are slower under contention, not wrong
        }
    }

    /** Removes this server's own directories (its environments' cgroups are gone by then). */
    void close() {
        weights.close();
        for (Path dir : List.of(memory, pids, cpu)) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a cgroup still busy stays until the host reboots; it holds no processes of ours
            }
        }
    }

    /** The path of this process's cgroup in one hierarchy, relative to the hierarchy's root. */
    static String ownPath(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                return parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            }
        }
        throw new IOException("not in a " + controller + " cgroup");
    }

    /** Empties and removes the cgroups of Kindling servers that died without removing theirs. */
    private static void removeOrphans(Path parent) throws IOException {
        try (Stream<Path> dirs = Files.list(parent)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("kindling-")).toList()) {
                String[] name = dir.getFileName().toString().split("-");
                boolean ownerAlive = name.length == 3 && ProcessHandle.of(Long.parseLong(name[1]))
                        .map(ProcessHandle::isAlive).orElse(false);
                if (!ownerAlive) {
                    try (Stream<Path> environments = Files.list(dir)) {
                        environments.filter(Files::isDirectory).forEach(EnvironmentCgroup::killAndRemove);
                    }
                    Files.deleteIfExists(dir);
                }
            }
        } catch (NumberFormatException e) {
            // not one of ours
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }
}
