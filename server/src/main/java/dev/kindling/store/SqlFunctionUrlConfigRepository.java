package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link FunctionUrlConfigRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlFunctionUrlConfigRepository implements FunctionUrlConfigRepository {
    private static final String COLUMNS = "function_name, qualifier, url_id, auth_type, cors_json, invoke_mode,"
            + " created_us, modified_us";
    private static final TypeReference<StoredCors> CORS = new TypeReference<>() {};

    private final Database db;

    /** The Cors member as its JSON column holds it: null for a member not configured. */
    private record StoredCors(Boolean allowCredentials, List<String> allowHeaders, List<String> allowMethods,
            List<String> allowOrigins, List<String> exposeHeaders, Integer maxAge) {
        static StoredCors of(CorsSettings c) {
            return new StoredCors(c.allowCredentials().orElse(null), c.allowHeaders().orElse(null),
                    c.allowMethods().orElse(null), c.allowOrigins().orElse(null), c.exposeHeaders().orElse(null),
                    c.maxAge().orElse(null));
        }

        CorsSettings settings() {
            return new CorsSettings(Optional.ofNullable(allowCredentials), Optional.ofNullable(allowHeaders),
                    Optional.ofNullable(allowMethods), Optional.ofNullable(allowOrigins),
                    Optional.ofNullable(exposeHeaders), Optional.ofNullable(maxAge));
        }
    }

    public SqlFunctionUrlConfigRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<FunctionUrlConfigRecord> find(String functionName, String qualifier) {
        return one("SELECT " + COLUMNS + " FROM function_url_configs WHERE function_name = ? AND qualifier = ?",
                functionName, qualifier);
    }

    @Override
    public Optional<FunctionUrlConfigRecord> findByUrlId(String urlId) {
        return one("SELECT " + COLUMNS + " FROM function_url_configs WHERE url_id = ?", urlId);
    }

    @Override
    public List<FunctionUrlConfigRecord> list(String functionName) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM function_url_configs WHERE function_name = ? ORDER BY qualifier")) {
                s.setString(1, functionName);
                List<FunctionUrlConfigRecord> configs = new ArrayList<>();
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
    public boolean insert(FunctionUrlConfigRecord config) {
        return db.inTransaction(c -> {
            try (PreparedStatement exists = c.prepareStatement(
                    "SELECT 1 FROM function_url_configs WHERE function_name = ? AND qualifier = ?")) {
                exists.setString(1, config.functionName());
                exists.setString(2, config.qualifier());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO function_url_configs (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(s, config);
                s.executeUpdate();
                return true;
            }
        });
    }

    @Override
    public void update(FunctionUrlConfigRecord config) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE function_url_configs SET auth_type = ?,"
                    + " cors_json = ?, invoke_mode = ?, modified_us = ? WHERE function_name = ? AND qualifier = ?")) {
                s.setString(1, config.authType());
                setNullable(s, 2, config.cors().map(cors -> JsonColumns.toJson(StoredCors.of(cors))));
                setNullable(s, 3, config.invokeMode());
                s.setLong(4, micros(config.lastModified()));
                s.setString(5, config.functionName());
                s.setString(6, config.qualifier());
                s.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public boolean delete(String functionName, String qualifier) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM function_url_configs WHERE function_name = ? AND qualifier = ?")) {
                s.setString(1, functionName);
                s.setString(2, qualifier);
                return s.executeUpdate() == 1;
            }
        });
    }

    private Optional<FunctionUrlConfigRecord> one(String sql, String... params) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    s.setString(i + 1, params[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    private static void bind(PreparedStatement s, FunctionUrlConfigRecord config) throws SQLException {
        s.setString(1, config.functionName());
        s.setString(2, config.qualifier());
        s.setString(3, config.urlId());
        s.setString(4, config.authType());
        setNullable(s, 5, config.cors().map(cors -> JsonColumns.toJson(StoredCors.of(cors))));
        setNullable(s, 6, config.invokeMode());
        s.setLong(7, micros(config.created()));
        s.setLong(8, micros(config.lastModified()));
    }

    private static void setNullable(PreparedStatement s, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            s.setString(index, value.get());
        } else {
            s.setNull(index, Types.VARCHAR);
        }
    }

    private static FunctionUrlConfigRecord read(ResultSet rs) throws SQLException {
        return new FunctionUrlConfigRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Optional.ofNullable(rs.getString(5)).map(json -> JsonColumns.fromJson(json, CORS).settings()),
                Optional.ofNullable(rs.getString(6)), instant(rs.getLong(7)), instant(rs.getLong(8)));
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
