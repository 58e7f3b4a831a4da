package dev.kindling.store;

import java.util.Map;
import java.util.Objects;

/**
 * A function alias as stored: a name that points at one version, and optionally sends a share of invocations to a
 * second one.
 *
 * @param additionalVersionWeights RoutingConfig.AdditionalVersionWeights: the second version and the share (0.0 to
 *     1.0) of invocations it gets; empty for an alias to one version
 */
public record AliasRecord(String functionName, String name, String functionVersion, String description,
        Map<String, Double> additionalVersionWeights, String revisionId) {
    public AliasRecord {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(functionVersion, "functionVersion");
        Objects.requireNonNull(description, "description");
        additionalVersionWeights = Map.copyOf(additionalVersionWeights);
        Objects.requireNonNull(revisionId, "revisionId");
    }

    /** Whether invocations of the alias may run {@code version}. */
    public boolean references(String version) {
        return functionVersion.equals(version) || additionalVersionWeights.containsKey(version);
    }
}
