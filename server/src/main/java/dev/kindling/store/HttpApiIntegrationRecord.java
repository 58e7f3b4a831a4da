package dev.kindling.store;

import java.util.Optional;

/**
 * An AWS_PROXY integration of an HTTP API with a Lambda function.
 *
 * @param integrationUri the function's ARN, or API Gateway's invocation ARN that contains it, as the client gave it
 * @param payloadFormat 1.0 or 2.0: the event the function gets and how its answer is read
 * @param timeoutMillis TimeoutInMillis (50 to 30,000)
 * @param managed made by a quick create (ApiGatewayManaged)
 */
public record HttpApiIntegrationRecord(String apiId, String integrationId, String integrationUri, String payloadFormat,
        int timeoutMillis, Optional<String> description, boolean managed) {}
