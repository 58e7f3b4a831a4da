package dev.kindling.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The log groups of all functions, kept under the data directory: {@code logs/<function>/} holds one file per log
 * stream. Both are bounded, so a function's logs keep its recent history and never fill the disk:
 * <ul>
 * <li>a stream's file past {@link Limits#streamBytes} has its content moved to a file of its own beside it, at the
 * next START or within a second, whichever comes first (a function may print without pause);
 * <li>a group past {@link Limits#groupBytes} loses its oldest files that no running environment writes to, when a
 * stream opens (at most once per {@link Limits#pruneInterval}) or a stream was moved aside.
 * </ul>
 */
public final class LogGroups implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogGroups.class);

    /**
     * @param pruneInterval how often at most a group is listed when streams open: a burst of cold starts lists it once
     * @param watchPeriod how often the open streams' sizes are checked
     */
    public record Limits(long groupBytes, long streamBytes, Duration pruneInterval, Duration watchPeriod) {
        /** A function keeps 256 MB of logs, its oldest streams going first; a stream's file is moved aside at 16 MB. */
        public static final Limits FUNCTIONS = new Limits(256L << 20, 16L << 20, Duration.ofSeconds(5),
                Duration.ofSeconds(1));
    }

    private final Path dir;
    private final Limits limits;
    private final Map<Path, LogStream> open = new ConcurrentHashMap<>();
    /** When each group was last pruned (System.nanoTime). */
    private final Map<Path, Long> lastPruned = new ConcurrentHashMap<>();
    private final Thread watcher;

    public LogGroups(Path dir, Limits limits) {
        this.dir = dir;
        this.limits = limits;
        this.watcher = Thread.ofVirtual().name("log-watcher").start(this::watch);
    }

    /**
     * Opens the stream of a new execution environment, named as AWS names it: {@code yyyy/MM/dd/[version]<id>}.
     *
     * @param environmentId 32 hex digits that identify the environment
     */
    public LogStream open(String functionName, String version, String environmentId) {
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        String name = day.replace('-', '/') + "/[" + version + "]" + environmentId;
        Path groupDir = dir.resolve(functionName);
        Path file = groupDir.resolve(day + "-" + version.replace("$", "") + "-" + environmentId + ".log");
        long now = System.nanoTime();
        Long last = lastPruned.get(groupDir);
        if (last == null || now - last >= limits.pruneInterval().toNanos()) {
            prune(groupDir);
        }
        LogStream stream = new LogStream(file, name, limits.streamBytes(), () -> open.remove(file));
        open.put(file, stream);
        return stream;
    }

    /** Moves aside every open stream past its limit, and prunes the groups of those that were. */
    void enforceLimits() {
        for (LogStream stream : open.values()) {
            try {
                if (stream.rollIfFull()) {
                    prune(stream.file().getParent());
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not bound log stream {}: {}", stream.file(), e.toString());
            }
        }
    }

    private void watch() {
        try {
            while (true) {
                Thread.sleep(limits.watchPeriod());
                enforceLimits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void prune(Path groupDir) {
        lastPruned.put(groupDir, System.nanoTime());
        if (!Files.isDirectory(groupDir)) {
            return;
        }
        // Sizes and times are read once: live streams keep growing while the list is sorted.
        List<StreamFile> oldestFirst;
        try (Stream<Path> files = Files.list(groupDir)) {
            oldestFirst = files.map(StreamFile::of).sorted(Comparator.comparingLong(StreamFile::modified)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = oldestFirst.stream().mapToLong(StreamFile::size).sum();
        for (StreamFile file : oldestFirst) {
            if (total <= limits.groupBytes()) {
                return;
            }
            if (!open.containsKey(file.path()) && file.path().toFile().delete()) {
                total -= file.size();
            }
        }
    }

    private record StreamFile(Path path, long modified, long size) {
        static StreamFile of(Path path) {
            return new StreamFile(path, path.toFile().lastModified(), path.toFile().length());
        }
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
