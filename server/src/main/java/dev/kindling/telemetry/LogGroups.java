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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The log groups of all functions, kept under the data directory: {@code logs/<function>/} holds one file per log
 * stream. A group is bounded: when a new stream opens and the group is over {@code maxGroupBytes}, its oldest files
 * that no running environment writes to are deleted, so the logs of a busy function keep its recent history and
 * never fill the disk.
 */
public final class LogGroups {
    private final Path dir;
    private final long maxGroupBytes;
    private final long pruneIntervalNanos;
    private final Set<Path> open = ConcurrentHashMap.newKeySet();
    /** When each group was last pruned (System.nanoTime). */
    private final Map<Path, Long> lastPruned = new ConcurrentHashMap<>();

    /** @param pruneInterval how often at most a group is looked at: a burst of cold starts lists it once */
    public LogGroups(Path dir, long maxGroupBytes, Duration pruneInterval) {
        this.dir = dir;
        this.maxGroupBytes = maxGroupBytes;
        this.pruneIntervalNanos = pruneInterval.toNanos();
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
        prune(groupDir);
        open.add(file);
        return new LogStream(file, name, () -> open.remove(file));
    }

    private void prune(Path groupDir) {
        long now = System.nanoTime();
        Long last = lastPruned.put(groupDir, now);
        if (last != null && now - last < pruneIntervalNanos || !Files.isDirectory(groupDir)) {
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
            if (total <= maxGroupBytes) {
                return;
            }
            if (!open.contains(file.path()) && file.path().toFile().delete()) {
                total -= file.size();
            }
        }
    }

    private record StreamFile(Path path, long modified, long size) {
        static StreamFile of(Path path) {
            return new StreamFile(path, path.toFile().lastModified(), path.toFile().length());
        }
    }
}
