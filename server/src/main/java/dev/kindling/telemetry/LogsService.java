package dev.kindling.telemetry;

import dev.kindling.store.LogGroupRecord;
import dev.kindling.store.LogGroupRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The CloudWatch Logs API's logic over {@link LogGroups}: groups and their retention, streams, reading events back
 * (by stream, or filtered across streams) and writing them (PutLogEvents). Arguments arrive checked against the
 * service model's constraints (the api component's job); the rules here are the ones that need the data: what
 * exists, what is too old or too new, where a page ends. A request that fails changes nothing.
 */
public final class LogsService {
    /** The retention values AWS accepts, in days. */
    public static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    /** What one page of events may hold: AWS's 1 MB of messages. */
    private static final int PAGE_BYTES = 1 << 20;
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 24 * HOUR_MILLIS;
    /** PutLogEvents: a batch of at most 1 MB, counting 26 bytes per event, spanning at most a day. */
    public static final int MAX_BATCH_BYTES = 1_048_576;
    public static final int EVENT_OVERHEAD_BYTES = 26;

    private final LogGroups groups;
    private final LogGroupRepository repository;
    private final Clock clock;
    private final String region;
    private final String accountId;

    public LogsService(LogGroups groups, Clock clock, String region, String accountId) {
        this.groups = groups;
        this.repository = groups.repository();
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
    }

    public record GroupInfo(String name, long creationTime, OptionalInt retentionDays, long storedBytes, String arn) {}

    public record StreamInfo(String name, long creationTime, OptionalLong firstEventTimestamp,
            OptionalLong lastEventTimestamp, OptionalLong lastIngestionTime, long storedBytes, String arn) {}

    public record Page<T>(List<T> items, Optional<String> nextToken) {}

    public record StreamEvents(List<LogEvent> events, String nextForwardToken, String nextBackwardToken) {}

    public record FilteredEvent(String streamName, LogEvent event, String eventId) {}

    /** What PutLogEvents refused, as indexes into the batch (AWS's RejectedLogEventsInfo). */
    public record Rejected(OptionalInt tooNewStartIndex, OptionalInt tooOldEndIndex, OptionalInt expiredEndIndex) {
        public boolean any() {
            return tooNewStartIndex.isPresent() || tooOldEndIndex.isPresent() || expiredEndIndex.isPresent();
        }
    }

    public record InputEvent(long timestamp, String message) {}

    public String groupArn(String name) {
        return "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + name;
    }

    public void createLogGroup(String name) {
        if (!repository.insert(new LogGroupRecord(name, clock.instant(), OptionalInt.empty()))) {
            throw new LogsException("ResourceAlreadyExistsException", "The specified log group already exists");
        }
        groups.ensureGroup(name);
    }

    public void deleteLogGroup(String name) {
        if (!repository.delete(name)) {
            throw LogsException.groupNotFound();
        }
        groups.forget(name);
        groups.deleteFiles(name);
    }

    public void putRetentionPolicy(String name, int days) {
        if (!repository.putRetention(name, OptionalInt.of(days))) {
            throw LogsException.groupNotFound();
        }
        group(name).ifPresent(g -> groups.prune(groups.groupDir(name), g.retentionDays()));
    }

    public void deleteRetentionPolicy(String name) {
        if (!repository.putRetention(name, OptionalInt.empty())) {
            throw LogsException.groupNotFound();
        }
    }

    /** Groups in name order, by prefix or by a case-insensitive substring of the name. */
    public Page<GroupInfo> describeLogGroups(Optional<String> prefix, Optional<String> pattern,
            Optional<String> token, int limit) {
        Optional<String> after = token.map(LogsService::decodeToken);
        List<LogGroupRecord> matching = repository.all().stream()
                .filter(g -> prefix.map(g.name()::startsWith).orElse(true))
                .filter(g -> pattern.map(p -> g.name().toLowerCase().contains(p.toLowerCase())).orElse(true))
                .filter(g -> after.map(a -> g.name().compareTo(a) > 0).orElse(true))
                .toList();
        List<GroupInfo> page = matching.stream().limit(limit).map(this::info).toList();
        Optional<String> next = matching.size() > limit ? Optional.of(encodeToken(page.getLast().name()))
                : Optional.empty();
        return new Page<>(page, next);
    }

    private GroupInfo info(LogGroupRecord g) {
        long bytes = groups.streams(g.name()).stream().mapToLong(StreamFiles::storedBytes).sum();
        return new GroupInfo(g.name(), g.created().toEpochMilli(), g.retentionDays(), bytes, groupArn(g.name()));
    }

    public void createLogStream(String group, String stream) {
        requireGroup(group);
        if (groups.stream(group, stream).isPresent()) {
            throw new LogsException("ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        StreamFiles.create(groups.groupDir(group), stream).newSegment(clock.millis());
    }

    public void deleteLogStream(String group, String stream) {
        requireGroup(group);
        groups.stream(group, stream).orElseThrow(LogsException::streamNotFound).delete();
    }

    /**
     * @param byLastEventTime order by the newest event's time instead of by name
     */
    public Page<StreamInfo> describeLogStreams(String group, Optional<String> prefix, boolean byLastEventTime,
            boolean descending, Optional<String> token, int limit) {
        requireGroup(group);
        Comparator<StreamInfo> order = byLastEventTime
                ? Comparator.<StreamInfo>comparingLong(s -> s.lastEventTimestamp().orElse(s.creationTime()))
                        .thenComparing(StreamInfo::name)
                : Comparator.comparing(StreamInfo::name);
        if (descending) {
            order = order.reversed();
        }
        List<StreamInfo> all = groups.streams(group).stream()
                .filter(s -> prefix.map(s.name()::startsWith).orElse(true))
                .map(s -> streamInfo(group, s)).sorted(order).toList();
        int from = token.map(t -> parseIndex(decodeToken(t))).orElse(0);
        List<StreamInfo> page = all.stream().skip(from).limit(limit).toList();
        Optional<String> next = from + limit < all.size() ? Optional.of(encodeToken(Integer.toString(from + limit)))
                : Optional.empty();
        return new Page<>(page, next);
    }

    private StreamInfo streamInfo(String group, StreamFiles s) {
        String name = s.name();
        Optional<LogEvent> last = s.lastEvent();
        OptionalLong first = OptionalLong.empty();
        if (last.isPresent()) {
            List<java.nio.file.Path> segments = s.segments();
            first = segments.isEmpty() ? OptionalLong.empty() : firstTimestamp(segments.getFirst());
        }
        return new StreamInfo(name, s.creationTime(), first,
                last.map(e -> OptionalLong.of(e.timestamp())).orElse(OptionalLong.empty()),
                last.map(e -> OptionalLong.of(e.ingestionTime())).orElse(OptionalLong.empty()), s.storedBytes(),
                groupArn(group) + ":log-stream:" + name);
    }

    private static OptionalLong firstTimestamp(java.nio.file.Path segment) {
        try (var reader = java.nio.file.Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            return line == null ? OptionalLong.empty()
                    : EventLines.decode(line, new LogEvent.EventPosition(0, 0))
                            .map(e -> OptionalLong.of(e.timestamp())).orElse(OptionalLong.empty());
        } catch (java.io.IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * One stream's events in [startTime, endTime), oldest first: the first page from the head, or the last page
     * from the tail, then pages forward ({@code f/} tokens) or backward ({@code b/}).
     */
    public StreamEvents getLogEvents(String group, String stream, OptionalLong startTime, OptionalLong endTime,
            Optional<String> token, int limit, boolean startFromHead) {
        LogGroupRecord record = requireGroup(group);
        StreamFiles files = groups.stream(group, stream).orElseThrow(LogsException::streamNotFound);
        long cutoff = groups.retentionCutoff(record.retentionDays(), clock.millis()).orElse(Long.MIN_VALUE);
        List<LogEvent> all = files.events().stream()
                .filter(e -> e.timestamp() >= cutoff)
                .filter(e -> startTime.isEmpty() || e.timestamp() >= startTime.getAsLong())
                .filter(e -> endTime.isEmpty() || e.timestamp() < endTime.getAsLong())
                .toList();
        boolean forward;
        int from;
        int to;
        if (token.isPresent()) {
            String t = token.get();
            if (!(t.startsWith("f/") || t.startsWith("b/"))) {
                throw invalidToken();
            }
            LogEvent.EventPosition at = parsePosition(t.substring(2));
            int index = firstAtOrAfter(all, at);
            forward = t.startsWith("f/");
            if (forward) {
                from = index;
                to = limitForward(all, from, limit);
            } else {
                to = index;
                from = limitBackward(all, to, limit);
            }
        } else if (startFromHead) {
            forward = true;
            from = 0;
            to = limitForward(all, 0, limit);
        } else {
            forward = false;
            to = all.size();
            from = limitBackward(all, to, limit);
        }
        List<LogEvent> page = all.subList(from, to);
        String fwd = "f/" + (to < all.size() ? positionToken(all.get(to).position())
                : page.isEmpty() ? token.filter(t -> t.startsWith("f/")).map(t -> t.substring(2))
                        .orElse(endToken(all)) : afterToken(page.getLast().position()));
        String back = "b/" + (from < all.size() ? positionToken(all.get(from).position()) : endToken(all));
        if (page.isEmpty() && !forward && token.isPresent()) {
            back = token.get(); // the head was reached: the same token again ends a client's paging
        }
        return new StreamEvents(page, fwd, back);
    }

    private static int limitForward(List<LogEvent> events, int from, int limit) {
        int to = from;
        long bytes = 0;
        while (to < events.size() && to - from < limit) {
            bytes += size(events.get(to));
            if (bytes > PAGE_BYTES && to > from) {
                break;
            }
            to++;
        }
        return to;
    }

    private static int limitBackward(List<LogEvent> events, int to, int limit) {
        int from = to;
        long bytes = 0;
        while (from > 0 && to - from < limit) {
            bytes += size(events.get(from - 1));
            if (bytes > PAGE_BYTES && from < to) {
                break;
            }
            from--;
        }
        return from;
    }

    private static int size(LogEvent e) {
        return e.message().length() + EVENT_OVERHEAD_BYTES;
    }

    private static int firstAtOrAfter(List<LogEvent> events, LogEvent.EventPosition at) {
        int index = 0;
        while (index < events.size() && events.get(index).position().compareTo(at) < 0) {
            index++;
        }
        return index;
    }

    private static String positionToken(LogEvent.EventPosition p) {
        return p.segment() + "-" + p.offset();
    }

    /** A position just after {@code p}: the next event, whenever it comes. */
    private static String afterToken(LogEvent.EventPosition p) {
        return p.segment() + "-" + (p.offset() + 1);
    }

    private static String endToken(List<LogEvent> all) {
        return all.isEmpty() ? "0-0" : afterToken(all.getLast().position());
    }

    private static LogEvent.EventPosition parsePosition(String text) {
        int dash = text.indexOf('-');
        try {
            return new LogEvent.EventPosition(Long.parseLong(text.substring(0, dash)),
                    Long.parseLong(text.substring(dash + 1)));
        } catch (RuntimeException e) {
            throw invalidToken();
        }
    }

    /**
     * Events of the group's streams (all, those named, or those with the prefix) in [startTime, endTime] that match
     * the pattern, interleaved by time; a page ends at {@code limit} events or 1 MB, and its token says where the
     * next one starts.
     */
    public Page<FilteredEvent> filterLogEvents(String group, Optional<List<String>> streamNames,
            Optional<String> streamPrefix, OptionalLong startTime, OptionalLong endTime, FilterPattern pattern,
            Optional<String> token, int limit) {
        LogGroupRecord record = requireGroup(group);
        long cutoff = groups.retentionCutoff(record.retentionDays(), clock.millis()).orElse(Long.MIN_VALUE);
        long from = Math.max(cutoff, startTime.orElse(Long.MIN_VALUE));
        long to = endTime.orElse(Long.MAX_VALUE);
        Optional<FilterKey> after = token.map(t -> FilterKey.parse(decodeToken(t)));
        List<FilteredEvent> matching = new ArrayList<>();
        for (StreamFiles stream : groups.streams(group)) {
            String name = stream.name();
            if (streamNames.isPresent() && !streamNames.get().contains(name)
                    || streamPrefix.isPresent() && !name.startsWith(streamPrefix.get())) {
                continue;
            }
            for (LogEvent e : stream.events()) {
                if (e.timestamp() >= from && e.timestamp() <= to && pattern.matches(e.message())) {
                    FilteredEvent found = new FilteredEvent(name, e, eventId(name, e));
                    if (after.isEmpty() || FilterKey.of(found).compareTo(after.get()) > 0) {
                        matching.add(found);
                    }
                }
            }
        }
        matching.sort(Comparator.comparing(FilterKey::of));
        List<FilteredEvent> page = new ArrayList<>();
        long bytes = 0;
        for (FilteredEvent e : matching) {
            bytes += size(e.event());
            if (page.size() == limit || (bytes > PAGE_BYTES && !page.isEmpty())) {
                break;
            }
            page.add(e);
        }
        Optional<String> next = page.size() < matching.size()
                ? Optional.of(encodeToken(FilterKey.of(page.getLast()).toString())) : Optional.empty();
        return new Page<>(page, next);
    }

    /** Orders filtered events: by time, then stream, then place in the stream. */
    private record FilterKey(long timestamp, String stream, LogEvent.EventPosition position)
            implements Comparable<FilterKey> {
        static FilterKey of(FilteredEvent e) {
            return new FilterKey(e.event().timestamp(), e.streamName(), e.event().position());
        }

        static FilterKey parse(String text) {
            String[] parts = text.split("\n", 3);
            if (parts.length != 3) {
                throw invalidToken();
            }
            try {
                return new FilterKey(Long.parseLong(parts[0]), parts[2], parsePosition(parts[1]));
            } catch (NumberFormatException e) {
                throw invalidToken();
            }
        }

        @Override
        public int compareTo(FilterKey o) {
            int c = Long.compare(timestamp, o.timestamp);
            if (c == 0) {
                c = stream.compareTo(o.stream);
            }
            return c != 0 ? c : position.compareTo(o.position);
        }

        @Override
        public String toString() {
            return timestamp + "\n" + positionToken(position) + "\n" + stream;
        }
    }

    /** A stable id for an event, digits only as AWS's are: the same event has the same id in every answer. */
    private static String eventId(String stream, LogEvent e) {
        return String.format("%d%d%d%010d", e.timestamp(), e.position().segment(), e.position().offset(),
                Integer.toUnsignedLong(stream.hashCode()));
    }

    /** Begins a Live Tail session over groups that all exist; events already stored are not shown. */
    public LiveTail startLiveTail(LiveTail.Query query) {
        query.groupNames().forEach(this::requireGroup);
        return new LiveTail(groups, query);
    }

    /**
     * Appends a batch to a stream, as AWS does: events more than 2 hours in the future, more than 14 days old, or
     * older than the group's retention are refused (and reported by index); the rest are stored together.
     *
     * @param events in chronological order, spanning at most a day (checked by the caller)
     */
    public Rejected putLogEvents(String group, String stream, List<InputEvent> events) {
        LogGroupRecord record = requireGroup(group);
        StreamFiles files = groups.stream(group, stream).orElseThrow(LogsException::streamNotFound);
        long now = clock.millis();
        long tooOldBefore = now - 14 * DAY_MILLIS;
        long expiredBefore = groups.retentionCutoff(record.retentionDays(), now).orElse(Long.MIN_VALUE);
        long tooNewAfter = now + 2 * HOUR_MILLIS;
        int tooOldEnd = -1;
        int expiredEnd = -1;
        int tooNewStart = events.size();
        for (int i = 0; i < events.size(); i++) {
            long t = events.get(i).timestamp();
            if (t < expiredBefore) {
                expiredEnd = i;
            }
            if (t < tooOldBefore) {
                tooOldEnd = i;
            }
            if (t > tooNewAfter && i < tooNewStart) {
                tooNewStart = i;
            }
        }
        int first = Math.max(tooOldEnd, expiredEnd) + 1;
        List<byte[]> accepted = new ArrayList<>();
        for (int i = first; i < tooNewStart; i++) {
            accepted.add(EventLines.encode(events.get(i).timestamp(), now, events.get(i).message()));
        }
        if (!accepted.isEmpty()) {
            groups.appendTo(files, accepted);
        }
        return new Rejected(tooNewStart < events.size() ? OptionalInt.of(tooNewStart) : OptionalInt.empty(),
                tooOldEnd >= 0 ? OptionalInt.of(tooOldEnd) : OptionalInt.empty(),
                expiredEnd >= 0 ? OptionalInt.of(expiredEnd) : OptionalInt.empty());
    }

    private Optional<LogGroupRecord> group(String name) {
        return repository.find(name);
    }

    private LogGroupRecord requireGroup(String name) {
        return group(name).orElseThrow(LogsException::groupNotFound);
    }

    private static LogsException invalidToken() {
        return LogsException.invalidParameter("The specified nextToken is invalid.");
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalidToken();
        }
    }

    private static String encodeToken(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
    }
}
