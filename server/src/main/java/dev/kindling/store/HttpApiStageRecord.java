package dev.kindling.store;

import java.util.Map;
import java.util.Optional;

/**
 * A stage of an HTTP API: {@code $default} (served at the API's root) or a named one (served under {@code /name}).
 *
 * @param deploymentId the deployment the stage serves; a stage serves requests when it has one or deploys itself
 * @param variables stage variables, handed to the function in its event
 * @param managed made by a quick create (ApiGatewayManaged)
 */
public record HttpApiStageRecord(String apiId, String stageName, boolean autoDeploy, Optional<String> deploymentId,
        Optional<String> description, Map<String, String> variables, Map<String, String> tags, boolean managed,
        long createdMillis, long updatedMillis) {
    /** Whether requests to the stage are served: it deploys itself, or something was deployed to it. */
    public boolean serves() {
        return autoDeploy || deploymentId.isPresent();
    }
}
