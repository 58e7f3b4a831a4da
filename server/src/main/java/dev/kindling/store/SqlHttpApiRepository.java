package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link HttpApiRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlHttpApiRepository implements HttpApiRepository {
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final String INTEGRATION_COLUMNS = "api_id, integration_id, integration_uri, payload_format,"
            + " timeout_ms, description, managed";
    private static final String ROUTE_COLUMNS = "api_id, route_id, route_key, target, operation_name, managed,"
            + " authorization_type";
    private static final String STAGE_COLUMNS = "api_id, stage_name, auto_deploy, description, variables, tags,"
            + " managed, created_ms, updated_ms, deployment_id";

    private final Database db;

    public SqlHttpApiRepository(Database db) {
        this.db = db;
    }

    @Override
    public void create(HttpApiRecord api, List<HttpApiIntegrationRecord> integrations, List<HttpApiRouteRecord> routes,
            List<HttpApiStageRecord> stages) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO http_apis (api_id, name, settings, created_ms) VALUES (?, ?, ?, ?)")) {
                s.setString(1, api.apiId());
                s.setString(2, api.name());
                s.setString(3, settingsJson(api.settings()));
                s.setLong(4, api.createdMillis());
                s.executeUpdate();
            }
            for (HttpApiIntegrationRecord integration : integrations) {
                insertIntegration(c, integration);
            }
            for (HttpApiRouteRecord route : routes) {
                insertRoute(c, route);
            }
            for (HttpApiStageRecord stage : stages) {
                insertStage(c, stage);
            }
            return null;
        });
    }

    @Override
    public Optional<HttpApiRecord> find(String apiId) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT api_id, name, settings, created_ms FROM http_apis WHERE api_id = ?")) {
                s.setString(1, apiId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(readApi(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<HttpApiRecord> list() {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT api_id, name, settings, created_ms FROM http_apis ORDER BY api_id");
                    ResultSet rs = s.executeQuery()) {
                List<HttpApiRecord> apis = new ArrayList<>();
                while (rs.next()) {
                    apis.add(readApi(rs));
                }
                return apis;
            }
        });
    }

    @Override
    public void update(HttpApiRecord api) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE http_apis SET name = ?, settings = ? WHERE api_id = ?")) {
                s.setString(1, api.name());
                s.setString(2, settingsJson(api.settings()));
                s.setString(3, api.apiId());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(String apiId) {
        return db.inTransaction(c -> deleteWhere(c, "DELETE FROM http_apis WHERE api_id = ?", apiId));
    }

    @Override
    public void putIntegration(HttpApiIntegrationRecord integration) {
        db.inTransaction(c -> {
            deleteWhere(c, "DELETE FROM http_api_integrations WHERE api_id = ? AND integration_id = ?",
                    integration.apiId(), integration.integrationId());
            insertIntegration(c, integration);
            return null;
        });
    }

    @Override
    public List<HttpApiIntegrationRecord> integrations(String apiId) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + INTEGRATION_COLUMNS
                    + " FROM http_api_integrations WHERE api_id = ? ORDER BY integration_id")) {
                s.setString(1, apiId);
                List<HttpApiIntegrationRecord> list = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        list.add(new HttpApiIntegrationRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getInt(5), Optional.ofNullable(rs.getString(6)),
                                rs.getBoolean(7)));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public boolean deleteIntegration(String apiId, String integrationId) {
        return db.inTransaction(c -> deleteWhere(c,
                "DELETE FROM http_api_integrations WHERE api_id = ? AND integration_id = ?", apiId, integrationId));
    }

    @Override
    public void putRoute(HttpApiRouteRecord route) {
        db.inTransaction(c -> {
            deleteWhere(c, "DELETE FROM http_api_routes WHERE api_id = ? AND route_id = ?", route.apiId(),
                    route.routeId());
            insertRoute(c, route);
            return null;
        });
    }

    @Override
    public List<HttpApiRouteRecord> routes(String apiId) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + ROUTE_COLUMNS
                    + " FROM http_api_routes WHERE api_id = ? ORDER BY route_id")) {
                s.setString(1, apiId);
                List<HttpApiRouteRecord> list = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        list.add(new HttpApiRouteRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
                                HttpApiRouteRecord.Authorization.valueOf(rs.getString(7)), rs.getBoolean(6)));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public boolean deleteRoute(String apiId, String routeId) {
        return db.inTransaction(c -> deleteWhere(c, "DELETE FROM http_api_routes WHERE api_id = ? AND route_id = ?",
                apiId, routeId));
    }

    @Override
    public void putStage(HttpApiStageRecord stage) {
        db.inTransaction(c -> {
            deleteWhere(c, "DELETE FROM http_api_stages WHERE api_id = ? AND stage_name = ?", stage.apiId(),
                    stage.stageName());
            insertStage(c, stage);
            return null;
        });
    }

    @Override
    public List<HttpApiStageRecord> stages(String apiId) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + STAGE_COLUMNS
                    + " FROM http_api_stages WHERE api_id = ? ORDER BY stage_name")) {
                s.setString(1, apiId);
                List<HttpApiStageRecord> list = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        list.add(new HttpApiStageRecord(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                                Optional.ofNullable(rs.getString(10)), Optional.ofNullable(rs.getString(4)),
                                JsonColumns.fromJson(rs.getString(5), STRINGS),
                                JsonColumns.fromJson(rs.getString(6), STRINGS), rs.getBoolean(7), rs.getLong(8),
                                rs.getLong(9)));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public boolean deleteStage(String apiId, String stageName) {
        return db.inTransaction(c -> deleteWhere(c,
                "DELETE FROM http_api_stages WHERE api_id = ? AND stage_name = ?", apiId, stageName));
    }

    @Override
    public void putDeployment(HttpApiDeploymentRecord d) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO http_api_deployments (api_id, deployment_id,"
                    + " description, created_ms) VALUES (?, ?, ?, ?)")) {
                s.setString(1, d.apiId());
                s.setString(2, d.deploymentId());
                s.setString(3, d.description().orElse(null));
                s.setLong(4, d.createdMillis());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<HttpApiDeploymentRecord> deployments(String apiId) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT api_id, deployment_id, description, created_ms"
                    + " FROM http_api_deployments WHERE api_id = ? ORDER BY created_ms, deployment_id")) {
                s.setString(1, apiId);
                List<HttpApiDeploymentRecord> list = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        list.add(new HttpApiDeploymentRecord(rs.getString(1), rs.getString(2),
                                Optional.ofNullable(rs.getString(3)), rs.getLong(4)));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public boolean deleteDeployment(String apiId, String deploymentId) {
        return db.inTransaction(c -> deleteWhere(c,
                "DELETE FROM http_api_deployments WHERE api_id = ? AND deployment_id = ?", apiId, deploymentId));
    }

    private static boolean deleteWhere(Connection c, String sql, String... keys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < keys.length; i++) {
                s.setString(i + 1, keys[i]);
            }
            return s.executeUpdate() > 0;
        }
    }

    private static void insertIntegration(Connection c, HttpApiIntegrationRecord i) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO http_api_integrations (" + INTEGRATION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, i.apiId());
            s.setString(2, i.integrationId());
            s.setString(3, i.integrationUri());
            s.setString(4, i.payloadFormat());
            s.setInt(5, i.timeoutMillis());
            s.setString(6, i.description().orElse(null));
            s.setBoolean(7, i.managed());
            s.executeUpdate();
        }
    }

    private static void insertRoute(Connection c, HttpApiRouteRecord r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO http_api_routes (" + ROUTE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, r.apiId());
            s.setString(2, r.routeId());
            s.setString(3, r.routeKey());
            s.setString(4, r.target().orElse(null));
            s.setString(5, r.operationName().orElse(null));
            s.setBoolean(6, r.managed());
            s.setString(7, r.authorization().name());
            s.executeUpdate();
        }
    }

    private static void insertStage(Connection c, HttpApiStageRecord st) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO http_api_stages (" + STAGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, st.apiId());
            s.setString(2, st.stageName());
            s.setBoolean(3, st.autoDeploy());
            s.setString(4, st.description().orElse(null));
            s.setString(5, JsonColumns.toJson(st.variables()));
            s.setString(6, JsonColumns.toJson(st.tags()));
            s.setBoolean(7, st.managed());
            s.setLong(8, st.createdMillis());
            s.setLong(9, st.updatedMillis());
            s.setString(10, st.deploymentId().orElse(null));
            s.executeUpdate();
        }
    }

    private static HttpApiRecord readApi(ResultSet rs) throws SQLException {
        return new HttpApiRecord(rs.getString(1), rs.getString(2), readSettings(rs.getString(3)), rs.getLong(4));
    }

    /** The settings as a JSON object of the members that were given. */
    private static String settingsJson(HttpApiSettings s) {
        Map<String, Object> json = new LinkedHashMap<>();
        s.description().ifPresent(d -> json.put("description", d));
        s.version().ifPresent(v -> json.put("version", v));
        json.put("disableExecuteApiEndpoint", s.disableExecuteApiEndpoint());
        s.cors().ifPresent(cors -> {
            Map<String, Object> c = new LinkedHashMap<>();
            cors.allowOrigins().ifPresent(v -> c.put("allowOrigins", v));
            cors.allowMethods().ifPresent(v -> c.put("allowMethods", v));
            cors.allowHeaders().ifPresent(v -> c.put("allowHeaders", v));
            cors.exposeHeaders().ifPresent(v -> c.put("exposeHeaders", v));
            cors.maxAge().ifPresent(v -> c.put("maxAge", v));
            cors.allowCredentials().ifPresent(v -> c.put("allowCredentials", v));
            json.put("cors", c);
        });
        json.put("tags", s.tags());
        return JsonColumns.toJson(json);
    }

    @SuppressWarnings("unchecked")
    private static HttpApiSettings readSettings(String text) {
        Map<String, Object> json = JsonColumns.fromJson(text, JSON_OBJECT);
        Optional<CorsSettings> cors = Optional.ofNullable((Map<String, Object>) json.get("cors")).map(c ->
                CorsSettings.builder().allowCredentials(Optional.ofNullable((Boolean) c.get("allowCredentials")))
                        .allowHeaders(Optional.ofNullable((List<String>) c.get("allowHeaders")))
                        .allowMethods(Optional.ofNullable((List<String>) c.get("allowMethods")))
                        .allowOrigins(Optional.ofNullable((List<String>) c.get("allowOrigins")))
                        .exposeHeaders(Optional.ofNullable((List<String>) c.get("exposeHeaders")))
                        .maxAge(Optional.ofNullable((Integer) c.get("maxAge"))).build());
        return new HttpApiSettings(Optional.ofNullable((String) json.get("description")),
                Optional.ofNullable((String) json.get("version")),
                (Boolean) json.getOrDefault("disableExecuteApiEndpoint", false), cors,
                (Map<String, String>) json.getOrDefault("tags", Map.of()));
    }
}
