package dev.kindling.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
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
    private final Set<Path> open = ConcurrentHashMap.newKeySet();

    public LogGroups(Path dir, long maxGroupBytes) {
        this.dir = dir;
        this.maxGroupBytes = maxGroupBytes;
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
        if (!Files.isDirectory(groupDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(groupDir)) {
            List<Path> oldestFirst = files.sorted(Comparator.comparingLong(LogGroups::modified)).toList();
            long total = oldestFirst.stream().mapToLong(LogGroups::size).sum();
            for (Path file : oldestFirst) {
                if (total <= maxGroupBytes) {
                    return;
                }
                if (!open.contains(file)) {
                    total -= size(file);
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long modified(Path file) {
        return file.toFile().lastModified();
    }

    private static long size(Path file) {
        return file.toFile().length();
    }
}
