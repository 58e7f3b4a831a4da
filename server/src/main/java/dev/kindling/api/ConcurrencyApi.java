package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.ProvisionedConcurrency;
import dev.kindling.control.ReservedConcurrency;

/**
 * The concurrency operations of the Lambda API, at the paths of botocore's service model: PutFunctionConcurrency and
 * DeleteFunctionConcurrency (2017-10-31), GetFunctionConcurrency and the provisioned concurrency operations
 * (2019-09-30).
 */
public final class ConcurrencyApi implements ApiServer.Operations {
    private static final String RESERVED = "ReservedConcurrentExecutions";
    private static final String PROVISIONED = "ProvisionedConcurrentExecutions";
    private static final String PROVISIONED_PATH = "/2019-09-30/functions/{name}/provisioned-concurrency";
    /** The model's MaxProvisionedConcurrencyConfigListItems. */
    private static final int MAX_LIST_ITEMS = 50;

    private final FunctionService functions;
    private final ReservedConcurrency reserved;
    private final ProvisionedConcurrency provisioned;

    public ConcurrencyApi(FunctionService functions, ReservedConcurrency reserved, ProvisionedConcurrency provisioned) {
        this.functions = functions;
        this.reserved = reserved;
        this.provisioned = provisioned;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("PutFunctionConcurrency", "PUT", "/2017-10-31/functions/{name}/concurrency", this::putReserved)
                .add("DeleteFunctionConcurrency", "DELETE", "/2017-10-31/functions/{name}/concurrency",
                        this::deleteReserved)
                .add("GetFunctionConcurrency", "GET", "/2019-09-30/functions/{name}/concurrency", this::getReserved)
                .add("PutProvisionedConcurrencyConfig", "PUT", PROVISIONED_PATH, this::putProvisioned)
                .add("GetProvisionedConcurrencyConfig", "GET", PROVISIONED_PATH, this::getOrListProvisioned)
                .add("DeleteProvisionedConcurrencyConfig", "DELETE", PROVISIONED_PATH, this::deleteProvisioned);
    }

    private ApiResponse putReserved(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        FunctionRef ref = function(request);
        ObjectNode answer = Json.object().put(RESERVED, reserved.put(ref, requiredInt(body, RESERVED)));
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

    private ApiResponse putProvisioned(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        FunctionRef ref = qualified(request);
        return ApiResponse.json(202, config(provisioned.put(ref, requiredInt(body, PROVISIONED)), false));
    }

    /** GET on the path is GetProvisionedConcurrencyConfig, or ListProvisionedConcurrencyConfigs with List=ALL. */
    private ApiResponse getOrListProvisioned(ApiRequest request) {
        if (request.queryParam("List").isPresent()) {
            return listProvisioned(request);
        }
        return ApiResponse.json(200, config(provisioned.get(qualified(request)), false));
    }

    private ApiResponse listProvisioned(ApiRequest request) {
        Integer maxItems = ListParameters.maxItems(request, MAX_LIST_ITEMS);
        ProvisionedConcurrency.Page page = provisioned.list(function(request),
                request.queryParam("Marker").orElse(null), maxItems);
        ObjectNode body = Json.object();
        ArrayNode configs = body.putArray("ProvisionedConcurrencyConfigs");
        page.configs().forEach(view -> configs.add(config(view, true)));
        page.nextMarker().ifPresent(marker -> body.put("NextMarker", marker));
        return ApiResponse.json(200, body);
    }

    private ApiResponse deleteProvisioned(ApiRequest request) {
        provisioned.delete(qualified(request));
        return ApiResponse.empty(204);
    }

    /** A configuration in AWS's shape; a list entry also names the version or alias by its ARN. */
    private ObjectNode config(ProvisionedConcurrency.View view, boolean listed) {
        ObjectNode c = Json.object();
        if (listed) {
            c.put("FunctionArn", functions.arn(view.functionName() + ":" + view.qualifier()));
        }
        c.put("RequestedProvisionedConcurrentExecutions", view.requested());
        c.put("AvailableProvisionedConcurrentExecutions", view.status().allocated());
        c.put("AllocatedProvisionedConcurrentExecutions", view.status().allocated());
        c.put("Status", view.status().status().name());
        view.status().reason().ifPresent(reason -> c.put("StatusReason", reason));
        c.put("LastModified", FunctionsApi.LAST_MODIFIED.format(view.lastModified()));
        return c;
    }

    private static int requiredInt(JsonNode body, String field) {
        Integer value = RequestFields.optionalInt(body, field);
        if (value == null) {
            throw ConstraintViolations.missingMember(RequestFields.lowerFirst(field));
        }
        return value;
    }

    /** The version or alias the FunctionName and the required Qualifier name. */
    private FunctionRef qualified(ApiRequest request) {
        FunctionRef ref = functions.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
        if (!ref.isQualified()) {
            throw ConstraintViolations.missingMember("qualifier");
        }
        return ref;
    }

    /** These operations take the model's FunctionName shape, as the update operations do. */
    private FunctionRef function(ApiRequest request) {
        return functions.parseRefToChange(request.pathParam("name"));
    }
}
