package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;

/** AWS's error response: the x-amzn-ErrorType header and a JSON body with Type and message. */
final class ErrorResponses {
    private ErrorResponses() {}

    static ApiResponse of(LambdaException e) {
        ObjectNode body = Json.object();
        body.put("Type", e.type().status() >= 500 ? "Service" : "User");
        body.put("message", e.getMessage());
        if (e.type() == LambdaException.ErrorType.TooManyRequestsException) {
            body.put("Reason", "ConcurrentInvocationLimitExceeded");
        }
        ApiResponse response = ApiResponse.json(e.type().status(), body)
                .withHeader("x-amzn-ErrorType", e.type().name());
        if (e.type() == LambdaException.ErrorType.TooManyRequestsException) {
            response.withHeader("Retry-After", "1");
        }
        return response;
    }
}
