package dev.kindling.triggers;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.AccessRequest;
import dev.kindling.control.FunctionPolicies;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.FunctionUrlConfigs;
import dev.kindling.iam.Identity;
import dev.kindling.invoke.InvokeResult;
import dev.kindling.invoke.Invoker;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.FunctionUrlConfigRecord;
import dev.kindling.telemetry.TraceHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request to a function URL gets, as on AWS. In order: an unknown URL id is 403; a CORS preflight is answered
 * here from the URL's Cors settings, without the function; then the caller must be allowed (AWS_IAM: a valid SigV4
 * signature, service lambda, by an identity Kindling knows; NONE: the resource policy must grant anyone both
 * lambda:InvokeFunctionUrl with FunctionUrlAuthType NONE and lambda:InvokeFunction through a URL), else 403; the
 * request becomes a payload 2.0 event (6 MB at most, else 413) and runs through the normal invoke path (concurrency,
 * logs, metrics, usage); a function error or timeout is 502; the result is mapped back to HTTP, with the URL's CORS
 * headers. RESPONSE_STREAM URLs are answered buffered for now.
 */
public final class FunctionUrlRequests {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionUrlRequests.class);
    /** AWS's limit on an invocation's event. */
    public static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    private static final String FORBIDDEN = "Forbidden. For troubleshooting Function URL authorization issues, see:"
            + " https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";

    private final FunctionUrlConfigs configs;
    private final FunctionPolicies policies;
    private final FunctionService functions;
    private final Invoker invoker;

    public FunctionUrlRequests(FunctionUrlConfigs configs, FunctionPolicies policies, FunctionService functions,
            Invoker invoker) {
        this.configs = configs;
        this.policies = policies;
        this.functions = functions;
        this.invoker = invoker;
    }

    /** Checks a request's SigV4 signature: the identity that signed it, or the AWS error that says why not. */
    @FunctionalInterface
    public interface SignatureCheck {
        Identity verify();
    }

    /**
     * Serves one request to the URL {@code urlId}.
     *
     * @param domainName the host the request named (requestContext.domainName)
     * @param signature checks the request's signature; called only for an AWS_IAM URL that was sent one
     */
    public HttpAnswer serve(String urlId, String domainName, HttpExchange exchange, SignatureCheck signature)
            throws Exception {
        Optional<FunctionUrlConfigRecord> found = configs.byUrlId(urlId);
        if (found.isEmpty()) {
            return denied("null");
        }
        FunctionUrlConfigRecord config = found.get();
        CorsHeaders cors = new CorsHeaders(config.cors(), exchange.header("Origin"));
        if (cors.isPreflight(exchange)) {
            return cors.preflight();
        }
        FunctionRef target = FunctionUrlConfigs.target(config);
        Optional<Identity> caller = Optional.empty();
        if (config.authType().equals("AWS_IAM")) {
            if (exchange.header("Authorization").isEmpty()) {
                return denied(quoted(FORBIDDEN));
            }
            try {
                caller = Optional.of(signature.verify());
            } catch (LambdaException e) {
                return denied(quoted(e.getMessage()));
            }
        } else if (!publicAccessAllowed(target)) {
            return denied(quoted(FORBIDDEN));
        }
        FunctionRecord f;
        try {
            f = invoker.resolve(target);
        } catch (LambdaException e) { // the URL's alias was deleted: AWS keeps the URL and refuses its requests
            return denied(quoted(FORBIDDEN));
        }
        byte[] event = event(config, domainName, exchange, caller);
        if (event.length > MAX_EVENT_BYTES) {
            return HttpAnswer.text(413, "application/json", "{\"Message\":\"Request must be smaller than "
                    + MAX_EVENT_BYTES + " bytes for the InvokeFunction operation\"}");
        }
        return cors.onResponse(invoke(exchange, target, f, event));
    }

    private boolean publicAccessAllowed(FunctionRef target) {
        AccessRequest url = AccessRequest.viaFunctionUrl(AccessRequest.INVOKE_FUNCTION_URL, "NONE", Optional.empty());
        return policies.allows(target, url) && policies.allows(target, url.withAction(AccessRequest.INVOKE_FUNCTION));
    }

    private HttpAnswer invoke(HttpExchange exchange, FunctionRef target, FunctionRecord f, byte[] event)
            throws Exception {
        InvokeResult result;
        try {
            result = invoker.invoke(exchange.requestId(), f, functions.arn(target.qualifiedName()), event, null,
                    exchange.header("X-Amzn-Trace-Id").flatMap(TraceHeader::parse), false);
        } catch (LambdaException e) {
            if (e.type() == ErrorType.TooManyRequestsException) {
                return HttpAnswer.text(429, "application/json", "{\"Message\":\"Rate Exceeded.\"}");
            }
            LOG.info("function URL request {} to {} failed: {}", exchange.requestId(), target.qualifiedName(),
                    e.getMessage());
            return PayloadV2Response.badGateway();
        }
        if (!result.functionError().isEmpty()) {
            return PayloadV2Response.badGateway();
        }
        return PayloadV2Response.map(result.payload());
    }

    private byte[] event(FunctionUrlConfigRecord config, String domainName, HttpExchange exchange,
            Optional<Identity> caller) {
        List<Map.Entry<String, String>> added = new ArrayList<>();
        added.add(Map.entry("x-forwarded-for", exchange.sourceIp()));
        added.add(Map.entry("x-forwarded-proto", "http"));
        exchange.header("Host").map(FunctionUrlRequests::portOf).ifPresent(port -> added.add(
                Map.entry("x-forwarded-port", port)));
        PayloadV2Event event = PayloadV2Event.of(exchange).apiId(config.urlId()).domainName(domainName)
                .routeKey("$default").stage("$default").addedHeaders(added)
                .accountId(caller.isPresent() ? functions.accountId() : "anonymous");
        caller.ifPresent(identity -> {
            String account = accountOf(identity.arn()).orElse(functions.accountId());
            String userId = identity.arn().endsWith(":root") ? account
                    : identity.arn().substring(identity.arn().lastIndexOf('/') + 1);
            event.authorizer(PayloadV2Event.iamAuthorizer(identity.accessKeyId(), account, identity.arn(), userId));
        });
        return event.toJson();
    }

    private static String portOf(String host) {
        int colon = host.lastIndexOf(':');
        return colon < 0 || host.endsWith("]") ? "80" : host.substring(colon + 1);
    }

    /** 403 as AWS answers a refused URL request, with {@code message} already a JSON value. */
    private static HttpAnswer denied(String message) {
        return new HttpAnswer(403, List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("x-amzn-ErrorType", "AccessDeniedException")),
                ("{\"Message\":" + message + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The account part of an IAM ARN. */
    private static Optional<String> accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && !parts[4].isEmpty() ? Optional.of(parts[4]) : Optional.empty();
    }
}
