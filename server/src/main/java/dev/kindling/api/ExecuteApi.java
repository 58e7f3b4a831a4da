package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.triggers.HttpAnswer;
import dev.kindling.triggers.HttpApiGateway;
import dev.kindling.triggers.HttpExchange;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;

/**
 * The front door of HTTP APIs on Kindling's one port: a request whose Host is {@code <api-id>.execute-api.localhost}
 * (an API's ApiEndpoint), or whose path starts with {@code /execute-api/<api-id>/} (for clients that cannot resolve
 * {@code *.localhost}), is the API's, whatever signature it carries; {@link HttpApiGateway} serves it.
 */
public final class ExecuteApi implements ApiServer.Service, ServiceRoutes {
    static final String PATH_PREFIX = "/execute-api/";
    private static final Pattern HOST = Pattern.compile("(?<api>[a-z0-9]{10})\\.execute-api\\.localhost(:\\d+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PREFIXED = Pattern.compile("/execute-api/(?<api>[a-z0-9]{10})(?<path>/.*)?");

    private final HttpApiGateway gateway;

    public ExecuteApi(HttpApiGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public ServiceRoutes routes() {
        return this;
    }

    @Override
    public boolean claims(ApiRequest request) {
        return host(request).isPresent() || request.rawPath().startsWith(PATH_PREFIX);
    }

    @Override
    public String signingName() {
        return "execute-api";
    }

    @Override
    public Router.Match route(ApiRequest request) {
        return new Router.Match("ExecuteApi", this::serve, request, false);
    }

    @Override
    public ApiResponse error(LambdaException e) {
        // Only the server around the API fails here (a body over the server's cap, an unexpected failure).
        return switch (e.type()) {
            case RequestEntityTooLargeException -> message(413, "Request Entity Too Large");
            default -> message(500, "Internal Server Error");
        };
    }

    private static ApiResponse message(int status, String message) {
        return ApiResponse.bytes(status, ("{\"message\":\"" + message + "\"}").getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "application/json");
    }

    private static Optional<Matcher> host(ApiRequest request) {
        return request.header("Host").map(HOST::matcher).filter(Matcher::matches);
    }

    private ApiResponse serve(ApiRequest request) {
        String apiId;
        String path;
        Optional<Matcher> host = host(request);
        if (host.isPresent()) {
            apiId = host.get().group("api").toLowerCase(Locale.ROOT);
            path = request.rawPath();
        } else {
            Matcher prefixed = PREFIXED.matcher(request.rawPath());
            if (!prefixed.matches()) {
                return message(404, "Not Found");
            }
            apiId = prefixed.group("api");
            path = prefixed.group("path") == null ? "/" : prefixed.group("path");
        }
        HttpExchange.Builder exchange = HttpExchange.builder().method(request.method()).rawPath(path)
                .rawQuery(request.rawQuery()).body(request.body()).sourceIp(request.client().sourceIp())
                .protocol(request.client().protocol()).receivedAt(Instant.now())
                .requestId(HttpApiGateway.newRequestId());
        for (HttpField field : request.headers()) {
            exchange.header(field.getName(), field.getValue());
        }
        HttpAnswer answer = gateway.serve(apiId, apiId + ".execute-api.localhost", exchange.build());
        ApiResponse response = ApiResponse.bytes(answer.status(), answer.body(), null);
        for (Map.Entry<String, String> header : answer.headers()) {
            response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }
}
