package dev.kindling.store;

import java.util.Optional;

/**
 * A deployment of an HTTP API (CreateDeployment).
 *
 * @param deploymentId 6 lowercase letters and digits, as AWS gives
 */
public record HttpApiDeploymentRecord(String apiId, String deploymentId, Optional<String> description,
        long createdMillis) {}
