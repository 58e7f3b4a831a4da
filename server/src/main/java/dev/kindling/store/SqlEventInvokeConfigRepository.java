package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link EventInvokeConfigRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlEventInvokeConfigRepository implements EventInvokeConfigRepository {
    private static final String COLUMNS = "function_name, qualifier, maximum_retry_attempts, maximum_event_age_s,"
            + " on_success, on_failure, last_modified_ms";

    private final Database db;

    public SqlEventInvokeConfigRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<EventInvokeConfigRecord> find(String functionName, String qualifier) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM function_event_invoke_configs WHERE function_name = ? AND qualifier = ?")) {
                s.setString(1, functionName);
                s.setString(2, qualifier);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<EventInvokeConfigRecord> list(String functionName) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM function_event_invoke_configs WHERE function_name = ? ORDER BY qualifier")) {
                s.setString(1, functionName);
                List<EventInvokeConfigRecord> configs = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        configs.add(read(rs));
                    }
                }
                return configs;
            }
        });
    }

    @Override
    public void put(EventInvokeConfigRecord config) {
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM function_event_invoke_configs WHERE function_name = ? AND qualifier = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO function_event_invoke_configs ("
                            + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                delete.setString(1, config.functionName());
                delete.setString(2, config.qualifier());
                delete.executeUpdate();
                insert.setString(1, config.functionName());
                insert.setString(2, config.qualifier());
                setInt(insert, 3, config.maximumRetryAttempts());
                setInt(insert, 4, config.maximumEventAgeSeconds());
                insert.setString(5, config.onSuccess().orElse(null));
                insert.setString(6, config.onFailure().orElse(null));
                insert.setLong(7, config.lastModifiedMillis());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(String functionName, String qualifier) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM function_event_invoke_configs WHERE function_name = ? AND qualifier = ?")) {
                s.setString(1, functionName);
                s.setString(2, qualifier);
                return s.executeUpdate() == 1;
            }
        });
    }

    private static void setInt(PreparedStatement s, int index, Optional<Integer> value) throws SQLException {
        if (value.isPresent()) {
            s.setInt(index, value.get());
        } else {
            s.setNull(index, Types.INTEGER);
        }
    }

    private static EventInvokeConfigRecord read(ResultSet rs) throws SQLException {
        return new EventInvokeConfigRecord(rs.getString(1), rs.getString(2), optionalInt(rs, 3), optionalInt(rs, 4),
                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)), rs.getLong(7));
    }

    private static Optional<Integer> optionalInt(ResultSet rs, int index) throws SQLException {
        int value = rs.getInt(index);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }
}
