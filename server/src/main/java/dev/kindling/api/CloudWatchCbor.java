package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

/**
 * CloudWatch's Smithy RPC v2 CBOR protocol, the first its model names and the one botocore and the AWS CLI v1
 * speak: {@code POST /service/GraniteServiceVersion20100801/operation/<Operation>} with {@code smithy-protocol:
 * rpc-v2-cbor}, bodies in CBOR (RFC 8949), timestamps as tag 1 over epoch seconds. Errors are a CBOR map with
 * {@code __type} and {@code message}, plus the query-compatible {@code x-amzn-query-error} header.
 */
final class CloudWatchCbor implements CloudWatchWire {
    static final String PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/";
    private static final String CONTENT_TYPE = "application/cbor";
    private static final ObjectMapper MAPPER = CBORMapper.builder().build().registerModule(CloudWatchJson.timestamps());

    /** Whether the request is in this protocol. */
    static boolean speaks(ApiRequest request) {
        return request.rawPath().startsWith(PATH_PREFIX);
    }

    @Override
    public String operation(ApiRequest request) {
        return request.rawPath().substring(PATH_PREFIX.length());
    }

    @Override
    public JsonNode input(ApiRequest request) {
        return CloudWatchJson.readMembers(MAPPER, request, "CBOR", "a CBOR map");
    }

    @Override
    public ApiResponse output(String operation, ObjectNode result, String requestId) {
        return answer(200, result);
    }

    @Override
    public ApiResponse error(CloudWatchError error, String requestId) {
        ObjectNode body = Json.object().put("__type", CloudWatchJson.SHAPE_PREFIX + error.type())
                .put("message", error.getMessage());
        return answer(error.status(), body).withHeader("x-amzn-query-error", CloudWatchJson.queryError(error));
    }

    private static ApiResponse answer(int status, ObjectNode body) {
        return ApiResponse.bytes(status, CloudWatchJson.write(MAPPER, body), CONTENT_TYPE)
                .withHeader("smithy-protocol", "rpc-v2-cbor");
    }
}
