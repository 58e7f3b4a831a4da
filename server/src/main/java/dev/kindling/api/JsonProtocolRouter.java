package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.HashMap;
import java.util.Map;

/**
 * The routes of one AWS JSON-protocol service (JSON 1.0 or 1.1): every request is {@code POST /} and names its
 * operation in {@code X-Amz-Target: <prefix>.<Operation>}; errors are {@code {"__type": ..., "message": ...}} with
 * the status the model gives.
 */
final class JsonProtocolRouter implements ServiceRoutes {
    private final String signingName;
    private final String targetPrefix;
    private final String contentType;
    private final Map<String, Router.Endpoint> operations = new HashMap<>();

    /**
     * @param targetPrefix what precedes the operation in X-Amz-Target, with its dot ({@code Logs_20140328.})
     * @param jsonVersion 1.0 or 1.1, as the service's model says
     */
    JsonProtocolRouter(String signingName, String targetPrefix, String jsonVersion) {
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
        this.contentType = "application/x-amz-json-" + jsonVersion;
    }

    JsonProtocolRouter add(String operation, Router.Endpoint endpoint) {
        operations.put(operation, endpoint);
        return this;
    }

    @Override
    public String signingName() {
        return signingName;
    }

    /** Whether the request's X-Amz-Target names this service (for requests that carry no signature to tell). */
    boolean targets(ApiRequest request) {
        return request.header("X-Amz-Target").map(t -> t.startsWith(targetPrefix)).orElse(false);
    }

    @Override
    public Router.Match route(ApiRequest request) {
        String target = request.header("X-Amz-Target").orElse("");
        String operation = target.startsWith(targetPrefix) ? target.substring(targetPrefix.length()) : "";
        Router.Endpoint endpoint = operations.get(operation);
        if (endpoint == null || !request.method().equals("POST")) {
            throw new LambdaException(ErrorType.UnknownOperationException, operation.isEmpty()
                    ? "Kindling's " + signingName + " service needs X-Amz-Target: " + targetPrefix + "<Operation>"
                    : "Kindling does not implement the " + signingName + " operation " + operation);
        }
        return new Router.Match(operation, endpoint, request, true);
    }

    @Override
    public ApiResponse error(LambdaException e) {
        // A JSON-protocol service answers an unknown target with 400, not Lambda's REST 404.
        int status = e.type() == ErrorType.UnknownOperationException ? 400 : e.type().status();
        return error(status, e.type().name(), e.getMessage());
    }

    ApiResponse error(int status, String code, String message) {
        ObjectNode body = Json.object().put("__type", code).put("message", message);
        return ApiResponse.bytes(status, Json.bytes(body), contentType).withHeader("x-amzn-ErrorType", code);
    }

    ApiResponse ok(Object body) {
        return ApiResponse.bytes(200, Json.bytes(body), contentType);
    }
}
