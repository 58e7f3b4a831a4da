package dev.kindling.api;

import dev.kindling.LambdaException;

/**
 * How one AWS service on Kindling's one port finds the operation a request names, and writes the errors its clients
 * parse. Lambda routes by method and path ({@link Router}); JSON-protocol services such as CloudWatch Logs by
 * {@code X-Amz-Target} ({@link JsonProtocolRouter}); query-protocol services such as IAM by the Action in the body
 * ({@link QueryProtocolRouter}). A new service adds one of these to {@link ApiServer#start}.
 */
interface ServiceRoutes {
    /** The service's name in a SigV4 credential scope ({@code lambda}, {@code logs}, ...). */
    String signingName();

    /** The operation {@code request} names; throws LambdaException (UnknownOperationException) for none. */
    Router.Match route(ApiRequest request);

    /** These routes as they serve {@code request}: a service with two wire protocols answers each in its own. */
    default ServiceRoutes forRequest(ApiRequest request) {
        return this;
    }

    /** {@code e} as this service's protocol writes an error. */
    ApiResponse error(LambdaException e);

    /** Whether the operation is named in the body, so the request is routed again once its body is read. */
    default boolean routesByBody() {
        return false;
    }
}
