package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.AliasService;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.store.AliasRecord;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The alias operations of the Lambda API, in the shapes of botocore's service model. */
public final class AliasesApi implements ApiServer.Operations {
    private final FunctionService functions;
    private final AliasService aliases;

    public AliasesApi(FunctionService functions, AliasService aliases) {
        this.functions = functions;
        this.aliases = aliases;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("CreateAlias", "POST", "/2015-03-31/functions/{name}/aliases", this::create)
                .add("ListAliases", "GET", "/2015-03-31/functions/{name}/aliases", this::list)
                .add("GetAlias", "GET", "/2015-03-31/functions/{name}/aliases/{alias}", this::get)
                .add("UpdateAlias", "PUT", "/2015-03-31/functions/{name}/aliases/{alias}", this::update)
                .add("DeleteAlias", "DELETE", "/2015-03-31/functions/{name}/aliases/{alias}", this::delete);
    }

    private ApiResponse create(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        String name = text(body, "Name");
        if (name == null) {
            throw ConstraintViolations.missingMember("name");
        }
        AliasRecord created = aliases.create(function(request), name, settings(body));
        return ApiResponse.json(201, configuration(created));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, configuration(aliases.get(function(request), request.pathParam("alias"))));
    }

    private ApiResponse update(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        AliasRecord updated = aliases.update(function(request), request.pathParam("alias"), settings(body),
                text(body, "RevisionId"));
        return ApiResponse.json(200, configuration(updated));
    }

    private ApiResponse delete(ApiRequest request) {
        aliases.delete(function(request), request.pathParam("alias"));
        return ApiResponse.empty(204);
    }

    /** ListAliases: name order, paged by MaxItems with an opaque Marker (the last alias's name). */
    private ApiResponse list(ApiRequest request) {
        Integer maxItems = ListParameters.maxItems(request);
        int limit = maxItems == null ? 50 : maxItems;
        String after = request.queryParam("Marker").map(AliasesApi::decodeMarker).orElse("");
        List<AliasRecord> all = aliases.list(function(request), request.queryParam("FunctionVersion"));
        List<AliasRecord> rest = all.stream().filter(a -> a.name().compareTo(after) > 0).toList();
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("Aliases");
        rest.stream().limit(limit).forEach(alias -> list.add(configuration(alias)));
        if (rest.size() > limit) {
            body.put("NextMarker", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    rest.get(limit - 1).name().getBytes(StandardCharsets.UTF_8)));
        }
        return ApiResponse.json(200, body);
    }

    /** AliasConfiguration as AWS returns it: RoutingConfig only for an alias that has one. */
    private ObjectNode configuration(AliasRecord alias) {
        ObjectNode c = Json.object();
        c.put("AliasArn", functions.arn(alias.functionName() + ":" + alias.name()));
        c.put("Name", alias.name());
        c.put("FunctionVersion", alias.functionVersion());
        c.put("Description", alias.description());
        if (!alias.additionalVersionWeights().isEmpty()) {
            ObjectNode weights = c.putObject("RoutingConfig").putObject("AdditionalVersionWeights");
            alias.additionalVersionWeights().forEach(weights::put);
        }
        c.put("RevisionId", alias.revisionId());
        return c;
    }

    private FunctionRef function(ApiRequest request) {
        return functions.parseRef(request.pathParam("name"), "");
    }

    private static AliasService.AliasSettings settings(JsonNode body) {
        Optional<Map<String, Double>> weights = Optional.empty();
        JsonNode routing = body.get("RoutingConfig");
        if (routing != null && !routing.isNull()) {
            if (!routing.isObject()) {
                throw wrongType("RoutingConfig", "an object");
            }
            JsonNode additional = routing.path("AdditionalVersionWeights");
            Map<String, Double> map = new LinkedHashMap<>();
            if (additional.isObject()) {
                for (var entry : additional.properties()) {
                    JsonNode weight = entry.getValue();
                    if (!weight.isNull() && !weight.isNumber()) {
                        throw wrongType("RoutingConfig.AdditionalVersionWeights." + entry.getKey(), "a number");
                    }
                    map.put(entry.getKey(), weight.isNull() ? null : weight.asDouble());
                }
            } else if (!additional.isMissingNode() && !additional.isNull()) {
                throw wrongType("RoutingConfig.AdditionalVersionWeights", "an object");
            }
            weights = Optional.of(map);
        }
        return new AliasService.AliasSettings(Optional.ofNullable(text(body, "FunctionVersion")),
                Optional.ofNullable(text(body, "Description")), weights);
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return value.asText();
    }

    private static LambdaException wrongType(String field, String expected) {
        return new LambdaException(ErrorType.InvalidRequestContentException,
                "Could not parse request body into json: field '" + field + "' must be " + expected);
    }

    private static String decodeMarker(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Invalid Marker '" + marker + "': pass the NextMarker of a previous ListAliases response.");
        }
    }
}
