package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ScheduleRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlScheduleRepository implements ScheduleRepository {
    private static final String COLUMNS = "SELECT group_name, name, schedule_expression, timezone, start_ms, end_ms,"
            + " state, definition, created_ms, modified_ms, last_fired_ms FROM schedules";
    private final Database db;

    public SqlScheduleRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<ScheduleRecord> find(ScheduleRecord.Key key) {
        return query(COLUMNS + " WHERE group_name = ? AND name = ?", key.group(), key.name()).stream().findFirst();
    }

    @Override
    public List<ScheduleRecord> list(String group) {
        return query(COLUMNS + " WHERE group_name = ? ORDER BY name", group);
    }

    @Override
    public List<ScheduleRecord> enabled() {
        return query(COLUMNS + " WHERE state = ? ORDER BY group_name, name", "ENABLED");
    }

    @Override
    public boolean insert(ScheduleRecord schedule) {
        return db.inTransaction(c -> {
            try (PreparedStatement exists = c.prepareStatement(
                    "SELECT 1 FROM schedules WHERE group_name = ? AND name = ?")) {
                exists.setString(1, schedule.key().group());
                exists.setString(2, schedule.key().name());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO schedules (schedule_expression, timezone,"
                    + " start_ms, end_ms, state, definition, created_ms, modified_ms, last_fired_ms, group_name, name)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(s, schedule);
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean replace(ScheduleRecord schedule) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE schedules SET schedule_expression = ?, timezone = ?,"
                    + " start_ms = ?, end_ms = ?, state = ?, definition = ?, created_ms = ?, modified_ms = ?,"
                    + " last_fired_ms = ? WHERE group_name = ? AND name = ?")) {
                bind(s, schedule);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean delete(ScheduleRecord.Key key) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM schedules WHERE group_name = ? AND name = ?")) {
                s.setString(1, key.group());
                s.setString(2, key.name());
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void recordFired(ScheduleRecord.Key key, Instant occurrence) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE schedules SET last_fired_ms = ? WHERE group_name = ? AND name = ?")) {
                s.setLong(1, occurrence.toEpochMilli());
                s.setString(2, key.group());
                s.setString(3, key.name());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Sets every column in the order INSERT and UPDATE above list them (the key last). */
    private static void bind(PreparedStatement s, ScheduleRecord schedule) throws SQLException {
        ScheduleRecord.Timing timing = schedule.timing();
        s.setString(1, timing.expression());
        s.setString(2, timing.timezone());
        s.setLong(3, timing.start().toEpochMilli());
        setInstant(s, 4, timing.end());
        s.setString(5, schedule.state());
        s.setString(6, schedule.definition());
        s.setLong(7, schedule.created().toEpochMilli());
        s.setLong(8, schedule.modified().toEpochMilli());
        setInstant(s, 9, schedule.lastFired());
        s.setString(10, schedule.key().group());
        s.setString(11, schedule.key().name());
    }

    private static void setInstant(PreparedStatement s, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            s.setLong(index, value.get().toEpochMilli());
        } else {
            s.setNull(index, Types.BIGINT);
        }
    }

    private List<ScheduleRecord> query(String sql, String... parameters) {
        return db.withConnection(c -> {
            List<ScheduleRecord> schedules = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setString(i + 1, parameters[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        schedules.add(read(rs));
                    }
                }
            }
            return schedules;
        });
    }

    private static ScheduleRecord read(ResultSet rs) throws SQLException {
        ScheduleRecord.Key key = new ScheduleRecord.Key(rs.getString(1), rs.getString(2));
        ScheduleRecord.Timing timing = new ScheduleRecord.Timing(rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), optionalInstant(rs, 6));
        return new ScheduleRecord(key, timing, rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)),
                Instant.ofEpochMilli(rs.getLong(10)), optionalInstant(rs, 11));
    }

    private static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }
}
