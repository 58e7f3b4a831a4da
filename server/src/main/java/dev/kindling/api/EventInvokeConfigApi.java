package dev.kindling.api;

import static dev.kindling.api.RequestFields.optionalInt;
import static dev.kindling.api.RequestFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.EventInvokeConfigService;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.store.EventInvokeConfigRecord;
import java.util.List;
import java.util.Optional;

/** The event invoke configuration operations of the Lambda API, in the shapes of botocore's service model. */
public final class EventInvokeConfigApi implements ApiServer.Operations {
    private static final String PATH = "/2019-09-25/functions/{name}/event-invoke-config";
    private static final int MAX_LIST_ITEMS = 50;

    private final FunctionService functions;
    private final EventInvokeConfigService configs;

    public EventInvokeConfigApi(FunctionService functions, EventInvokeConfigService configs) {
        this.functions = functions;
        this.configs = configs;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("PutFunctionEventInvokeConfig", "PUT", PATH, this::put)
                .add("UpdateFunctionEventInvokeConfig", "POST", PATH, this::update)
                .add("GetFunctionEventInvokeConfig", "GET", PATH, this::get)
                .add("DeleteFunctionEventInvokeConfig", "DELETE", PATH, this::delete)
                .add("ListFunctionEventInvokeConfigs", "GET", PATH + "/list", this::list);
    }

    private ApiResponse put(ApiRequest request) {
        return ApiResponse.json(200, shape(configs.put(ref(request), settings(request))));
    }

    private ApiResponse update(ApiRequest request) {
        return ApiResponse.json(200, shape(configs.update(ref(request), settings(request))));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, shape(configs.get(ref(request))));
    }

    private ApiResponse delete(ApiRequest request) {
        configs.delete(ref(request));
        return ApiResponse.empty(204);
    }

    private ApiResponse list(ApiRequest request) {
        Integer maxItems = ListParameters.maxItems(request);
        if (maxItems != null && maxItems > MAX_LIST_ITEMS) {
            throw ConstraintViolations.single(maxItems.toString(), "maxItems",
                    "Member must have value less than or equal to " + MAX_LIST_ITEMS);
        }
        int limit = maxItems == null ? MAX_LIST_ITEMS : maxItems;
        int from = request.queryParam("Marker").map(EventInvokeConfigApi::offset).orElse(0);
        List<EventInvokeConfigRecord> all = configs.list(ref(request));
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("FunctionEventInvokeConfigs");
        all.stream().skip(from).limit(limit).forEach(config -> list.add(shape(config)));
        if (from + limit < all.size()) {
            body.put("NextMarker", Integer.toString(from + limit));
        }
        return ApiResponse.json(200, body);
    }

    /** FunctionEventInvokeConfig as AWS returns it: unset limits left out, both destinations always present. */
    private ObjectNode shape(EventInvokeConfigRecord config) {
        ObjectNode c = Json.object();
        c.put("LastModified", config.lastModifiedMillis() / 1000.0);
        c.put("FunctionArn", configs.arn(config));
        config.maximumRetryAttempts().ifPresent(n -> c.put("MaximumRetryAttempts", n));
        config.maximumEventAgeSeconds().ifPresent(n -> c.put("MaximumEventAgeInSeconds", n));
        ObjectNode destinations = c.putObject("DestinationConfig");
        ObjectNode onSuccess = destinations.putObject("OnSuccess");
        config.onSuccess().ifPresent(arn -> onSuccess.put("Destination", arn));
        ObjectNode onFailure = destinations.putObject("OnFailure");
        config.onFailure().ifPresent(arn -> onFailure.put("Destination", arn));
        return c;
    }

    private FunctionRef ref(ApiRequest request) {
        return functions.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
    }

    private static EventInvokeConfigService.Settings settings(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        JsonNode destinations = body.path("DestinationConfig");
        return new EventInvokeConfigService.Settings(Optional.ofNullable(optionalInt(body, "MaximumRetryAttempts")),
                Optional.ofNullable(optionalInt(body, "MaximumEventAgeInSeconds")),
                Optional.ofNullable(optionalText(destinations.path("OnSuccess"), "Destination")),
                Optional.ofNullable(optionalText(destinations.path("OnFailure"), "Destination")));
    }

    private static int offset(String marker) {
        try {
            return Math.max(0, Integer.parseInt(marker));
        } catch (NumberFormatException e) {
            throw new dev.kindling.LambdaException(dev.kindling.LambdaException.ErrorType.InvalidParameterValueException,
                    "Invalid Marker '" + marker + "': pass the NextMarker of a previous ListFunctionEventInvokeConfigs"
                            + " response.");
        }
    }
}
