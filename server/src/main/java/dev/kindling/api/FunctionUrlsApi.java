package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionUrlConfigs;
import dev.kindling.store.CorsSettings;
import dev.kindling.store.FunctionUrlConfigRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** The function URL configuration operations of the Lambda API (2021-10-31), in botocore's shapes. */
public final class FunctionUrlsApi implements ApiServer.Operations {
    /** AWS writes these times with microseconds: {@code 2021-10-29T17:24:49.571347Z}. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String URL = "/2021-10-31/functions/{name}/url";

    private final FunctionUrlConfigs configs;

    public FunctionUrlsApi(FunctionUrlConfigs configs) {
        this.configs = configs;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("CreateFunctionUrlConfig", "POST", URL, this::create)
                .add("GetFunctionUrlConfig", "GET", URL, this::get)
                .add("UpdateFunctionUrlConfig", "PUT", URL, this::update)
                .add("DeleteFunctionUrlConfig", "DELETE", URL, this::delete)
                .add("ListFunctionUrlConfigs", "GET", "/2021-10-31/functions/{name}/urls", this::list);
    }

    private ApiResponse create(ApiRequest request) {
        FunctionUrlConfigRecord created = configs.create(ref(request), settings(request));
        // The answer to a create shows InvokeMode only when it was sent, and no LastModifiedTime, as AWS's does.
        ObjectNode body = shown(created, false);
        created.invokeMode().ifPresent(mode -> body.put("InvokeMode", mode));
        return ApiResponse.json(201, body);
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, read(configs.get(ref(request))));
    }

    private ApiResponse update(ApiRequest request) {
        FunctionUrlConfigRecord updated = configs.update(ref(request), settings(request));
        ObjectNode body = shown(updated, true);
        updated.invokeMode().ifPresent(mode -> body.put("InvokeMode", mode));
        return ApiResponse.json(200, body);
    }

    private ApiResponse delete(ApiRequest request) {
        configs.delete(ref(request));
        return ApiResponse.empty(204);
    }

    private ApiResponse list(ApiRequest request) {
        FunctionUrlConfigs.Page page = configs.list(request.pathParam("name"), request.queryParam("Marker"),
                RequestFields.integerQuery(request, "MaxItems"));
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("FunctionUrlConfigs");
        page.configs().forEach(c -> list.add(read(c)));
        page.nextMarker().ifPresent(marker -> body.put("NextMarker", marker));
        return ApiResponse.json(200, body);
    }

    /** GetFunctionUrlConfig and list entries: InvokeMode always (BUFFERED when never set). */
    private ObjectNode read(FunctionUrlConfigRecord config) {
        ObjectNode body = shown(config, true);
        body.put("InvokeMode", config.invokeMode().orElse("BUFFERED"));
        return body;
    }

    private ObjectNode shown(FunctionUrlConfigRecord config, boolean withLastModified) {
        ObjectNode body = Json.object();
        body.put("FunctionUrl", configs.url(config));
        body.put("FunctionArn", configs.functionArn(config));
        body.put("AuthType", config.authType());
        config.cors().ifPresent(cors -> body.set("Cors", cors(cors)));
        body.put("CreationTime", time(config.created()));
        if (withLastModified) {
            body.put("LastModifiedTime", time(config.lastModified()));
        }
        return body;
    }

    private static ObjectNode cors(CorsSettings cors) {
        ObjectNode node = Json.object();
        cors.allowCredentials().ifPresent(c -> node.put("AllowCredentials", c));
        cors.allowHeaders().ifPresent(h -> h.forEach(node.putArray("AllowHeaders")::add));
        cors.allowMethods().ifPresent(m -> m.forEach(node.putArray("AllowMethods")::add));
        cors.allowOrigins().ifPresent(o -> o.forEach(node.putArray("AllowOrigins")::add));
        cors.exposeHeaders().ifPresent(h -> h.forEach(node.putArray("ExposeHeaders")::add));
        cors.maxAge().ifPresent(age -> node.put("MaxAge", age));
        return node;
    }

    private FunctionRef ref(ApiRequest request) {
        return configs.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
    }

    private static FunctionUrlConfigs.Settings settings(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        JsonNode cors = body.path("Cors");
        Optional<CorsSettings> corsSettings = cors.isMissingNode() || cors.isNull() ? Optional.empty()
                : Optional.of(corsOf(cors));
        return new FunctionUrlConfigs.Settings(RequestFields.text(body, "AuthType"), corsSettings,
                RequestFields.text(body, "InvokeMode"));
    }

    private static CorsSettings corsOf(JsonNode cors) {
        if (!cors.isObject()) {
            throw RequestFields.wrongType("Cors", "an object");
        }
        JsonNode credentials = cors.get("AllowCredentials");
        if (credentials != null && !credentials.isNull() && !credentials.isBoolean()) {
            throw RequestFields.wrongType("Cors.AllowCredentials", "a boolean");
        }
        return new CorsSettings(
                credentials == null || credentials.isNull() ? Optional.empty() : Optional.of(credentials.asBoolean()),
                list(cors, "AllowHeaders"), list(cors, "AllowMethods"), list(cors, "AllowOrigins"),
                list(cors, "ExposeHeaders"), Optional.ofNullable(RequestFields.optionalInt(cors, "MaxAge")));
    }

    private static Optional<List<String>> list(JsonNode cors, String field) {
        return Optional.ofNullable(RequestFields.stringList(cors.path(field), "Cors." + field));
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }
}
