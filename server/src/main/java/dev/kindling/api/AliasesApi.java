package dev.kindling.api;

import static dev.kindling.api.RequestFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.AliasService;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.store.AliasRecord;
import java.util.LinkedHashMap;
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
        String name = optionalText(body, "Name");
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
                optionalText(body, "RevisionId"));
        return ApiResponse.json(200, configuration(updated));
    }

    private ApiResponse delete(ApiRequest request) {
        aliases.delete(function(request), request.pathParam("alias"));
        return ApiResponse.empty(204);
    }

    private ApiResponse list(ApiRequest request) {
        AliasService.Page page = aliases.list(function(request), request.queryParam("FunctionVersion"),
                request.queryParam("Marker").orElse(null), ListParameters.maxItems(request));
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("Aliases");
        page.aliases().forEach(alias -> list.add(configuration(alias)));
        page.nextMarker().ifPresent(marker -> body.put("NextMarker", marker));
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
                throw RequestFields.wrongType("RoutingConfig", "an object");
            }
            JsonNode additional = routing.path("AdditionalVersionWeights");
            Map<String, Double> map = new LinkedHashMap<>();
            if (additional.isObject()) {
                for (var entry : additional.properties()) {
                    JsonNode weight = entry.getValue();
                    if (!weight.isNull() && !weight.isNumber()) {
                        throw RequestFields.wrongType("RoutingConfig.AdditionalVersionWeights." + entry.getKey(), "a number");
                    }
                    map.put(entry.getKey(), weight.isNull() ? null : weight.asDouble());
                }
            } else if (!additional.isMissingNode() && !additional.isNull()) {
                throw RequestFields.wrongType("RoutingConfig.AdditionalVersionWeights", "an object");
            }
            weights = Optional.of(map);
        }
        return new AliasService.AliasSettings(Optional.ofNullable(optionalText(body, "FunctionVersion")),
                Optional.ofNullable(optionalText(body, "Description")), weights);
    }
}
