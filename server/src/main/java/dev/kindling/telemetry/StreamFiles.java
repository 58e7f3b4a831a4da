package dev.kindling.telemetry;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One log stream on disk: a directory of segment files, each named by the epoch millisecond it began
 * ({@code 1733400000123.log}), holding events as {@link EventLines}. Segments are only appended to; a full one is
 * left as it is and a new one begun, so bounding a group is deleting whole segments, oldest first.
 */
final class StreamFiles {
    static final String SUFFIX = ".log";
    private final Path dir;

    StreamFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The stream's name as clients know it. */
    String name() {
        String encoded = dir.getFileName().toString();
        if (StoredNames.hashed(encoded)) {
            try {
                return Files.readString(dir.resolve(StoredNames.NAME_FILE));
            } catch (IOException e) {
                return encoded;
            }
        }
        return StoredNames.decode(encoded);
    }

    /** Makes the stream's directory, writing its name beside it when the directory's name cannot say it. */
    static StreamFiles create(Path groupDir, String name) {
        String encoded = StoredNames.encode(name);
        Path dir = groupDir.resolve(encoded);
        try {
            Files.createDirectories(dir);
            if (StoredNames.hashed(encoded)) {
                Files.writeString(dir.resolve(StoredNames.NAME_FILE), name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StreamFiles(dir);
    }

    static Path dirOf(Path groupDir, String name) {
        return groupDir.resolve(StoredNames.encode(name));
    }

    /** The segment files, oldest first. */
    List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted((a, b) -> Long.compare(segmentId(a), segmentId(b))).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long segmentId(Path segment) {
        String name = segment.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A new, empty segment begun at {@code nowMillis} (or just after the newest, so names stay in order). */
    Path newSegment(long nowMillis) {
        List<Path> existing = segments();
        long id = existing.isEmpty() ? nowMillis : Math.max(nowMillis, segmentId(existing.getLast()) + 1);
        try {
            Files.createDirectories(dir);
            while (true) {
                Path segment = dir.resolve(id + SUFFIX);
                try {
                    return Files.createFile(segment);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    id++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the stream began: its oldest segment's start (its directory's time once every segment is gone). */
    long creationTime() {
        List<Path> segments = segments();
        return segments.isEmpty() ? dir.toFile().lastModified() : segmentId(segments.getFirst());
    }

    long storedBytes() {
        return segments().stream().mapToLong(p -> p.toFile().length()).sum();
    }

    /** Every complete event in storage order. */
    List<LogEvent> events() {
        List<LogEvent> events = new ArrayList<>();
        for (Path segment : segments()) {
            readSegment(segment, events);
        }
        return events;
    }

    /**
     * The complete events stored after {@code after}, in storage order: only the segments from {@code after}'s on
     * are read, that one from {@code after}'s offset, so following a stream costs what it grew by.
     */
    List<LogEvent> eventsAfter(LogEvent.EventPosition after) {
        List<LogEvent> events = new ArrayList<>();
        for (Path segment : segments()) {
            long id = segmentId(segment);
            if (id > after.segment()) {
                readSegment(segment, events);
            } else if (id == after.segment()) {
                List<LogEvent> rest = new ArrayList<>();
                readSegment(segment, after.offset(), rest);
                rest.stream().filter(e -> e.position().compareTo(after) > 0).forEach(events::add);
            }
        }
        return events;
    }

    private static void readSegment(Path segment, List<LogEvent> into) {
        readSegment(segment, 0, into);
    }

    /** Reads the complete events of a segment from byte {@code from} on (a line still being written is left). */
    private static void readSegment(Path segment, long from, List<LogEvent> into) {
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "r")) {
            long length = file.length();
            if (from >= length) {
                return;
            }
            bytes = new byte[Math.toIntExact(length - from)];
            file.seek(from);
            file.readFully(bytes);
        } catch (java.io.FileNotFoundException e) {
            return; // removed by retention or the size cap while the stream was read
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long id = segmentId(segment);
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
                EventLines.decode(line, new LogEvent.EventPosition(id, from + lineStart)).ifPresent(into::add);
                lineStart = i + 1;
            }
        }
    }

    /** The newest event's time and ingestion time, read from the end of the newest non-empty segment. */
    Optional<LogEvent> lastEvent() {
        List<Path> segments = segments();
        for (int i = segments.size() - 1; i >= 0; i--) {
            Optional<LogEvent> last = lastEventOf(segments.get(i));
            if (last.isPresent()) {
                return last;
            }
        }
        return Optional.empty();
    }

    /** The newest event time of one segment, empty when it has none. */
    static OptionalLong lastTimestamp(Path segment) {
        return lastEventOf(segment).map(e -> OptionalLong.of(e.timestamp())).orElse(OptionalLong.empty());
    }

    private static Optional<LogEvent> lastEventOf(Path segment) {
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "r")) {
            long length = file.length();
            int window = (int) Math.min(length, 64 * 1024);
            while (window > 0) {
                byte[] tail = new byte[window];
                file.seek(length - window);
                file.readFully(tail);
                int end = tail.length - 1;
                while (end >= 0 && tail[end] != '\n') {
                    end--; // skip a line still being written
                }
                if (end < 0) {
                    return Optional.empty();
                }
                int start = end - 1;
                while (start >= 0 && tail[start] != '\n') {
                    start--;
                }
                if (start >= 0 || window == length) {
                    String line = new String(tail, start + 1, end - start - 1, StandardCharsets.UTF_8);
                    return EventLines.decode(line, new LogEvent.EventPosition(segmentId(segment),
                            length - window + start + 1));
                }
                if (window == length) {
                    return Optional.empty();
                }
                window = (int) Math.min(length, (long) window * 4); // a line longer than the window
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes the stream's directory and everything in it. */
    void delete() {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // gone already
        }
        dir.toFile().delete();
    }
}
