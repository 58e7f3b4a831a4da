package dev.kindling.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An IAM role as stored.
 *
 * @param trustPolicy the AssumeRolePolicyDocument, as the caller sent it
 * @param tags in the order they were added
 */
public record RoleRecord(String name, String roleId, String path, String trustPolicy, Optional<String> description,
        int maxSessionSeconds, Instant created, Map<String, String> tags) {

    public RoleRecord {
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    public RoleRecord withTrustPolicy(String document) {
        return new RoleRecord(name, roleId, path, document, description, maxSessionSeconds, created, tags);
    }

    public RoleRecord withDescription(Optional<String> newDescription) {
        return new RoleRecord(name, roleId, path, trustPolicy, newDescription, maxSessionSeconds, created, tags);
    }

    public RoleRecord withMaxSessionSeconds(int seconds) {
        return new RoleRecord(name, roleId, path, trustPolicy, description, seconds, created, tags);
    }

    public RoleRecord withTags(Map<String, String> newTags) {
        return new RoleRecord(name, roleId, path, trustPolicy, description, maxSessionSeconds, created, newTags);
    }
}
