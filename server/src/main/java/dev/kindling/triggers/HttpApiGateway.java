package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.LambdaException;
import dev.kindling.control.AccessRequest;
import dev.kindling.control.FunctionPolicies;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.HttpApiService;
import dev.kindling.control.HttpApiSnapshot;
import dev.kindling.control.IntegrationUri;
import dev.kindling.invoke.InvokeResult;
import dev.kindling.invoke.Invoker;
import dev.kindling.store.FunctionRecord;
import dev.kindling.iam.Identity;
import dev.kindling.store.HttpApiIntegrationRecord;
import dev.kindling.store.HttpApiRouteRecord;
import dev.kindling.store.HttpApiStageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves requests to HTTP APIs, as API Gateway does. The life of a request:
 * <ol>
 * <li>the API is looked up (its snapshot, from memory); an API that is not there, or whose execute-api endpoint is
 * disabled, answers 404 or 403;
 * <li>the stage is the first path segment when it names one, else {@code $default} (served at the root); with
 * neither, or a stage that neither deploys itself nor has a deployment, 404 {@code {"message":"Not Found"}};
 * <li>the route is chosen ({@link HttpApiRouting}); with none, or none with an integration, 404;
 * <li>the integration's function is resolved, and its resource policy must let {@code apigateway.amazonaws.com}
 * invoke it for this API's route ARN; a function missing or not permitted answers 500
 * {@code {"message":"Internal Server Error"}}, as on AWS (where the reason goes to the access log);
 * <li>the event is built in the integration's payload format (1.0 or 2.0) and the function invoked through
 * {@link Invoker}, so concurrency, logs, metrics and usage count it like any Invoke;
 * <li>a function error answers 500; a result is mapped to the response by the payload format's rules (a malformed
 * one answers 500); no result within the integration's TimeoutInMillis answers 503 (the function runs on).
 * </ol>
 * With a CORS configuration, preflight requests are answered without a route, and answers to allowed origins carry
 * the configured headers ({@link CorsHeaders}, as function URLs).
 * Every answer carries {@code apigw-requestid}, the id the event's requestContext names.
 */
public final class HttpApiGateway {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PRINCIPAL = "apigateway.amazonaws.com";
    /** The largest request body an HTTP API takes. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** Lambda's limit on a synchronous invocation's event. */
    static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    /** How long Lambda gives an environment's init (Invoker's limit): a cold invocation may take it, twice at most. */
    private static final long INIT_LIMIT_MILLIS = 10_000;

    private final HttpApiService apis;
    private final FunctionService functions;
    private final FunctionPolicies policies;
    private final Invoker invoker;
    /** Integration URIs parsed (URIs were checked when stored, so only well-formed ones arrive here). */
    private final Map<String, FunctionRef> refs = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_REFS = 10_000;

    public HttpApiGateway(HttpApiService apis, FunctionService functions, FunctionPolicies policies, Invoker invoker) {
        this.apis = apis;
        this.functions = functions;
        this.policies = policies;
        this.invoker = invoker;
    }

    /**
     * Serves {@code exchange}, a request to API {@code apiId} whose path is the path within the API (the stage's
     * name first, for a named stage).
     *
     * @param domainName the host name the API was called by (its ApiEndpoint's)
     * @param signature checks the request's SigV4 signature; called only for an AWS_IAM route sent one
     */
    public HttpAnswer serve(String apiId, String domainName, HttpExchange exchange,
            FunctionUrlRequests.SignatureCheck signature) {
        HttpAnswer answer = route(apiId, domainName, exchange, signature);
        List<Map.Entry<String, String>> headers = new ArrayList<>(answer.headers());
        headers.add(Map.entry("apigw-requestid", exchange.requestId()));
        return new HttpAnswer(answer.status(), headers, answer.body());
    }

    /** A message as API Gateway words its own answers: {@code {"message":"Not Found"}}. */
    public static HttpAnswer message(int status, String message) {
        return HttpAnswer.text(status, "application/json", "{\"message\":\"" + message + "\"}");
    }

    private HttpAnswer route(String apiId, String domainName, HttpExchange exchange,
            FunctionUrlRequests.SignatureCheck signature) {
        Optional<HttpApiSnapshot> found = apis.snapshot(apiId);
        if (found.isEmpty()) {
            return message(404, "Not Found");
        }
        HttpApiSnapshot api = found.get();
        if (api.api().settings().disableExecuteApiEndpoint()) {
            return message(403, "Forbidden");
        }
        CorsHeaders cors = new CorsHeaders(api.api().settings().cors(), exchange.header("Origin"));
        if (cors.isPreflight(exchange)) { // answered by API Gateway itself, with or without an OPTIONS route
            HttpAnswer preflight = cors.preflight();
            return new HttpAnswer(204, preflight.headers(), preflight.body());
        }
        return cors.onResponse(routed(api, domainName, exchange, signature));
    }

    private HttpAnswer routed(HttpApiSnapshot api, String domainName, HttpExchange exchange,
            FunctionUrlRequests.SignatureCheck signature) {
        Optional<StagePath> stage = stage(api, exchange.rawPath());
        if (stage.isEmpty()) {
            return message(404, "Not Found");
        }
        Optional<HttpApiRouting.Match> match = HttpApiRouting.select(api.routes(), exchange.method(),
                stage.get().path());
        Optional<HttpApiIntegrationRecord> integration = match.flatMap(m -> api.integrationOf(m.route().record()));
        if (integration.isEmpty()) {
            return message(404, "Not Found");
        }
        Optional<Identity> caller = Optional.empty();
        if (match.get().route().record().authorization() == HttpApiRouteRecord.Authorization.AWS_IAM) {
            if (exchange.header("Authorization").isEmpty()) {
                return message(403, "Forbidden");
            }
            try {
                caller = Optional.of(signature.verify());
            } catch (LambdaException e) {
                return HttpAnswer.text(403, "application/json", JSON.createObjectNode().put("message",
                        e.getMessage()).toString());
            }
        }
        return invoke(new Call(api, stage.get().stage(), match.get(), integration.get(), domainName, caller),
                exchange);
    }

    /** The stage a path is for, and the path within it. */
    private record StagePath(HttpApiStageRecord stage, String path) {}

    private static Optional<StagePath> stage(HttpApiSnapshot api, String rawPath) {
        List<String> segments = HttpApiRouting.segments(rawPath);
        if (!segments.isEmpty()) {
            HttpApiStageRecord named = api.stages().get(HttpApiRouting.decode(segments.getFirst()));
            if (named != null && !named.stageName().equals(HttpApiService.DEFAULT_STAGE)) {
                String rest = rawPath.substring(1 + segments.getFirst().length());
                return named.serves() ? Optional.of(new StagePath(named, rest.isEmpty() ? "/" : rest))
                        : Optional.empty();
            }
        }
        return Optional.ofNullable(api.stages().get(HttpApiService.DEFAULT_STAGE)).filter(HttpApiStageRecord::serves)
                .map(s -> new StagePath(s, rawPath));
    }

    /** What one routed request invokes, and how. */
    private record Call(HttpApiSnapshot api, HttpApiStageRecord stage, HttpApiRouting.Match match,
            HttpApiIntegrationRecord integration, String domainName, Optional<Identity> caller) {
        String apiId() {
            return api.api().apiId();
        }

        /** The ARN API Gateway invokes as ({@code AWS:SourceArn}): {@code <api>/<stage>/<method>/<route path>}. */
        String sourceArn(String region, String accountId, String method) {
            var key = match.route().key();
            String resource = key.isDefault() ? "$default" : method + key.path();
            return "arn:aws:execute-api:" + region + ":" + accountId + ":" + apiId() + "/" + stage.stageName() + "/"
                    + resource;
        }
    }

    private HttpAnswer invoke(Call call, HttpExchange exchange) {
        FunctionRef ref;
        FunctionRecord f;
        try {
            ref = functionOf(call.integration().integrationUri());
            f = invoker.resolve(ref);
        } catch (RuntimeException e) {
            LOG.info("HTTP API {} route '{}': its integration's function cannot be invoked: {}", call.apiId(),
                    call.match().route().key().text(), e.getMessage());
            return message(500, "Internal Server Error");
        }
        String sourceArn = call.sourceArn(apis.region(), apis.accountId(), exchange.method());
        if (!policies.allows(ref, AccessRequest.byService(PRINCIPAL, sourceArn))) {
            LOG.info("HTTP API {}: function {} does not allow {} to invoke it for {} (AddPermission): answered 500",
                    call.apiId(), ref.qualifiedName(), PRINCIPAL, sourceArn);
            return message(500, "Internal Server Error");
        }
        byte[] event = event(call, exchange);
        if (event.length > MAX_EVENT_BYTES) {
            return message(413, "Request Entity Too Large");
        }
        InvokeResult result;
        try {
            result = run(f, functions.arn(ref.qualifiedName()), event, call.integration().timeoutMillis());
        } catch (TimeoutException e) {
            // The integration's timeout passed: API Gateway answers 503, and the function runs on to its own end.
            LOG.info("HTTP API {}: {} did not answer within the integration's {} ms: answered 503", call.apiId(),
                    ref.qualifiedName(), call.integration().timeoutMillis());
            return message(503, "Service Unavailable");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LambdaException refused) { // throttled, or the function went meanwhile
                LOG.info("HTTP API {}: invoking {} failed: {}", call.apiId(), ref.qualifiedName(),
                        refused.getMessage());
            } else {
                LOG.warn("HTTP API {}: invoking {} failed", call.apiId(), ref.qualifiedName(), e.getCause());
            }
            return message(500, "Internal Server Error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return message(503, "Service Unavailable");
        }
        if (!result.functionError().isEmpty()) {
            return message(500, "Internal Server Error");
        }
        return call.integration().payloadFormat().equals("1.0")
                ? PayloadV1Response.map(result.payload()).orElseGet(() -> message(500, "Internal Server Error"))
                : mapV2(result.payload());
    }

    /**
     * Invokes {@code f} and waits at most {@code timeoutMillis} for its result. A function whose own Timeout (with
     * the time two inits may take) ends within that is invoked on this thread; another runs on a thread of its own,
     * which outlives a wait that times out, as the invocation outlives API Gateway's answer on AWS.
     */
    private InvokeResult run(FunctionRecord f, String invokedArn, byte[] event, int timeoutMillis)
            throws TimeoutException, ExecutionException, InterruptedException {
        long longest = f.timeoutSeconds() * 1000L + 2 * INIT_LIMIT_MILLIS;
        if (longest <= timeoutMillis) {
            try {
                return invoker.invoke(UUID.randomUUID().toString(), f, invokedArn, event, null, Optional.empty(),
                        false);
            } catch (Exception e) {
                throw new ExecutionException(e);
            }
        }
        CompletableFuture<InvokeResult> running = new CompletableFuture<>();
        Thread.ofVirtual().name("http-api-invoke").start(() -> {
            try {
                running.complete(invoker.invoke(UUID.randomUUID().toString(), f, invokedArn, event, null,
                        Optional.empty(), false));
            } catch (Throwable e) {
                running.completeExceptionally(e);
            }
        });
        return running.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The function an integration URI names; parsed once per URI (the two parses are regular expressions). */
    private FunctionRef functionOf(String integrationUri) {
        FunctionRef known = refs.get(integrationUri);
        if (known != null) {
            return known;
        }
        String arn = IntegrationUri.parse(integrationUri, apis.region(), apis.accountId()).functionArn();
        FunctionRef ref = functions.parseRef(arn, "");
        if (refs.size() < MAX_CACHED_REFS) {
            refs.put(integrationUri, ref);
        }
        return ref;
    }

    private byte[] event(Call call, HttpExchange exchange) {
        var key = call.match().route().key();
        List<Map.Entry<String, String>> added = new ArrayList<>(List.of(
                Map.entry("X-Forwarded-For", exchange.sourceIp()), Map.entry("X-Forwarded-Proto", "http")));
        exchange.header("Host").map(HttpApiGateway::portOf).ifPresent(p -> added.add(Map.entry("X-Forwarded-Port", p)));
        Optional<PayloadV1Event.Caller> caller = call.caller().map(this::caller);
        if (call.integration().payloadFormat().equals("1.0")) {
            PayloadV1Event v1 = PayloadV1Event.of(exchange).accountId(apis.accountId()).apiId(call.apiId())
                    .domainName(call.domainName())
                    .route(key.text(), key.isDefault() ? Optional.empty() : Optional.of(key.path()))
                    .stage(call.stage().stageName()).pathParameters(call.match().pathParameters())
                    .stageVariables(call.stage().variables()).addedHeaders(added);
            caller.ifPresent(v1::caller);
            return v1.toJson();
        }
        PayloadV2Event v2 = PayloadV2Event.of(exchange).accountId(apis.accountId()).apiId(call.apiId())
                .domainName(call.domainName()).routeKey(key.text()).stage(call.stage().stageName())
                .addedHeaders(added);
        caller.ifPresent(c -> v2.authorizer(PayloadV2Event.iamAuthorizer(c.accessKey(), c.accountId(), c.userArn(),
                c.userId())));
        if (!call.match().pathParameters().isEmpty()) {
            v2.pathParameters(call.match().pathParameters());
        }
        if (!call.stage().variables().isEmpty()) {
            v2.stageVariables(call.stage().variables());
        }
        return v2.toJson();
    }

    /** The signer as an event names it: account and user id read from its ARN (the account root: the account). */
    private PayloadV1Event.Caller caller(Identity identity) {
        String[] parts = identity.arn().split(":", 6);
        String account = parts.length == 6 && !parts[4].isEmpty() ? parts[4] : apis.accountId();
        String userId = identity.arn().endsWith(":root") ? account
                : identity.arn().substring(identity.arn().lastIndexOf('/') + 1);
        return new PayloadV1Event.Caller(identity.accessKeyId(), account, userId, identity.arn());
    }

    /** The port a Host header names (80 when it names none), as X-Forwarded-Port carries it. */
    private static String portOf(String host) {
        int colon = host.lastIndexOf(':');
        return colon < 0 || host.endsWith("]") ? "80" : host.substring(colon + 1);
    }

    /**
     * Format 2.0's mapping, except that a response it cannot send is API Gateway's 500, not a function URL's 502:
     * the function's own statusCode is told apart from the mapping's refusal by reading it.
     */
    private static HttpAnswer mapV2(byte[] result) {
        HttpAnswer answer = PayloadV2Response.map(result);
        if (answer.status() == 502 && declaredStatus(result) != 502) {
            return message(500, "Internal Server Error");
        }
        return answer;
    }

    private static int declaredStatus(byte[] result) {
        try {
            JsonNode node = JSON.readTree(result);
            return node != null ? node.path("statusCode").asInt(-1) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** An id in API Gateway's form for requestContext.requestId and apigw-requestid (16 characters, base64). */
    public static String newRequestId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).replace('/', 'A').replace('+', 'B')
                .substring(0, 15) + "=";
    }
}
