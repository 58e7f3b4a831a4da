package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Makes joining a cgroup v1 cheap for as long as this server runs. Every write to a v1 {@code cgroup.procs} takes the
 * kernel's cgroup thread-group lock for writing, and in its default mode (fast for readers) the writer waits for an
 * RCU grace period: joining an environment's three cgroups took 7-21 ms here (median 10.6 ms), on the critical path
 * of every cold start. While any cgroup hierarchy is mounted with {@code favordynmods} (Linux 6.1 and later, v1 and
 * v2), the kernel keeps that lock in the mode that favours writers: joining costs about 0.1 ms, and fork, exit and
 * thread creation take an atomic operation more (no difference beyond noise here). See docs/performance.md.
 *
 * <p>The hierarchy mounted for this is a named one of Kindling's own ({@code none,name=kindling-<pid>-<id>}): no
 * controller, no cgroup, it drives nothing. The host's hierarchies are not remounted. It is mounted under
 * {@code /run/kindling} and unmounted at close; the kernel counts every such mount, so the lock returns to its default
 * mode only once the last one is gone. A server killed before close leaves its mount, removed by the next start.
 */
final class FastCgroupJoins implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FastCgroupJoins.class);
    private static final Path DIR = Path.of("/run/kindling");
    private static final String PREFIX = "favordynmods-";
    private final Path mountPoint;

    private FastCgroupJoins(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts this server's hierarchy; empty, said in the log, where the kernel or the host does not allow it. */
    static Optional<FastCgroupJoins> mount() {
        String name = PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path mountPoint = DIR.resolve(name);
        try {
            removeOrphans();
            Files.createDirectories(mountPoint);
            Mounts.run("mount", "-t", "cgroup", "-o", "none,name=kindling-" + name.substring(PREFIX.length())
                    + ",favordynmods", "cgroup", mountPoint.toString());
            return Optional.of(new FastCgroupJoins(mountPoint));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sandbox: cold starts pay 5-20 ms to join their cgroups: a cgroup hierarchy cannot be mounted with"
                    + " favordynmods here (Linux 6.1 or later is needed): {}", e.getMessage());
            deleteQuietly(mountPoint);
            return Optional.empty();
        }
    }

    Path mountPoint() {
        return mountPoint;
    }

    @Override
    public void close() {
        unmount(mountPoint);
    }

    /** Unmounts what servers that died without closing left. */
    private static void removeOrphans() throws IOException {
        if (!Files.isDirectory(DIR)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(DIR)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX)).toList()) {
                String[] parts = dir.getFileName().toString().substring(PREFIX.length()).split("-");
                if (!ownerAlive(parts[0])) {
                    unmount(dir);
                }
            }
        }
    }

    private static boolean ownerAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not named by a server: leave it
        }
    }

    private static void unmount(Path mountPoint) {
        try {
            if (Mounts.isMounted(mountPoint)) {
                Mounts.run("umount", mountPoint.toString());
            }
        } catch (IOException e) {
            LOG.warn("Sandbox: could not unmount {}: {}", mountPoint, e.getMessage());
        }
        deleteQuietly(mountPoint);
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a mount point still in use stays; the next start tries again
        }
    }
}
