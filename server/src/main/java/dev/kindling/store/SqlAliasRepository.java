package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AliasRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlAliasRepository implements AliasRepository {
    private static final String COLUMNS = "function_name, alias_name, function_version, description, routing_json,"
            + " revision_id";

    private final Database db;

    public SqlAliasRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<AliasRecord> find(String functionName, String aliasName) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM function_aliases WHERE function_name = ? AND alias_name = ?")) {
                s.setString(1, functionName);
                s.setString(2, aliasName);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<AliasRecord> list(String functionName) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM function_aliases WHERE function_name = ? ORDER BY alias_name")) {
                s.setString(1, functionName);
                List<AliasRecord> aliases = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        aliases.add(read(rs));
                    }
                }
                return aliases;
            }
        });
    }

    @Override
    public boolean insert(AliasRecord alias) {
        return db.inTransaction(c -> {
            try (PreparedStatement exists = c.prepareStatement(
                    "SELECT 1 FROM function_aliases WHERE function_name = ? AND alias_name = ?")) {
                exists.setString(1, alias.functionName());
                exists.setString(2, alias.name());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO function_aliases (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, alias.functionName());
                s.setString(2, alias.name());
                s.setString(3, alias.functionVersion());
                s.setString(4, alias.description());
                s.setString(5, JsonColumns.toJson(alias.additionalVersionWeights()));
                s.setString(6, alias.revisionId());
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean update(AliasRecord alias, String expectedRevision) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE function_aliases SET function_version = ?,"
                    + " description = ?, routing_json = ?, revision_id = ?"
                    + " WHERE function_name = ? AND alias_name = ? AND revision_id = ?")) {
                s.setString(1, alias.functionVersion());
                s.setString(2, alias.description());
                s.setString(3, JsonColumns.toJson(alias.additionalVersionWeights()));
                s.setString(4, alias.revisionId());
                s.setString(5, alias.functionName());
                s.setString(6, alias.name());
                s.setString(7, expectedRevision);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String functionName, String aliasName) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM function_aliases WHERE function_name = ? AND alias_name = ?")) {
                s.setString(1, functionName);
                s.setString(2, aliasName);
                boolean deleted = s.executeUpdate() == 1;
                QualifierDependents.delete(c, functionName, aliasName);
                return deleted;
            }
        });
    }

    private static AliasRecord read(ResultSet rs) throws SQLException {
        Map<String, Double> weights = JsonColumns.fromJson(rs.getString(5),
                new TypeReference<Map<String, Double>>() {});
        return new AliasRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), weights,
                rs.getString(6));
    }
}
