package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.LambdaException.ThrottleReason;
import java.util.Set;

/**
 * AWS's error response: the x-amzn-ErrorType header and a JSON body with the members of the error's shape in the
 * service model. The model spells the message member differently per error (ResourceNotFoundException and
 * ServiceException have {@code Message}, the others {@code message}); errors the model does not declare
 * (ValidationException, RequestEntityTooLargeException, the authentication errors) carry only {@code message}.
 */
final class ErrorResponses {
    private static final Set<ErrorType> CAPITALISED_MESSAGE = Set.of(ErrorType.ResourceNotFoundException,
            ErrorType.ServiceException);
    private static final Set<ErrorType> NOT_IN_MODEL = Set.of(ErrorType.ValidationException,
            ErrorType.RequestEntityTooLargeException, ErrorType.UnrecognizedClientException,
            ErrorType.InvalidSignatureException, ErrorType.MissingAuthenticationTokenException,
            ErrorType.AccessDeniedException, ErrorType.UnknownOperationException);

    private ErrorResponses() {}

    static ApiResponse of(LambdaException e) {
        ObjectNode body = Json.object();
        if (!NOT_IN_MODEL.contains(e.type())) {
            body.put("Type", e.type().status() >= 500 ? "Service" : "User");
        }
        body.put(CAPITALISED_MESSAGE.contains(e.type()) ? "Message" : "message", e.getMessage());
        if (e.type() == ErrorType.TooManyRequestsException) {
            body.put("Reason", e.reason().orElse(ThrottleReason.ConcurrentInvocationLimitExceeded).name());
        }
        ApiResponse response = ApiResponse.json(e.type().status(), body)
                .withHeader("x-amzn-ErrorType", e.type().name());
        if (e.type() == ErrorType.TooManyRequestsException) {
            response.withHeader("Retry-After", "1");
        }
        return response;
    }
}
