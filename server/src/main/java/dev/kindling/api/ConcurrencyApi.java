package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.ReservedConcurrency;

/**
 * The concurrency operations of the Lambda API, at the paths of botocore's service model: PutFunctionConcurrency and
 * DeleteFunctionConcurrency (2017-10-31), GetFunctionConcurrency (2019-09-30).
 */
public final class ConcurrencyApi implements ApiServer.Operations {
    private static final String RESERVED = "ReservedConcurrentExecutions";

    private final FunctionService functions;
    private final ReservedConcurrency reserved;

    public ConcurrencyApi(FunctionService functions, ReservedConcurrency reserved) {
        this.functions = functions;
        this.reserved = reserved;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("PutFunctionConcurrency", "PUT", "/2017-10-31/functions/{name}/concurrency", this::putReserved)
                .add("DeleteFunctionConcurrency", "DELETE", "/2017-10-31/functions/{name}/concurrency",
                        this::deleteReserved)
                .add("GetFunctionConcurrency", "GET", "/2019-09-30/functions/{name}/concurrency", this::getReserved);
    }

    private ApiResponse putReserved(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        FunctionRef ref = function(request);
        JsonNode value = body.get(RESERVED);
        if (value == null || value.isNull()) {
            throw ConstraintViolations.missingMember("reservedConcurrentExecutions");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new LambdaException(ErrorType.InvalidRequestContentException,
                    "Could not parse request body into json: field '" + RESERVED + "' must be an integer");
        }
        ObjectNode answer = Json.object().put(RESERVED, reserved.put(ref, value.asInt()));
        return ApiResponse.json(200, answer);
    }

    private ApiResponse getReserved(ApiRequest request) {
        ObjectNode answer = Json.object();
        reserved.get(function(request)).ifPresent(value -> answer.put(RESERVED, value));
        return ApiResponse.json(200, answer);
    }

    private ApiResponse deleteReserved(ApiRequest request) {
        reserved.delete(function(request));
        return ApiResponse.empty(204);
    }

    /** These operations take the model's FunctionName shape, as the update operations do. */
    private FunctionRef function(ApiRequest request) {
        return functions.parseRefToChange(request.pathParam("name"));
    }
}
