package dev.kindling.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A customer managed policy as stored (one version, v1: Kindling serves no CreatePolicyVersion). */
public record ManagedPolicyRecord(String arn, String name, String policyId, String path,
        Optional<String> description, String document, Instant created, Map<String, String> tags) {

    public ManagedPolicyRecord {
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }
}
