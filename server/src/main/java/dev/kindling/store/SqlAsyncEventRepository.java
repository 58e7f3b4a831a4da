package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** {@link AsyncEventRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlAsyncEventRepository implements AsyncEventRepository {
    private static final String COLUMNS = "request_id, function_name, qualifier, payload, trace_header, attempts,"
            + " received_ms, due_ms";

    private final Database db;

    public SqlAsyncEventRepository(Database db) {
        this.db = db;
    }

    @Override
    public void add(List<AsyncEventRecord> events) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO async_events (" + COLUMNS + ", taken)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE)")) {
                for (AsyncEventRecord e : events) {
                    s.setString(1, e.requestId());
                    s.setString(2, e.functionName());
                    s.setString(3, e.qualifier());
                    s.setBytes(4, e.payload());
                    s.setString(5, e.traceHeader().orElse(null));
                    s.setInt(6, e.attempts());
                    s.setLong(7, e.receivedMillis());
                    s.setLong(8, e.dueMillis());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<AsyncEventRecord> takeDue(long nowMillis, int perFunction, int limit, Set<String> skipping) {
        return db.inUnflushedTransaction(c -> {
            List<String> functions = new ArrayList<>();
            // Functions with due events, earliest first; the skipped ones are filtered here (a short list).
            try (PreparedStatement s = c.prepareStatement("SELECT function_name FROM async_events"
                    + " WHERE taken = FALSE AND due_ms <= ? GROUP BY function_name ORDER BY MIN(due_ms)")) {
                s.setLong(1, nowMillis);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next() && functions.size() < limit) {
                        if (!skipping.contains(rs.getString(1))) {
                            functions.add(rs.getString(1));
                        }
                    }
                }
            }
            List<AsyncEventRecord> taken = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM async_events"
                    + " WHERE function_name = ? AND taken = FALSE AND due_ms <= ? ORDER BY due_ms LIMIT ?");
                    PreparedStatement take = c.prepareStatement(
                            "UPDATE async_events SET taken = TRUE WHERE request_id = ?")) {
                for (String function : functions) {
                    s.setString(1, function);
                    s.setLong(2, nowMillis);
                    s.setInt(3, Math.min(perFunction, limit - taken.size()));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            taken.add(new AsyncEventRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                    rs.getBytes(4), Optional.ofNullable(rs.getString(5)), rs.getInt(6), rs.getLong(7),
                                    rs.getLong(8)));
                        }
                    }
                    if (taken.size() >= limit) {
                        break;
                    }
                }
                for (AsyncEventRecord e : taken) {
                    take.setString(1, e.requestId());
                    take.addBatch();
                }
                take.executeBatch();
            }
            return taken;
        });
    }

    @Override
    public void settle(List<String> removals, List<PutBack> putBacks) {
        db.inUnflushedTransaction(c -> {
            try (PreparedStatement remove = c.prepareStatement("DELETE FROM async_events WHERE request_id = ?");
                    PreparedStatement putBack = c.prepareStatement(
                            "UPDATE async_events SET taken = FALSE, attempts = ?, due_ms = ? WHERE request_id = ?")) {
                for (String requestId : removals) {
                    remove.setString(1, requestId);
                    remove.addBatch();
                }
                remove.executeBatch();
                for (PutBack p : putBacks) {
                    putBack.setInt(1, p.attempts());
                    putBack.setLong(2, p.dueMillis());
                    putBack.setString(3, p.requestId());
                    putBack.addBatch();
                }
                putBack.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int releaseAll() {
        return db.inUnflushedTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE async_events SET taken = FALSE WHERE taken = TRUE")) {
                return s.executeUpdate();
            }
        });
    }

    @Override
    public OptionalLong oldestReceivedMillis() {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(received_ms) FROM async_events");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                long oldest = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(oldest);
            }
        });
    }

    @Override
    public long count() {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM async_events");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
