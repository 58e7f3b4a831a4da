package dev.kindling.store;

import java.util.List;

/** A function's, version's or alias's resource-based policy: its statements in order, and its revision. */
public record FunctionPolicy(String revisionId, List<PolicyStatement> statements) {
    public FunctionPolicy {
        statements = List.copyOf(statements);
    }
}
