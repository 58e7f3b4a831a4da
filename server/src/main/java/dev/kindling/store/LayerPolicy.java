package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/**
 * A layer version's resource policy: who may use it (AddLayerVersionPermission). Each change has a new revision id.
 */
public record LayerPolicy(String revisionId, List<Statement> statements) {
    public LayerPolicy {
        statements = List.copyOf(statements);
    }

    /** One grant of lambda:GetLayerVersion to an account, or to everyone (optionally within an organization). */
    public record Statement(String sid, String action, String principal, Optional<String> organizationId) {}
}
