package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/** {@link LayerRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlLayerRepository implements LayerRepository {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<List<StoredStatement>> STATEMENTS = new TypeReference<>() {};
    private static final String COLUMNS = "layer_name, version, description, license_info, compatible_runtimes_json,"
            + " compatible_architectures_json, code_sha256_hex, code_size, unzipped_size, created_ms";

    private final Database db;

    /** A statement as its JSON column holds it: the organization is null when the statement has none. */
    private record StoredStatement(String sid, String action, String principal, String organizationId) {
        static StoredStatement of(LayerPolicy.Statement s) {
            return new StoredStatement(s.sid(), s.action(), s.principal(), s.organizationId().orElse(null));
        }

        LayerPolicy.Statement statement() {
            return new LayerPolicy.Statement(sid, action, principal, Optional.ofNullable(organizationId));
        }
    }

    public SqlLayerRepository(Database db) {
        this.db = db;
    }

    @Override
    public LayerVersionRecord insertNextVersion(String layerName, LongFunction<LayerVersionRecord> build) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO layers (name, next_version) VALUES (?, 1) ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, layerName);
                s.executeUpdate();
            }
            long version;
            try (PreparedStatement s = c.prepareStatement("SELECT next_version FROM layers WHERE name = ?")) {
                s.setString(1, layerName);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    version = rs.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE layers SET next_version = ? WHERE name = ?")) {
                s.setLong(1, version + 1);
                s.setString(2, layerName);
                s.executeUpdate();
            }
            LayerVersionRecord record = build.apply(version);
            insert(c, record);
            return record;
        });
    }

    @Override
    public Optional<LayerVersionRecord> find(String layerName, long version) {
        List<LayerVersionRecord> found = query("SELECT " + COLUMNS + " FROM layer_versions WHERE layer_name = ?"
                + " AND version = ?", layerName, version);
        return found.stream().findFirst();
    }

    @Override
    public List<LayerVersionRecord> versions(String layerName) {
        return query("SELECT " + COLUMNS + " FROM layer_versions WHERE layer_name = ? ORDER BY version DESC",
                layerName);
    }

    @Override
    public List<LayerVersionRecord> allVersions() {
        return query("SELECT " + COLUMNS + " FROM layer_versions ORDER BY layer_name, version DESC");
    }

    @Override
    public boolean delete(String layerName, long version) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM layer_versions WHERE layer_name = ? AND version = ?")) {
                s.setString(1, layerName);
                s.setLong(2, version);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<LayerPolicy> policy(String layerName, long version) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT policy_revision_id, policy_json FROM layer_versions"
                    + " WHERE layer_name = ? AND version = ? AND policy_json IS NOT NULL")) {
                s.setString(1, layerName);
                s.setLong(2, version);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new LayerPolicy(rs.getString(1), JsonColumns.fromJson(rs.getString(2), STATEMENTS).stream()
                                    .map(StoredStatement::statement).toList()))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void putPolicy(String layerName, long version, Optional<LayerPolicy> policy) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE layer_versions SET policy_revision_id = ?,"
                    + " policy_json = ? WHERE layer_name = ? AND version = ?")) {
                s.setString(1, policy.map(LayerPolicy::revisionId).orElse(null));
                s.setString(2, policy.map(p -> JsonColumns.toJson(p.statements().stream().map(StoredStatement::of).toList())).orElse(null));
                s.setString(3, layerName);
                s.setLong(4, version);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean isCodeReferenced(String sha256Hex) {
        return !query("SELECT " + COLUMNS + " FROM layer_versions WHERE code_sha256_hex = ? LIMIT 1", sha256Hex)
                .isEmpty();
    }

    @Override
    public List<String> referencedCode() {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT code_sha256_hex FROM layer_versions");
                    ResultSet rs = s.executeQuery()) {
                List<String> shas = new ArrayList<>();
                while (rs.next()) {
                    shas.add(rs.getString(1));
                }
                return shas;
            }
        });
    }

    private List<LayerVersionRecord> query(String sql, Object... parameters) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                List<LayerVersionRecord> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                }
                return rows;
            }
        });
    }

    private static void insert(Connection c, LayerVersionRecord r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO layer_versions (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, r.layerName());
            s.setLong(2, r.version());
            s.setString(3, r.details().description());
            if (r.details().licenseInfo().isPresent()) {
                s.setString(4, r.details().licenseInfo().get());
            } else {
                s.setNull(4, Types.VARCHAR);
            }
            s.setString(5, JsonColumns.toJson(r.details().compatibleRuntimes()));
            s.setString(6, JsonColumns.toJson(r.details().compatibleArchitectures()));
            s.setString(7, r.content().sha256Hex());
            s.setLong(8, r.content().size());
            s.setLong(9, r.content().unzippedSize());
            s.setLong(10, r.created().toEpochMilli());
            s.executeUpdate();
        }
    }

    private static LayerVersionRecord read(ResultSet rs) throws SQLException {
        LayerVersionRecord.Details details = new LayerVersionRecord.Details(rs.getString(3),
                Optional.ofNullable(rs.getString(4)), JsonColumns.fromJson(rs.getString(5), STRINGS),
                JsonColumns.fromJson(rs.getString(6), STRINGS));
        LayerVersionRecord.Content content = new LayerVersionRecord.Content(rs.getString(7), rs.getLong(8),
                rs.getLong(9));
        return new LayerVersionRecord(rs.getString(1), rs.getLong(2), details, content,
                Instant.ofEpochMilli(rs.getLong(10)));
    }
}
