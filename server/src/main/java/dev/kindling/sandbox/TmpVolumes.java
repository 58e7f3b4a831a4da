package dev.kindling.sandbox;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Disk-backed /tmp volumes, as on Lambda: an ext4 file system of the function's EphemeralStorage size in a sparse
 * file under the data directory, loop-mounted. Unlike a tmpfs, what a function writes there is not memory: a 128 MB
 * function can fill a 512 MB /tmp, and gets ENOSPC at its size.
 *
 * <p>Making one costs about 30 ms (mkfs 13 ms, mount 19 ms here), too much for a cold start, so volumes are made
 * ahead: {@link #take} hands out a ready one of the size asked for and a background thread makes the next; only the
 * first cold start of a size, or a burst larger than the spares, pays for making one. A used volume is unmounted
 * and deleted in the background, never reused.
 */
final class TmpVolumes implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TmpVolumes.class);
    /** Ready volumes kept per size in use. */
    private static final int SPARES = 2;

    /** A mounted volume; {@link #release} gives it back for unmounting and deletion. */
    final class Volume {
        private final Path image;
        private final Path mountPoint;

        private Volume(Path image, Path mountPoint) {
            this.image = image;
            this.mountPoint = mountPoint;
        }

        Path mountPoint() {
            return mountPoint;
        }

        /** Unmounts and deletes the volume, in the background. */
        void release() {
            background.execute(() -> remove(this));
        }
    }

    private final Path dir;
    private final ExecutorService background = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tmp-volumes").daemon().factory());
    private final Map<Integer, Deque<Volume>> spares = new HashMap<>();

    private TmpVolumes(Path dir) {
        this.dir = dir;
    }

    /**
     * Volumes under {@code dir}, after unmounting and deleting what a previous run left there; empty when this host
     * cannot make them (no loop devices, no mkfs.ext4, not root), said once in the log.
     */
    static java.util.Optional<TmpVolumes> create(Path dir) {
        TmpVolumes volumes = new TmpVolumes(dir);
        try {
            volumes.removeLeftovers();
            Files.createDirectories(dir);
            volumes.remove(volumes.make(1)); // proves mkfs, loop devices and mount work here
            return java.util.Optional.of(volumes);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sandbox: /tmp is a tmpfs, counted against MemorySize: disk-backed volumes cannot be made here"
                    + " ({})", e.getMessage());
            volumes.background.shutdown();
            return java.util.Optional.empty();
        }
    }

    /** A mounted volume of {@code sizeMb}, ready at once if a spare was made ahead. */
    Volume take(int sizeMb) throws IOException {
        Volume ready;
        synchronized (this) {
            ready = spares.computeIfAbsent(sizeMb, size -> new ArrayDeque<>()).pollFirst();
        }
        background.execute(() -> refill(sizeMb));
        return ready != null ? ready : make(sizeMb);
    }

    private void refill(int sizeMb) {
        try {
            while (true) {
                synchronized (this) {
                    if (spares.get(sizeMb).size() >= SPARES) {
                        return;
                    }
                }
                Volume made = make(sizeMb);
                synchronized (this) {
                    spares.get(sizeMb).addLast(made);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sandbox: could not make a spare /tmp volume: {}", e.getMessage());
        }
    }

    /**
     * Makes and mounts a volume. The image is a little larger than asked for: ext4's own tables take about 3.6 %, and
     * the function should be able to write its whole EphemeralStorage.
     */
    private Volume make(int sizeMb) throws IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path image = dir.resolve(id + ".img");
        Path mountPoint = Files.createDirectories(dir.resolve(id));
        long imageMb = sizeMb + sizeMb / 25 + 8;
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(imageMb << 20); // sparse: disk is used only as the function writes
        }
        try {
            Mounts.run("mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-m", "0", "-E", "lazy_itable_init=1,nodiscard",
                    image.toString());
            Mounts.run("mount", "-o", "loop,nosuid,nodev", image.toString(), mountPoint.toString());
            Mounts.run("chmod", "1777", mountPoint.toString()); // as /tmp is; Java's permission sets have no sticky bit
            Files.deleteIfExists(mountPoint.resolve("lost+found"));
            return new Volume(image, mountPoint);
        } catch (IOException | RuntimeException e) {
            remove(new Volume(image, mountPoint));
            throw e;
        }
    }

    private void remove(Volume volume) {
        try {
            if (Mounts.isMounted(volume.mountPoint)) {
                // Lazily: the environment's mount namespace may hold it a moment longer; the loop device and the
                // deleted image are freed once it lets go.
                Mounts.run("umount", "-l", volume.mountPoint.toString());
            }
            Files.deleteIfExists(volume.mountPoint);
            Files.deleteIfExists(volume.image);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sandbox: could not remove the /tmp volume {}: {}", volume.mountPoint, e.getMessage());
        }
    }

    /** Unmounts and deletes what a previous run left (a crash or kill -9 leaves its volumes mounted). */
    private void removeLeftovers() throws IOException {
        for (Path mounted : Mounts.under(dir)) {
            Mounts.run("umount", "-l", mounted.toString());
        }
        Sandbox.deleteTree(dir);
    }

    /** Unmounts and deletes the spares (used volumes are released by their environments before this). */
    @Override
    public void close() {
        List<Volume> left = new ArrayList<>();
        synchronized (this) {
            spares.values().forEach(left::addAll);
            spares.clear();
        }
        background.shutdown();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        left.forEach(this::remove);
        try {
            removeLeftovers();
        } catch (IOException e) {
            LOG.warn("Sandbox: /tmp volumes left under {}: {}", dir, e.getMessage());
        }
    }
}
