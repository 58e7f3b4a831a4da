package dev.kindling.telemetry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Live Tail session (StartLiveTail): the events written to some log groups after the session began, handed out
 * as they come ({@link #poll}, once a second). Each stream is followed from where the previous poll left it, so a
 * poll reads only what the streams grew by; a stream that appears during the session is followed from its start.
 */
public final class LiveTail {
    /** AWS's most events in one update; past it, the update is a sample. */
    public static final int MAX_EVENTS_PER_UPDATE = 500;
    private static final LogEvent.EventPosition BEFORE_ANY_EVENT = new LogEvent.EventPosition(Long.MIN_VALUE, -1);

    /**
     * What a session shows.
     *
     * @param streamNames only these streams (empty: no such restriction)
     * @param streamPrefixes only streams whose names start with one of these (empty: no such restriction)
     */
    public record Query(List<String> groupNames, List<String> streamNames, List<String> streamPrefixes,
            FilterPattern pattern) {
        boolean selects(String streamName) {
            return (streamNames.isEmpty() || streamNames.contains(streamName))
                    && (streamPrefixes.isEmpty() || streamPrefixes.stream().anyMatch(streamName::startsWith));
        }
    }

    public record TailedEvent(String groupName, String streamName, LogEvent event) {}

    /** @param sampled whether more events matched than the update holds */
    public record Update(List<TailedEvent> events, boolean sampled) {}

    private final LogGroups groups;
    private final Query query;
    /** Per stream directory: the last event handed out, or already there when the session began. */
    private final Map<Path, LogEvent.EventPosition> followed = new HashMap<>();

    LiveTail(LogGroups groups, Query query) {
        this.groups = groups;
        this.query = query;
        for (String group : query.groupNames()) {
            for (StreamFiles stream : groups.streams(group)) {
                stream.lastEvent().ifPresent(last -> followed.put(stream.dir(), last.position()));
            }
        }
    }

    public Query query() {
        return query;
    }

    /** The matching events written since the previous poll, oldest first; at most {@link #MAX_EVENTS_PER_UPDATE}. */
    public Update poll() {
        List<TailedEvent> found = new ArrayList<>();
        for (String group : query.groupNames()) {
            for (StreamFiles stream : groups.streams(group)) {
                String name = stream.name();
                if (!query.selects(name)) {
                    continue;
                }
                List<LogEvent> events = stream.eventsAfter(followed.getOrDefault(stream.dir(), BEFORE_ANY_EVENT));
                if (events.isEmpty()) {
                    continue;
                }
                followed.put(stream.dir(), events.getLast().position());
                for (LogEvent e : events) {
                    if (query.pattern().matches(e.message())) {
                        found.add(new TailedEvent(group, name, e));
                    }
                }
            }
        }
        found.sort(Comparator.comparingLong(e -> e.event().timestamp()));
        if (found.size() <= MAX_EVENTS_PER_UPDATE) {
            return new Update(found, false);
        }
        List<TailedEvent> sample = new ArrayList<>(MAX_EVENTS_PER_UPDATE);
        for (int i = 0; i < MAX_EVENTS_PER_UPDATE; i++) { // evenly spread over the second
            sample.add(found.get((int) ((long) i * found.size() / MAX_EVENTS_PER_UPDATE)));
        }
        return new Update(sample, true);
    }
}
