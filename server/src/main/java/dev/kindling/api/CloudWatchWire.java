package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One of the three wire protocols CloudWatch's clients speak (its model lists them all): Smithy RPC v2 CBOR
 * (botocore, the AWS CLI v1), JSON 1.0 (the SDK for JavaScript v3, as the web console uses), and the query protocol
 * with XML answers (older SDKs and CLIs). Each turns a request into the same tree of the model's members, and that
 * tree's answer back into its own bytes, so the operations are written once. In answers, timestamps are
 * {@code POJONode}s holding an {@link java.time.Instant}; each protocol writes them its own way.
 */
interface CloudWatchWire {
    /** The operation the request names ({@code GetMetricData}), or empty text for none. */
    String operation(ApiRequest request);

    /** The request's members as a tree: numbers may come as text (the query protocol's), timestamps as numbers
     * (epoch seconds) or ISO 8601 text. */
    JsonNode input(ApiRequest request);

    ApiResponse output(String operation, ObjectNode result, String requestId);

    ApiResponse error(CloudWatchError error, String requestId);

    /** Whether the operation is named in the body (the query protocol's Action). */
    default boolean namesOperationInBody() {
        return false;
    }
}
