package dev.kindling.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The event of API Gateway's payload format 1.0 for an HTTP API route: the REST API proxy event that the guides'
 * handlers read ({@code event['httpMethod']}, {@code event['path']}, {@code event['body']}). Header names keep
 * the case the client sent (a name repeated in another case joins the first); {@code headers} and
 * {@code queryStringParameters} hold the last value of a repeated name, {@code multiValueHeaders} and
 * {@code multiValueQueryStringParameters} every value; each is null when there is none, as are
 * {@code pathParameters} and {@code stageVariables}. The body is text, or base64 with {@code isBase64Encoded} true
 * when its content type is not text (as in format 2.0).
 *
 * <p>Usage: {@code PayloadV1Event.of(exchange).accountId(..).apiId(..).domainName(..).route(..).stage(..).toJson()}.
 */
public final class PayloadV1Event {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpExchange exchange;
    private String accountId = "";
    private String apiId = "";
    private String domainName = "";
    private String routeKey = "$default";
    private String resourcePath;
    private String stage = "$default";
    private Map<String, String> pathParameters = Map.of();
    private Map<String, String> stageVariables = Map.of();
    private List<Map.Entry<String, String>> addedHeaders = List.of();
    private Optional<Caller> caller = Optional.empty();

    /** Who signed a request to an AWS_IAM route, as requestContext.identity names them. */
    public record Caller(String accessKey, String accountId, String userId, String userArn) {}

    private PayloadV1Event(HttpExchange exchange) {
        this.exchange = exchange;
        this.resourcePath = routeKey;
    }

    public static PayloadV1Event of(HttpExchange exchange) {
        return new PayloadV1Event(exchange);
    }

    /** requestContext.accountId: the API owner's account. */
    public PayloadV1Event accountId(String value) {
        accountId = value;
        return this;
    }

    public PayloadV1Event apiId(String value) {
        apiId = value;
        return this;
    }

    /** requestContext.domainName (the Host without its port); domainPrefix is its first label. */
    public PayloadV1Event domainName(String value) {
        domainName = value;
        return this;
    }

    /**
     * The route that matched: its key (requestContext.resourceId) and path ({@code resource} and
     * requestContext.resourcePath); the {@code $default} route has {@code $default} in all three.
     */
    public PayloadV1Event route(String key, Optional<String> path) {
        routeKey = key;
        resourcePath = path.orElse(key);
        return this;
    }

    public PayloadV1Event stage(String value) {
        stage = value;
        return this;
    }

    public PayloadV1Event pathParameters(Map<String, String> value) {
        pathParameters = value;
        return this;
    }

    public PayloadV1Event stageVariables(Map<String, String> value) {
        stageVariables = value;
        return this;
    }

    /** The identity that signed the request (a route with AuthorizationType AWS_IAM). */
    public PayloadV1Event caller(Caller value) {
        caller = Optional.of(value);
        return this;
    }

    /** Headers the front door adds as API Gateway's does (x-forwarded-for, x-forwarded-proto, ...). */
    public PayloadV1Event addedHeaders(List<Map.Entry<String, String>> value) {
        addedHeaders = List.copyOf(value);
        return this;
    }

    public ObjectNode toNode() {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "1.0");
        event.put("resource", resourcePath);
        event.put("path", exchange.rawPath());
        event.put("httpMethod", exchange.method());
        Map<String, String> names = new LinkedHashMap<>(); // lower-cased name -> the name as first sent
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : exchange.headers()) {
            String name = names.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> h.getKey());
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(h.getValue());
        }
        addedHeaders.forEach(h -> {
            if (names.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getKey()) == null) {
                headers.put(h.getKey(), new ArrayList<>(List.of(h.getValue())));
            }
        });
        putSingleAndMulti(event, "headers", "multiValueHeaders", headers);
        putSingleAndMulti(event, "queryStringParameters", "multiValueQueryStringParameters",
                queryParameters(exchange.rawQuery()));
        event.set("requestContext", requestContext());
        putMap(event, "pathParameters", pathParameters);
        putMap(event, "stageVariables", stageVariables);
        Optional<String> text = PayloadV2Event.text(exchange);
        if (exchange.body().length == 0) {
            event.putNull("body");
        } else {
            event.put("body", text.orElseGet(() -> Base64.getEncoder().encodeToString(exchange.body())));
        }
        event.put("isBase64Encoded", exchange.body().length > 0 && text.isEmpty());
        return event;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(toNode());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode requestContext() {
        ObjectNode context = JSON.createObjectNode();
        context.put("accountId", accountId);
        context.put("apiId", apiId);
        context.put("domainName", domainName);
        int dot = domainName.indexOf('.');
        context.put("domainPrefix", dot < 0 ? domainName : domainName.substring(0, dot));
        context.put("extendedRequestId", exchange.requestId());
        context.put("httpMethod", exchange.method());
        ObjectNode identity = context.putObject("identity");
        putOrNull(identity, "accessKey", caller.map(Caller::accessKey));
        putOrNull(identity, "accountId", caller.map(Caller::accountId));
        putOrNull(identity, "caller", caller.map(Caller::userId));
        for (String absent : new String[] {"cognitoAmr", "cognitoAuthenticationProvider",
                "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId"}) {
            identity.putNull(absent);
        }
        identity.put("sourceIp", exchange.sourceIp());
        putOrNull(identity, "user", caller.map(Caller::userId));
        identity.put("userAgent", exchange.header("User-Agent").orElse(""));
        putOrNull(identity, "userArn", caller.map(Caller::userArn));
        context.put("path", exchange.rawPath());
        context.put("protocol", exchange.protocol());
        context.put("requestId", exchange.requestId());
        context.put("requestTime", PayloadV2Event.TIME.format(exchange.receivedAt()));
        context.put("requestTimeEpoch", exchange.receivedAt().toEpochMilli());
        context.put("resourceId", routeKey);
        context.put("resourcePath", resourcePath);
        context.put("stage", stage);
        return context;
    }

    private static void putOrNull(ObjectNode node, String field, Optional<String> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.putNull(field);
        }
    }

    /** {@code single} with the last value of each name and {@code multi} with all; both null when there are none. */
    private static void putSingleAndMulti(ObjectNode event, String single, String multi,
            Map<String, List<String>> values) {
        if (values.isEmpty()) {
            event.putNull(single);
            event.putNull(multi);
            return;
        }
        ObjectNode singleNode = event.putObject(single);
        values.forEach((name, list) -> singleNode.put(name, list.getLast()));
        ObjectNode multiNode = event.putObject(multi);
        values.forEach((name, list) -> {
            ArrayNode array = multiNode.putArray(name);
            list.forEach(array::add);
        });
    }

    private static void putMap(ObjectNode event, String field, Map<String, String> values) {
        if (values.isEmpty()) {
            event.putNull(field);
        } else {
            ObjectNode node = event.putObject(field);
            values.forEach(node::put);
        }
    }

    /** Decoded query parameters with every value, in order of first appearance. */
    static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // a stray '%': passed through as sent
            return s;
        }
    }
}
