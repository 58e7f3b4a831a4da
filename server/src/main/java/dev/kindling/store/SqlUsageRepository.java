package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@link UsageRepository} in plain SQL that both SQLite (3.24 and later) and PostgreSQL understand: an upsert with
 * {@code ON CONFLICT ... DO UPDATE}, executed as one JDBC batch per flush.
 */
public final class SqlUsageRepository implements UsageRepository {
    private static final String ADD = "INSERT INTO usage_hourly (hour_start_ms, function_name, version, architecture,"
            + " memory_mb, capacity, requests, billed_mb_ms, configured_mb_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (hour_start_ms, function_name, version, architecture, memory_mb, capacity) DO UPDATE SET"
            + " requests = usage_hourly.requests + excluded.requests,"
            + " billed_mb_ms = usage_hourly.billed_mb_ms + excluded.billed_mb_ms,"
            + " configured_mb_ms = usage_hourly.configured_mb_ms + excluded.configured_mb_ms";
    private static final String BETWEEN = "SELECT hour_start_ms, function_name, version, architecture, memory_mb,"
            + " capacity, requests, billed_mb_ms, configured_mb_ms FROM usage_hourly"
            + " WHERE hour_start_ms >= ? AND hour_start_ms < ?"
            + " ORDER BY hour_start_ms, function_name, version, architecture, memory_mb, capacity";

    private final Database db;

    public SqlUsageRepository(Database db) {
        this.db = db;
    }

    @Override
    public void add(Collection<UsageRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(ADD)) {
                for (UsageRecord record : batch) {
                    UsageRecord.Key key = record.key();
                    UsageRecord.Amounts amounts = record.amounts();
                    s.setLong(1, key.hour().toEpochMilli());
                    s.setString(2, key.functionName());
                    s.setString(3, key.version());
                    s.setString(4, key.architecture());
                    s.setInt(5, key.memoryMb());
                    s.setString(6, key.capacity().name());
                    s.setLong(7, amounts.requests());
                    s.setLong(8, amounts.billedMbMs());
                    s.setLong(9, amounts.configuredMbMs());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<UsageRecord> between(Instant from, Instant to) {
        return db.withConnection(c -> {
            List<UsageRecord> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(BETWEEN)) {
                s.setLong(1, from.toEpochMilli());
                s.setLong(2, to.toEpochMilli());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new UsageRecord(
                                new UsageRecord.Key(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2),
                                        rs.getString(3), rs.getString(4), rs.getInt(5),
                                        Capacity.valueOf(rs.getString(6))),
                                new UsageRecord.Amounts(rs.getLong(7), rs.getLong(8), rs.getLong(9))));
                    }
                }
            }
            return rows;
        });
    }
}
