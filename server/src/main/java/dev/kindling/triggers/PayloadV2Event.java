package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The event of API Gateway's payload format 2.0, which function URLs and HTTP API routes send: built from the HTTP
 * request as AWS builds it. Headers are lower-cased, a repeated header's values joined with commas; Cookie headers
 * become the {@code cookies} list (and leave {@code headers}); repeated query parameters are joined with commas in
 * {@code queryStringParameters} (absent without a query); a body whose content type is not text (text/*, JSON, XML,
 * JavaScript) or that is not UTF-8 travels in base64 with {@code isBase64Encoded} true; no body, no {@code body}.
 *
 * <p>Usage: {@code PayloadV2Event.of(exchange).accountId(..).apiId(..).domainName(..).routeKey("$default")
 * .stage("$default").toJson()}.
 */
public final class PayloadV2Event {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** requestContext.time, as in {@code 12/Mar/2020:19:03:58 +0000}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final HttpExchange exchange;
    private String accountId = "anonymous";
    private String apiId = "";
    private String domainName = "";
    private String routeKey = "$default";
    private String stage = "$default";
    private Optional<Map<String, String>> pathParameters = Optional.empty();
    private Optional<Map<String, String>> stageVariables = Optional.empty();
    private Optional<JsonNode> authorizer = Optional.empty();
    private List<Map.Entry<String, String>> addedHeaders = List.of();

    private PayloadV2Event(HttpExchange exchange) {
        this.exchange = exchange;
    }

    public static PayloadV2Event of(HttpExchange exchange) {
        return new PayloadV2Event(exchange);
    }

    /** requestContext.accountId: the function owner's account ({@code anonymous} for an unauthenticated URL). */
    public PayloadV2Event accountId(String value) {
        accountId = value;
        return this;
    }

    /** requestContext.apiId: the URL id or the API id. */
    public PayloadV2Event apiId(String value) {
        apiId = value;
        return this;
    }

    /** requestContext.domainName (the Host the request was sent to, without port); domainPrefix is its first label. */
    public PayloadV2Event domainName(String value) {
        domainName = value;
        return this;
    }

    /** routeKey and requestContext.routeKey: {@code $default} for URLs, the matched route ({@code GET /users/{id}}) for APIs. */
    public PayloadV2Event routeKey(String value) {
        routeKey = value;
        return this;
    }

    public PayloadV2Event stage(String value) {
        stage = value;
        return this;
    }

    /** The route's path parameters (HTTP APIs); absent from the event when not set. */
    public PayloadV2Event pathParameters(Map<String, String> value) {
        pathParameters = Optional.of(value);
        return this;
    }

    /** The stage's variables (HTTP APIs); absent from the event when not set. */
    public PayloadV2Event stageVariables(Map<String, String> value) {
        stageVariables = Optional.of(value);
        return this;
    }

    /** requestContext.authorizer, e.g. {@link #iamAuthorizer} for a signed request. */
    public PayloadV2Event authorizer(JsonNode value) {
        authorizer = Optional.of(value);
        return this;
    }

    /** Headers the front door adds as AWS's does (x-forwarded-for, x-forwarded-proto, x-amzn-trace-id, ...). */
    public PayloadV2Event addedHeaders(List<Map.Entry<String, String>> value) {
        addedHeaders = List.copyOf(value);
        return this;
    }

    /** requestContext.authorizer of a SigV4-signed request: {@code {"iam": {...}}} as function URLs write it. */
    public static JsonNode iamAuthorizer(String accessKey, String accountId, String userArn, String userId) {
        ObjectNode authorizer = JSON.createObjectNode();
        ObjectNode iam = authorizer.putObject("iam");
        iam.put("accessKey", accessKey);
        iam.put("accountId", accountId);
        iam.put("callerId", userId);
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", userArn);
        iam.put("userId", userId);
        return authorizer;
    }

    public ObjectNode toNode() {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", exchange.rawPath());
        event.put("rawQueryString", exchange.rawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> h : exchange.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String cookie : h.getValue().split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.strip());
                    }
                }
            } else {
                headers.merge(name, h.getValue(), (a, b) -> a + "," + b);
            }
        }
        addedHeaders.forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        Map<String, String> query = queryParameters(exchange.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }
        event.set("requestContext", requestContext());
        Optional<String> text = text(exchange);
        if (exchange.body().length > 0) {
            event.put("body", text.orElseGet(() -> Base64.getEncoder().encodeToString(exchange.body())));
        }
        pathParameters.ifPresent(p -> {
            ObjectNode node = event.putObject("pathParameters");
            p.forEach(node::put);
        });
        event.put("isBase64Encoded", exchange.body().length > 0 && text.isEmpty());
        stageVariables.ifPresent(v -> {
            ObjectNode node = event.putObject("stageVariables");
            v.forEach(node::put);
        });
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
        authorizer.ifPresent(a -> context.set("authorizer", a));
        context.put("domainName", domainName);
        int dot = domainName.indexOf('.');
        context.put("domainPrefix", dot < 0 ? domainName : domainName.substring(0, dot));
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.method());
        http.put("path", exchange.rawPath());
        http.put("protocol", exchange.protocol());
        http.put("sourceIp", exchange.sourceIp());
        http.put("userAgent", exchange.header("User-Agent").orElse(""));
        context.put("requestId", exchange.requestId());
        context.put("routeKey", routeKey);
        context.put("stage", stage);
        context.put("time", TIME.format(exchange.receivedAt()));
        context.put("timeEpoch", exchange.receivedAt().toEpochMilli());
        return context;
    }

    /** Decoded query parameters in order of first appearance, repeated values joined with commas. */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.merge(key, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // a stray '%': AWS passes such a parameter through as sent
            return s;
        }
    }

    /** The body as text when its content type is textual and its bytes are UTF-8; empty when it goes in base64. */
    static Optional<String> text(HttpExchange exchange) {
        String type = exchange.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        boolean textual = type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript");
        if (!textual) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(exchange.body()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
