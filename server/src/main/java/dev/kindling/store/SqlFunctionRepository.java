package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link FunctionRepository} in plain SQL that both SQLite and PostgreSQL understand. The unpublished version's row
 * is in {@code functions}, published versions' rows in {@code function_versions}, with the same columns.
 */
public final class SqlFunctionRepository implements FunctionRepository {
    private static final String COLUMNS = "name, runtime, role, handler, description, timeout_seconds, memory_mb,"
            + " ephemeral_mb, environment_json, architectures_json, layers_json, logging_json, tracing_mode,"
            + " package_type, code_sha256_hex, code_size, revision_id, last_modified_ms, environment_configured, version,"
            + " dead_letter_target, snap_start_apply_on";

    private final Database db;

    public SqlFunctionRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<FunctionRecord> find(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM functions WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<FunctionRecord> list(String afterName, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM functions WHERE name > ? ORDER BY name LIMIT ?")) {
                s.setString(1, afterName);
                s.setInt(2, limit);
                List<FunctionRecord> page = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        page.add(read(rs));
                    }
                }
                return page;
            }
        });
    }

    @Override
    public boolean insert(FunctionRecord f, Map<String, String> tags) {
        return db.inTransaction(c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM functions WHERE name = ?")) {
                exists.setString(1, f.name());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO functions (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(s, f);
                s.executeUpdate();
            }
            writeTags(c, f.name(), tags);
            return true;
        });
    }

    @Override
    public boolean update(FunctionRecord f, String expectedRevision) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE functions SET name = ?, runtime = ?, role = ?,"
                    + " handler = ?, description = ?, timeout_seconds = ?, memory_mb = ?, ephemeral_mb = ?,"
                    + " environment_json = ?, architectures_json = ?, layers_json = ?, logging_json = ?,"
                    + " tracing_mode = ?, package_type = ?, code_sha256_hex = ?, code_size = ?, revision_id = ?,"
                    + " last_modified_ms = ?, environment_configured = ?, version = ?, dead_letter_target = ?,"
                    + " snap_start_apply_on = ? WHERE name = ? AND revision_id = ?")) {
                bind(s, f);
                s.setString(23, f.name());
                s.setString(24, expectedRevision);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return db.inTransaction(c -> {
            for (String dependent : List.of("DELETE FROM function_tags WHERE function_name = ?",
                    "DELETE FROM function_aliases WHERE function_name = ?", "DELETE FROM function_versions WHERE name = ?")) {
                try (PreparedStatement s = c.prepareStatement(dependent)) {
                    s.setString(1, name);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement fn = c.prepareStatement("DELETE FROM functions WHERE name = ?")) {
                fn.setString(1, name);
                return fn.executeUpdate() == 1;
            }
        });
    }

    @Override
    public PublishedSoFar publishedSoFar(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT last_published_version, last_published_revision FROM functions WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new PublishedSoFar(rs.getInt(1), Optional.ofNullable(rs.getString(2)))
                            : new PublishedSoFar(0, Optional.empty());
                }
            }
        });
    }

    @Override
    public boolean publish(FunctionRecord version, int number, String fromRevision, int lastNumber) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE functions SET last_published_version = ?,"
                    + " last_published_revision = ? WHERE name = ? AND last_published_version = ?")) {
                s.setInt(1, number);
                s.setString(2, fromRevision);
                s.setString(3, version.name());
                s.setInt(4, lastNumber);
                if (s.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO function_versions (" + COLUMNS
                    + ", version_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(s, version);
                s.setInt(23, number);
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<FunctionRecord> findVersion(String name, String version) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM function_versions WHERE name = ? AND version = ?")) {
                s.setString(1, name);
                s.setString(2, version);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<FunctionRecord> versions(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM function_versions WHERE name = ? ORDER BY version_number")) {
                s.setString(1, name);
                List<FunctionRecord> versions = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        versions.add(read(rs));
                    }
                }
                return versions;
            }
        });
    }

    @Override
    public boolean deleteVersion(String name, String version) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM function_versions WHERE name = ? AND version = ?")) {
                s.setString(1, name);
                s.setString(2, version);
                boolean deleted = s.executeUpdate() == 1;
                QualifierDependents.delete(c, name, version);
                return deleted;
            }
        });
    }

    @Override
    public Map<String, String> tags(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT tag_key, tag_value FROM function_tags WHERE function_name = ? ORDER BY tag_key")) {
                s.setString(1, name);
                Map<String, String> tags = new LinkedHashMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        tags.put(rs.getString(1), rs.getString(2));
                    }
                }
                return tags;
            }
        });
    }

    @Override
    public void putTags(String name, Map<String, String> tags) {
        db.inTransaction(c -> {
            writeTags(c, name, tags);
            return null;
        });
    }

    @Override
    public void removeTags(String name, Collection<String> keys) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM function_tags WHERE function_name = ? AND tag_key = ?")) {
                for (String key : keys) {
                    s.setString(1, name);
                    s.setString(2, key);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /**
     * A function refers to its own code and to its layers' code. Layer references live in layers_json, as Jackson
     * writes them (compact, {@code "codeSha256Hex":"<hex>"}): a LIKE on that exact member finds them in SQLite and
     * PostgreSQL alike, and a hex digest has no LIKE wildcards.
     */
    @Override
    public boolean isCodeReferenced(String sha256Hex) {
        return db.withConnection(c -> {
            // A layer's reference is JSON in layers_json, written by this class as {"codeSha256Hex":"<hex>",...}.
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM functions WHERE code_sha256_hex = ?"
                    + " OR layers_json LIKE ? UNION ALL SELECT 1 FROM function_versions WHERE code_sha256_hex = ?"
                    + " OR layers_json LIKE ? LIMIT 1")) {
                String layer = "%\"codeSha256Hex\":\"" + sha256Hex + "\"%";
                s.setString(1, sha256Hex);
                s.setString(2, layer);
                s.setString(3, sha256Hex);
                s.setString(4, layer);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<String> referencedCode() {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT code_sha256_hex, layers_json FROM functions"
                    + " UNION ALL SELECT code_sha256_hex, layers_json FROM function_versions");
                    ResultSet rs = s.executeQuery()) {
                Set<String> shas = new HashSet<>();
                while (rs.next()) {
                    shas.add(rs.getString(1));
                    JsonColumns.fromJson(rs.getString(2), new TypeReference<List<LayerReference>>() {}).forEach(
                            layer -> shas.add(layer.codeSha256Hex()));
                }
                return List.copyOf(shas);
            }
        });
    }

    @Override
    public long count() {
        return scalar("SELECT COUNT(*) FROM functions");
    }

    @Override
    public long totalCodeSize() {
        return scalar("SELECT COALESCE(SUM(code_size), 0) FROM functions")
                + scalar("SELECT COALESCE(SUM(code_size), 0) FROM function_versions");
    }

    private long scalar(String sql) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql);
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void writeTags(Connection c, String name, Map<String, String> tags) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO function_tags (function_name, tag_key, tag_value)"
                + " VALUES (?, ?, ?) ON CONFLICT (function_name, tag_key) DO UPDATE SET tag_value = excluded.tag_value")) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                s.setString(1, name);
                s.setString(2, tag.getKey());
                s.setString(3, tag.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void bind(PreparedStatement s, FunctionRecord f) throws SQLException {
        s.setString(1, f.name());
        s.setString(2, f.runtime());
        s.setString(3, f.role());
        s.setString(4, f.handler());
        s.setString(5, f.description());
        s.setInt(6, f.timeoutSeconds());
        s.setInt(7, f.memoryMb());
        s.setInt(8, f.ephemeralStorageMb());
        s.setString(9, JsonColumns.toJson(f.environment()));
        s.setString(10, JsonColumns.toJson(f.architectures()));
        s.setString(11, JsonColumns.toJson(f.layers()));
        s.setString(12, JsonColumns.toJson(f.logging()));
        s.setString(13, f.tracingMode());
        s.setString(14, f.packageType());
        s.setString(15, f.codeSha256Hex());
        s.setLong(16, f.codeSize());
        s.setString(17, f.revisionId());
        s.setLong(18, f.lastModified().toEpochMilli());
        s.setBoolean(19, f.environmentConfigured());
        s.setString(20, f.version());
        s.setString(21, f.deadLetterTarget().orElse(""));
        s.setString(22, f.snapStartApplyOn());
    }

    private static FunctionRecord read(ResultSet rs) throws SQLException {
        return FunctionRecord.builder()
                .name(rs.getString(1))
                .runtime(rs.getString(2))
                .role(rs.getString(3))
                .handler(rs.getString(4))
                .description(rs.getString(5))
                .timeoutSeconds(rs.getInt(6))
                .memoryMb(rs.getInt(7))
                .ephemeralStorageMb(rs.getInt(8))
                .environment(JsonColumns.fromJson(rs.getString(9), new TypeReference<LinkedHashMap<String, String>>() {}))
                .architectures(JsonColumns.fromJson(rs.getString(10), new TypeReference<List<String>>() {}))
                .layers(JsonColumns.fromJson(rs.getString(11), new TypeReference<List<LayerReference>>() {}))
                .logging(JsonColumns.fromJson(rs.getString(12), new TypeReference<FunctionRecord.LoggingSettings>() {}))
                .tracingMode(rs.getString(13))
                .packageType(rs.getString(14))
                .code(rs.getString(15), rs.getLong(16))
                .revisionId(rs.getString(17))
                .lastModified(Instant.ofEpochMilli(rs.getLong(18)))
                .environmentConfigured(rs.getBoolean(19))
                .version(rs.getString(20))
                .deadLetterTarget(java.util.Optional.of(rs.getString(21)))
                .snapStartApplyOn(rs.getString(22))
                .build();
    }
}
