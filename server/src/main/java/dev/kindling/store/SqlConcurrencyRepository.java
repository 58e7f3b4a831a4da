package dev.kindling.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ConcurrencyRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlConcurrencyRepository implements ConcurrencyRepository {
    private final Database db;

    public SqlConcurrencyRepository(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, Integer> allReserved() {
        return db.withConnection(c -> {
            Map<String, Integer> all = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT function_name, reserved FROM function_concurrency");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.put(rs.getString(1), rs.getInt(2));
                }
            }
            return all;
        });
    }

    @Override
    public Optional<Integer> reserved(String functionName) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT reserved FROM function_concurrency WHERE function_name = ?")) {
                s.setString(1, functionName);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean putReserved(String functionName, int reserved) {
        return db.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE function_concurrency SET reserved = ? WHERE function_name = ?")) {
                update.setInt(1, reserved);
                update.setString(2, functionName);
                if (update.executeUpdate() > 0) {
                    return true;
                }
            }
            // Inserted only while the function exists: a function deleted meanwhile gets no orphan setting.
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO function_concurrency (function_name,"
                    + " reserved) SELECT name, ? FROM functions WHERE name = ?")) {
                insert.setInt(1, reserved);
                insert.setString(2, functionName);
                return insert.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void deleteReserved(String functionName) {
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM function_concurrency WHERE function_name = ?")) {
                s.setString(1, functionName);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public List<ProvisionedConcurrencyRecord> allProvisioned() {
        return db.withConnection(c -> {
            List<ProvisionedConcurrencyRecord> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT function_name, qualifier, requested,"
                    + " last_modified_ms FROM provisioned_concurrency ORDER BY function_name, qualifier");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.add(new ProvisionedConcurrencyRecord(rs.getString(1), rs.getString(2), rs.getInt(3),
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return all;
        });
    }

    @Override
    public boolean putProvisioned(ProvisionedConcurrencyRecord config) {
        return db.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE provisioned_concurrency SET requested = ?,"
                    + " last_modified_ms = ? WHERE function_name = ? AND qualifier = ?")) {
                update.setInt(1, config.requested());
                update.setLong(2, config.lastModified().toEpochMilli());
                update.setString(3, config.functionName());
                update.setString(4, config.qualifier());
                if (update.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO provisioned_concurrency (function_name,"
                    + " qualifier, requested, last_modified_ms) SELECT name, ?, ?, ? FROM functions WHERE name = ?")) {
                insert.setString(1, config.qualifier());
                insert.setInt(2, config.requested());
                insert.setLong(3, config.lastModified().toEpochMilli());
                insert.setString(4, config.functionName());
                return insert.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void deleteProvisioned(String functionName, String qualifier) {
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?")) {
                s.setString(1, functionName);
                s.setString(2, qualifier);
                return s.executeUpdate();
            }
        });
    }
}
