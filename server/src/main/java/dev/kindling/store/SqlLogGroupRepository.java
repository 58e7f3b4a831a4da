package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@link LogGroupRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlLogGroupRepository implements LogGroupRepository {
    private static final String COLUMNS = "SELECT name, created_ms, retention_days FROM log_groups";
    private final Database db;

    public SqlLogGroupRepository(Database db) {
        this.db = db;
    }

    @Override
    public List<LogGroupRecord> all() {
        return db.withConnection(c -> {
            List<LogGroupRecord> groups = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(COLUMNS + " ORDER BY name"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    groups.add(read(rs));
                }
            }
            return groups;
        });
    }

    @Override
    public Optional<LogGroupRecord> find(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(COLUMNS + " WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean insert(LogGroupRecord group) {
        return db.inTransaction(c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM log_groups WHERE name = ?")) {
                exists.setString(1, group.name());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO log_groups (name, created_ms, retention_days) VALUES (?, ?, ?)")) {
                s.setString(1, group.name());
                s.setLong(2, group.created().toEpochMilli());
                setRetention(s, 3, group.retentionDays());
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean putRetention(String name, OptionalInt retentionDays) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE log_groups SET retention_days = ? WHERE name = ?")) {
                setRetention(s, 1, retentionDays);
                s.setString(2, name);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM log_groups WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() > 0;
            }
        });
    }

    private static void setRetention(PreparedStatement s, int index, OptionalInt days) throws SQLException {
        if (days.isPresent()) {
            s.setInt(index, days.getAsInt());
        } else {
            s.setNull(index, Types.INTEGER);
        }
    }

    private static LogGroupRecord read(ResultSet rs) throws SQLException {
        int days = rs.getInt(3);
        OptionalInt retention = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(days);
        return new LogGroupRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), retention);
    }
}
