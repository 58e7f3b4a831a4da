package dev.kindling.telemetry;

import dev.kindling.store.LogGroupRecord;
import dev.kindling.store.LogGroupRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every log group's events, kept under the data directory: {@code logs/<group>/<stream>/<segment>.log} (names
 * encoded by {@link StoredNames}), and which groups exist (with their retention) in the database. Groups stay
 * bounded while functions print without pause:
 * <ul>
 * <li>a stream's segment past {@link Limits#segmentBytes} or older than {@link Limits#segmentAge} is closed and a
 * new one begun, at the next START or within {@link Limits#watchPeriod}, whichever comes first;
 * <li>a group loses the segments whose events are all older than its retention, and past {@link Limits#groupBytes}
 * its oldest segments, never one being written; checked when a stream opens or a segment closes (at most once per
 * {@link Limits#pruneInterval} per group), and for every group every {@link Limits#pruneInterval}.
 * </ul>
 * Reads also hide events older than the retention, so retention holds to the millisecond for clients.
 */
public final class LogGroups implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogGroups.class);
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    /**
     * @param segmentAge how long a segment is written before a new one begins, so retention can delete old events
     * @param pruneInterval how often at most a group is pruned when streams open, and how often every group is
     * @param watchPeriod how often the open streams' segments are checked against their limits
     * @param defaultRetentionDays the retention of groups without a retention policy; empty: kept until the size cap
     */
    public record Limits(long groupBytes, long segmentBytes, Duration segmentAge, Duration pruneInterval,
            Duration watchPeriod, OptionalInt defaultRetentionDays) {
        /** A group keeps 256 MB of logs, its oldest segments going first; segments close at 16 MB or an hour. */
        public static final Limits FUNCTIONS = new Limits(256L << 20, 16L << 20, Duration.ofHours(1),
                Duration.ofSeconds(5), Duration.ofSeconds(1), OptionalInt.empty());

        public Limits withGroupBytes(long bytes) {
            return new Limits(bytes, Math.min(segmentBytes, Math.max(1, bytes / 4)), segmentAge, pruneInterval,
                    watchPeriod, defaultRetentionDays);
        }

        public Limits withDefaultRetentionDays(OptionalInt days) {
            return new Limits(groupBytes, segmentBytes, segmentAge, pruneInterval, watchPeriod, days);
        }
    }

    private final Path dir;
    private final Limits limits;
    private final LogGroupRepository repository;
    /** The streams environments write, by directory. */
    private final Map<Path, LogStream> open = new ConcurrentHashMap<>();
    /** Groups known to exist, so an environment's start reads the database only for a group's first stream. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** When each group was last pruned (System.nanoTime). */
    private final Map<Path, Long> lastPruned = new ConcurrentHashMap<>();
    private final Thread watcher;

    public LogGroups(Path dir, Limits limits, LogGroupRepository repository) {
        this.dir = dir;
        this.limits = limits;
        this.repository = repository;
        this.watcher = Thread.ofVirtual().name("log-watcher").start(this::watch);
    }

    public Limits limits() {
        return limits;
    }

    LogGroupRepository repository() {
        return repository;
    }

    /**
     * Opens the stream of a new execution environment in {@code groupName} (made if it does not exist, as Lambda
     * makes a function's group at its first log), named as AWS names it: {@code yyyy/MM/dd/[version]<id>}.
     *
     * @param environmentId 32 hex digits that identify the environment
     */
    public LogStream open(String groupName, String version, String environmentId, PlatformLines platform) {
        ensureGroup(groupName);
        String name = LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[" + version + "]"
                + environmentId;
        Path groupDir = groupDir(groupName);
        pruneIfDue(groupDir, groupName);
        StreamFiles files = StreamFiles.create(groupDir, name);
        LogStream stream = new LogStream(files, name, limits, platform, () -> open.remove(files.dir()), () -> {
            lastPruned.remove(groupDir);
            pruneIfDue(groupDir, groupName);
        });
        open.put(files.dir(), stream);
        return stream;
    }

    /** Makes the group's record if it has none. */
    void ensureGroup(String groupName) {
        if (known.contains(groupName)) {
            return;
        }
        if (repository.find(groupName).isEmpty()) {
            repository.insert(new LogGroupRecord(groupName, Instant.now(), OptionalInt.empty()));
        }
        known.add(groupName);
    }

    /** Forgets that a group exists (it was deleted): the next stream opened in it makes it again. */
    void forget(String groupName) {
        known.remove(groupName);
        lastPruned.remove(groupDir(groupName));
    }

    Path groupDir(String groupName) {
        return dir.resolve(StoredNames.encode(groupName));
    }

    /** The streams of a group on disk, in no order. */
    List<StreamFiles> streams(String groupName) {
        Path groupDir = groupDir(groupName);
        try (Stream<Path> dirs = Files.list(groupDir)) {
            return dirs.filter(Files::isDirectory).map(StreamFiles::new).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<StreamFiles> stream(String groupName, String streamName) {
        Path streamDir = StreamFiles.dirOf(groupDir(groupName), streamName);
        return Files.isDirectory(streamDir) ? Optional.of(new StreamFiles(streamDir)) : Optional.empty();
    }

    /** The writer of a stream: the environment's own while it runs, else one for this batch. */
    void appendTo(StreamFiles stream, List<byte[]> encoded) {
        LogStream running = open.get(stream.dir());
        if (running != null) {
            running.appendAll(encoded);
            return;
        }
        synchronized (this) { // API writers of the same stream, one at a time
            List<Path> segments = stream.segments();
            Path segment = segments.isEmpty() || segments.getLast().toFile().length() > limits.segmentBytes()
                    ? stream.newSegment(System.currentTimeMillis()) : segments.getLast();
            try {
                for (byte[] line : encoded) {
                    Files.write(segment, line, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        pruneIfDue(groupDir(stream.dir().getParent().getFileName().toString()), null);
    }

    /** Deletes a group's files. */
    void deleteFiles(String groupName) {
        for (StreamFiles stream : streams(groupName)) {
            stream.delete();
        }
        groupDir(groupName).toFile().delete();
    }

    /** The retention cut-off of a group: events before it are gone; empty when the group keeps everything. */
    OptionalLong retentionCutoff(OptionalInt retentionDays, long now) {
        OptionalInt days = retentionDays.isPresent() ? retentionDays : limits.defaultRetentionDays();
        return days.isPresent() ? OptionalLong.of(now - days.getAsInt() * DAY_MILLIS) : OptionalLong.empty();
    }

    /** Closes full or old segments of the open streams, and prunes every group when it is due. */
    void enforceLimits() {
        for (LogStream stream : open.values()) {
            try {
                if (stream.rollIfFull()) { // at most once per segment: prune now, a chatty function fills fast
                    Path groupDir = stream.dir().getParent();
                    lastPruned.remove(groupDir);
                    pruneIfDue(groupDir, null);
                }
            } catch (UncheckedIOException e) {
                LOG.warn("could not bound log stream {}: {}", stream.dir(), e.toString());
            }
        }
    }

    /** Prunes every group now. */
    void pruneAll() {
        for (LogGroupRecord group : repository.all()) {
            prune(groupDir(group.name()), group.retentionDays());
        }
    }

    private void watch() {
        long lastSweep = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(limits.watchPeriod());
                enforceLimits();
                if (System.nanoTime() - lastSweep >= limits.pruneInterval().toNanos()) {
                    lastSweep = System.nanoTime();
                    pruneAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("log watcher stopped", e);
        }
    }

    private void pruneIfDue(Path groupDir, String groupName) {
        long now = System.nanoTime();
        Long last = lastPruned.get(groupDir);
        if (last != null && now - last < limits.pruneInterval().toNanos()) {
            return;
        }
        String name = groupName != null ? groupName : StoredNames.decode(groupDir.getFileName().toString());
        OptionalInt retention = repository.find(name).map(LogGroupRecord::retentionDays).orElse(OptionalInt.empty());
        prune(groupDir, retention);
    }

    /** Deletes the segments past the group's retention, then its oldest ones until it fits its size cap. */
    void prune(Path groupDir, OptionalInt retentionDays) {
        lastPruned.put(groupDir, System.nanoTime());
        if (!Files.isDirectory(groupDir)) {
            return;
        }
        Set<Path> live = open.values().stream().map(s -> s.dir().resolve(s.liveSegment() + StreamFiles.SUFFIX))
                .collect(Collectors.toSet());
        // Sizes and times are read once: live segments keep growing while the list is sorted.
        List<Segment> oldestFirst = new ArrayList<>();
        try (Stream<Path> streams = Files.list(groupDir)) {
            for (Path streamDir : streams.filter(Files::isDirectory).toList()) {
                for (Path segment : new StreamFiles(streamDir).segments()) {
                    if (!live.contains(segment)) {
                        oldestFirst.add(Segment.of(segment));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        oldestFirst.sort(Comparator.comparingLong(Segment::modified));
        OptionalLong cutoff = retentionCutoff(retentionDays, System.currentTimeMillis());
        if (cutoff.isPresent()) {
            oldestFirst.removeIf(segment -> segment.expired(cutoff.getAsLong()) && segment.path().toFile().delete());
        }
        long total = oldestFirst.stream().mapToLong(Segment::size).sum();
        for (Path segment : live) {
            if (segment.startsWith(groupDir)) {
                total += segment.toFile().length();
            }
        }
        for (Segment segment : oldestFirst) {
            if (total <= limits.groupBytes()) {
                break;
            }
            if (segment.path().toFile().delete()) {
                total -= segment.size();
            }
        }
        removeEmptyStreams(groupDir);
    }

    private void removeEmptyStreams(Path groupDir) {
        try (Stream<Path> streams = Files.list(groupDir)) {
            for (Path streamDir : streams.filter(Files::isDirectory).toList()) {
                if (!open.containsKey(streamDir) && new StreamFiles(streamDir).segments().isEmpty()) {
                    new StreamFiles(streamDir).delete();
                }
            }
        } catch (IOException e) {
            LOG.debug("could not tidy {}: {}", groupDir, e.toString());
        }
    }

    private record Segment(Path path, long modified, long size) {
        static Segment of(Path path) {
            return new Segment(path, path.toFile().lastModified(), path.toFile().length());
        }

        /** Whether every event is older than the cut-off: written before it, or holding only older events. */
        boolean expired(long cutoff) {
            if (modified < cutoff) {
                return true;
            }
            OptionalLong newest = StreamFiles.lastTimestamp(path);
            return newest.isPresent() && newest.getAsLong() < cutoff;
        }
    }

    /**
     * Every message of a group, stream after stream in name order, one per line: for tools and tests that read what a
     * function logged without the API.
     */
    public static String text(Path logsDir, String groupName) {
        Path groupDir = logsDir.resolve(StoredNames.encode(groupName));
        if (!Files.isDirectory(groupDir)) {
            return "";
        }
        StringBuilder all = new StringBuilder();
        try (Stream<Path> streams = Files.list(groupDir)) {
            for (Path streamDir : streams.filter(Files::isDirectory).sorted().toList()) {
                new StreamFiles(streamDir).events().forEach(e -> all.append(e.message()).append('\n'));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /** Every message of one stream (its directory, {@link LogStream#dir}), one per line: for tools and tests. */
    public static String streamText(Path streamDir) {
        StringBuilder all = new StringBuilder();
        new StreamFiles(streamDir).events().forEach(e -> all.append(e.message()).append('\n'));
        return all.toString();
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
