package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link EventSourceMappingRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlEventSourceMappingRepository implements EventSourceMappingRepository {
    private static final String COLUMNS = "uuid, function_arn, event_source_arn, batch_size, batching_window_s,"
            + " enabled, state, state_transition_reason, filter_patterns, report_batch_item_failures,"
            + " maximum_concurrency, last_modified_ms";

    private final Database db;

    public SqlEventSourceMappingRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<EventSourceMappingRecord> find(String uuid) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM event_source_mappings WHERE uuid = ?")) {
                s.setString(1, uuid);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<EventSourceMappingRecord> list() {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM event_source_mappings ORDER BY last_modified_ms, uuid")) {
                List<EventSourceMappingRecord> mappings = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        mappings.add(read(rs));
                    }
                }
                return mappings;
            }
        });
    }

    @Override
    public void put(EventSourceMappingRecord m) {
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM event_source_mappings WHERE uuid = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO event_source_mappings (" + COLUMNS
                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                delete.setString(1, m.uuid());
                delete.executeUpdate();
                insert.setString(1, m.uuid());
                insert.setString(2, m.functionArn());
                insert.setString(3, m.eventSourceArn());
                insert.setInt(4, m.batching().size());
                insert.setInt(5, m.batching().windowSeconds());
                insert.setBoolean(6, m.enabled());
                insert.setString(7, m.state());
                insert.setString(8, m.stateTransitionReason());
                insert.setString(9, JsonColumns.toJson(m.filterPatterns()));
                insert.setBoolean(10, m.reportBatchItemFailures());
                if (m.maximumConcurrency().isPresent()) {
                    insert.setInt(11, m.maximumConcurrency().get());
                } else {
                    insert.setNull(11, Types.INTEGER);
                }
                insert.setLong(12, m.lastModified().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void setState(String uuid, String state) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE event_source_mappings SET state = ? WHERE uuid = ?")) {
                s.setString(1, state);
                s.setString(2, uuid);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(String uuid) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM event_source_mappings WHERE uuid = ?")) {
                s.setString(1, uuid);
                return s.executeUpdate() == 1;
            }
        });
    }

    private static EventSourceMappingRecord read(ResultSet rs) throws SQLException {
        int maximumConcurrency = rs.getInt(11);
        Optional<Integer> concurrency = rs.wasNull() ? Optional.empty() : Optional.of(maximumConcurrency);
        return new EventSourceMappingRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                new EventSourceMappingRecord.Batching(rs.getInt(4), rs.getInt(5)), rs.getBoolean(6), rs.getString(7),
                rs.getString(8), JsonColumns.fromJson(rs.getString(9), new TypeReference<List<String>>() {}),
                rs.getBoolean(10), concurrency, Instant.ofEpochMilli(rs.getLong(12)));
    }
}
