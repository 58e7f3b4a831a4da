package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.ProvisionedConcurrency;
import dev.kindling.control.ReservedConcurrency;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * The concurrency operations of the Lambda API, at the paths of botocore's service model: PutFunctionConcurrency and
 * DeleteFunctionConcurrency (2017-10-31), GetFunctionConcurrency and the provisioned concurrency operations
 * (2019-09-30).
 */
public final class ConcurrencyApi implements ApiServer.Operations {
    private static final String RESERVED = "ReservedConcurrentExecutions";
    private static final String PROVISIONED = "ProvisionedConcurrentExecutions";
    private static final String PROVISIONED_PATH = "/2019-09-30/functions/{name}/provisioned-concurrency";
    /** AWS writes LastModified of these configurations as of a function: 2024-01-02T03:04:05.678+0000. */
    private static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
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

    private ApiResponse putProvisioned(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        FunctionRef ref = qualified(request);
        JsonNode value = body.get(PROVISIONED);
        if (value == null || value.isNull()) {
            throw ConstraintViolations.missingMember("provisionedConcurrentExecutions");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new LambdaException(ErrorType.InvalidRequestContentException,
                    "Could not parse request body into json: field '" + PROVISIONED + "' must be an integer");
        }
        return ApiResponse.json(202, config(provisioned.put(ref, value.asInt()), false));
    }

    /** GET on the path is GetProvisionedConcurrencyConfig, or ListProvisionedConcurrencyConfigs with List=ALL. */
    private ApiResponse getOrListProvisioned(ApiRequest request) {
        if (request.queryParam("List").isPresent()) {
            return listProvisioned(request);
        }
        return ApiResponse.json(200, config(provisioned.get(qualified(request)), false));
    }

    private ApiResponse listProvisioned(ApiRequest request) {
        int maxItems = maxItems(request);
        List<ProvisionedConcurrency.View> all = provisioned.list(function(request));
        String after = request.queryParam("Marker").filter(m -> !m.isEmpty()).map(ConcurrencyApi::decodeMarker)
                .orElse("");
        List<ProvisionedConcurrency.View> rest = all.stream().filter(v -> v.qualifier().compareTo(after) > 0).toList();
        ObjectNode body = Json.object();
        ArrayNode configs = body.putArray("ProvisionedConcurrencyConfigs");
        rest.stream().limit(maxItems).forEach(view -> configs.add(config(view, true)));
        if (rest.size() > maxItems) {
            body.put("NextMarker", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    rest.get(maxItems - 1).qualifier().getBytes(StandardCharsets.UTF_8)));
        }
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
        c.put("LastModified", LAST_MODIFIED.format(view.lastModified()));
        return c;
    }

    /** The version or alias the FunctionName and the required Qualifier name. */
    private FunctionRef qualified(ApiRequest request) {
        FunctionRef ref = functions.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
        if (!ref.isQualified()) {
            throw ConstraintViolations.missingMember("qualifier");
        }
        return ref;
    }

    private static int maxItems(ApiRequest request) {
        String value = request.queryParam("MaxItems").orElse(Integer.toString(MAX_LIST_ITEMS));
        int maxItems;
        try {
            maxItems = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "MaxItems must be an integer, not '" + value + "'.");
        }
        if (maxItems < 1) {
            throw ConstraintViolations.single(value, "maxItems", "Member must have value greater than or equal to 1");
        }
        if (maxItems > MAX_LIST_ITEMS) {
            throw ConstraintViolations.single(value, "maxItems",
                    "Member must have value less than or equal to " + MAX_LIST_ITEMS);
        }
        return maxItems;
    }

    private static String decodeMarker(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Invalid Marker '" + marker
                    + "': pass the NextMarker of a previous ListProvisionedConcurrencyConfigs response.");
        }
    }

    /** These operations take the model's FunctionName shape, as the update operations do. */
    private FunctionRef function(ApiRequest request) {
        return functions.parseRefToChange(request.pathParam("name"));
    }
}
