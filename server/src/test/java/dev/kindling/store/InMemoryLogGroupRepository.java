package dev.kindling.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentSkipListMap;

/** Log groups in memory, for unit tests of components that open log streams without a database. */
public final class InMemoryLogGroupRepository implements LogGroupRepository {
    private final ConcurrentSkipListMap<String, LogGroupRecord> groups = new ConcurrentSkipListMap<>();

    @Override
    public List<LogGroupRecord> all() {
        return List.copyOf(groups.values());
    }

    @Override
    public Optional<LogGroupRecord> find(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    @Override
    public boolean insert(LogGroupRecord group) {
        return groups.putIfAbsent(group.name(), group) == null;
    }

    @Override
    public boolean putRetention(String name, OptionalInt retentionDays) {
        return groups.computeIfPresent(name, (n, g) -> new LogGroupRecord(n, g.created(), retentionDays)) != null;
    }

    @Override
    public boolean delete(String name) {
        return groups.remove(name) != null;
    }
}
