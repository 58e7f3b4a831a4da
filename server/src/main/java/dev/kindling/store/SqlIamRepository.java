package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link IamRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlIamRepository implements IamRepository {
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {};
    private static final String ROLE_COLUMNS = "SELECT name, role_id, path, trust_policy, description,"
            + " max_session_seconds, created_ms, tags FROM iam_roles";
    private static final String POLICY_COLUMNS = "SELECT arn, name, policy_id, path, description, document,"
            + " created_ms, tags FROM iam_policies";
    private final Database db;

    public SqlIamRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<RoleRecord> role(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(ROLE_COLUMNS + " WHERE name_key = ?")) {
                s.setString(1, name.toLowerCase(Locale.ROOT));
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(readRole(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<RoleRecord> roles() {
        return db.withConnection(c -> {
            List<RoleRecord> roles = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(ROLE_COLUMNS + " ORDER BY name_key");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    roles.add(readRole(rs));
                }
            }
            return roles;
        });
    }

    @Override
    public boolean insertRole(RoleRecord role) {
        return db.inTransaction(c -> {
            if (SqlStatements.exists(c, "SELECT 1 FROM iam_roles WHERE name_key = ?", role.name().toLowerCase(Locale.ROOT))) {
                return false;
            }
            SqlStatements.update(c, "DELETE FROM iam_deleted_roles WHERE name_key = ?",
                    role.name().toLowerCase(Locale.ROOT));
            try (PreparedStatement s = c.prepareStatement("INSERT INTO iam_roles (name, name_key, role_id, path,"
                    + " trust_policy, description, max_session_seconds, created_ms, tags)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, role.name());
                s.setString(2, role.name().toLowerCase(Locale.ROOT));
                s.setString(3, role.roleId());
                s.setString(4, role.path());
                s.setString(5, role.trustPolicy());
                s.setString(6, role.description().orElse(null));
                s.setInt(7, role.maxSessionSeconds());
                s.setLong(8, role.created().toEpochMilli());
                s.setString(9, JsonColumns.toJson(role.tags()));
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean updateRole(RoleRecord role) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE iam_roles SET trust_policy = ?, description = ?,"
                    + " max_session_seconds = ?, tags = ? WHERE name = ?")) {
                s.setString(1, role.trustPolicy());
                s.setString(2, role.description().orElse(null));
                s.setInt(3, role.maxSessionSeconds());
                s.setString(4, JsonColumns.toJson(role.tags()));
                s.setString(5, role.name());
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean deleteRole(String name) {
        return db.inTransaction(c -> {
            if (SqlStatements.update(c, "DELETE FROM iam_roles WHERE name = ?", name) == 0) {
                return false;
            }
            SqlStatements.update(c, "INSERT OR REPLACE INTO iam_deleted_roles (name_key, deleted_ms) VALUES (?, ?)",
                    name.toLowerCase(Locale.ROOT), Long.toString(System.currentTimeMillis()));
            return true;
        });
    }

    @Override
    public boolean wasDeleted(String name) {
        return db.withConnection(c -> SqlStatements.exists(c, "SELECT 1 FROM iam_deleted_roles WHERE name_key = ?",
                name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public Map<String, String> inlinePolicies(String roleName) {
        return db.withConnection(c -> {
            Map<String, String> policies = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT policy_name, document FROM iam_role_policies"
                    + " WHERE role_name = ? ORDER BY policy_name")) {
                s.setString(1, roleName);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        policies.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return policies;
        });
    }

    @Override
    public void putInlinePolicy(String roleName, String policyName, String document) {
        db.inTransaction(c -> {
            SqlStatements.update(c, "DELETE FROM iam_role_policies WHERE role_name = ? AND policy_name = ?", roleName, policyName);
            return SqlStatements.update(c, "INSERT INTO iam_role_policies (role_name, policy_name, document) VALUES (?, ?, ?)",
                    roleName, policyName, document);
        });
    }

    @Override
    public boolean deleteInlinePolicy(String roleName, String policyName) {
        return db.inTransaction(c -> SqlStatements.update(c,
                "DELETE FROM iam_role_policies WHERE role_name = ? AND policy_name = ?", roleName, policyName) > 0);
    }

    @Override
    public List<String> attachedPolicies(String roleName) {
        return db.withConnection(c -> {
            List<String> arns = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT policy_arn FROM iam_role_attachments WHERE role_name = ? ORDER BY rowid")) {
                s.setString(1, roleName);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        arns.add(rs.getString(1));
                    }
                }
            }
            return arns;
        });
    }

    @Override
    public boolean attach(String roleName, String policyArn) {
        return db.inTransaction(c -> {
            if (SqlStatements.exists(c, "SELECT 1 FROM iam_role_attachments WHERE role_name = ? AND policy_arn = ?", roleName,
                    policyArn)) {
                return false;
            }
            return SqlStatements.update(c, "INSERT INTO iam_role_attachments (role_name, policy_arn) VALUES (?, ?)", roleName,
                    policyArn) > 0;
        });
    }

    @Override
    public boolean detach(String roleName, String policyArn) {
        return db.inTransaction(c -> SqlStatements.update(c,
                "DELETE FROM iam_role_attachments WHERE role_name = ? AND policy_arn = ?", roleName, policyArn) > 0);
    }

    @Override
    public int attachmentCount(String policyArn) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT COUNT(*) FROM iam_role_attachments WHERE policy_arn = ?")) {
                s.setString(1, policyArn);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public Optional<ManagedPolicyRecord> policy(String arn) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(POLICY_COLUMNS + " WHERE arn = ?")) {
                s.setString(1, arn);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(readPolicy(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<ManagedPolicyRecord> policies() {
        return db.withConnection(c -> {
            List<ManagedPolicyRecord> policies = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(POLICY_COLUMNS + " ORDER BY arn");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    policies.add(readPolicy(rs));
                }
            }
            return policies;
        });
    }

    @Override
    public boolean insertPolicy(ManagedPolicyRecord p) {
        return db.inTransaction(c -> {
            if (SqlStatements.exists(c, "SELECT 1 FROM iam_policies WHERE arn = ?", p.arn())) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO iam_policies (arn, name, policy_id, path,"
                    + " description, document, created_ms, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, p.arn());
                s.setString(2, p.name());
                s.setString(3, p.policyId());
                s.setString(4, p.path());
                s.setString(5, p.description().orElse(null));
                s.setString(6, p.document());
                s.setLong(7, p.created().toEpochMilli());
                s.setString(8, JsonColumns.toJson(p.tags()));
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean deletePolicy(String arn) {
        return db.inTransaction(c -> SqlStatements.update(c, "DELETE FROM iam_policies WHERE arn = ?", arn) > 0);
    }

    private static RoleRecord readRole(ResultSet rs) throws SQLException {
        return new RoleRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Optional.ofNullable(rs.getString(5)), rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)),
                JsonColumns.fromJson(rs.getString(8), TAGS));
    }

    private static ManagedPolicyRecord readPolicy(ResultSet rs) throws SQLException {
        return new ManagedPolicyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Optional.ofNullable(rs.getString(5)), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                JsonColumns.fromJson(rs.getString(8), TAGS));
    }

}
