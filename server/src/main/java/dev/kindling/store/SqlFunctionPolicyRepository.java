package dev.kindling.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/** {@link FunctionPolicyRepository} in plain SQL that both SQLite and PostgreSQL understand. */
public final class SqlFunctionPolicyRepository implements FunctionPolicyRepository {
    private static final TypeReference<List<StoredStatement>> STATEMENTS = new TypeReference<>() {};

    private final Database db;

    /** A statement as its JSON column holds it: a condition the statement does not have is null. */
    private record StoredStatement(String sid, String action, String principal, String sourceArn,
            String sourceAccount, String principalOrgId, String eventSourceToken, String functionUrlAuthType,
            boolean invokedViaFunctionUrl) {
        static StoredStatement of(PolicyStatement s) {
            return new StoredStatement(s.sid(), s.action(), s.principal(), s.sourceArn().orElse(null),
                    s.sourceAccount().orElse(null), s.principalOrgId().orElse(null),
                    s.eventSourceToken().orElse(null), s.functionUrlAuthType().orElse(null),
                    s.invokedViaFunctionUrl());
        }

        PolicyStatement statement() {
            return PolicyStatement.builder().sid(sid).action(action).principal(principal)
                    .sourceArn(Optional.ofNullable(sourceArn)).sourceAccount(Optional.ofNullable(sourceAccount))
                    .principalOrgId(Optional.ofNullable(principalOrgId))
                    .eventSourceToken(Optional.ofNullable(eventSourceToken))
                    .functionUrlAuthType(Optional.ofNullable(functionUrlAuthType))
                    .invokedViaFunctionUrl(invokedViaFunctionUrl).build();
        }
    }

    public SqlFunctionPolicyRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<FunctionPolicy> find(String functionName, String qualifier) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT revision_id, statements_json FROM function_policies"
                    + " WHERE function_name = ? AND qualifier = ?")) {
                s.setString(1, functionName);
                s.setString(2, qualifier);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    List<PolicyStatement> statements = JsonColumns.fromJson(rs.getString(2), STATEMENTS).stream()
                            .map(StoredStatement::statement).toList();
                    return Optional.of(new FunctionPolicy(rs.getString(1), statements));
                }
            }
        });
    }

    @Override
    public void put(String functionName, String qualifier, Optional<FunctionPolicy> policy) {
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?")) {
                delete.setString(1, functionName);
                delete.setString(2, qualifier);
                delete.executeUpdate();
            }
            if (policy.isPresent()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO function_policies (function_name,"
                        + " qualifier, statements_json, revision_id) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, functionName);
                    insert.setString(2, qualifier);
                    insert.setString(3, JsonColumns.toJson(policy.get().statements().stream()
                            .map(StoredStatement::of).toList()));
                    insert.setString(4, policy.get().revisionId());
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }
}
