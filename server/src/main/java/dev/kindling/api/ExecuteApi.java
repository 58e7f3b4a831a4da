package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.iam.Identities;
import dev.kindling.triggers.HttpAnswer;
import dev.kindling.triggers.HttpApiGateway;
import dev.kindling.triggers.HttpExchange;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP APIs on the one port: {@code http://<api-id>.execute-api.localhost:<port>/<path>} by Host, as the API's
 * ApiEndpoint reads (curl and browsers resolve *.localhost to loopback), or by path,
 * {@code http://<host>:<port>/execute-api/<api-id>/<path>}, for clients that cannot resolve *.localhost. Either way
 * the API sees {@code /<path>}: a named stage's name first, then the route's path. {@link HttpApiGateway} serves it.
 */
public final class ExecuteApi implements DirectRoutes {
    private static final Pattern HOST = Pattern.compile("([a-z0-9]{10})\\.execute-api\\.localhost(:\\d+)?");
    private static final Pattern PATH = Pattern.compile("/execute-api/([a-z0-9]{10})(/.*)?");
    private static final Pattern EXECUTE_API_SCOPE = Pattern.compile(
            "Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/execute-api/aws4_request");

    private final HttpApiGateway gateway;
    private final SigV4Verifier verifier;

    /** @param identities who may sign requests to routes with AuthorizationType AWS_IAM */
    public ExecuteApi(HttpApiGateway gateway, Identities identities) {
        this.gateway = gateway;
        this.verifier = new SigV4Verifier(identities);
    }

    @Override
    public boolean claims(ApiRequest request) {
        // Asked of every request on the port: the common answer (no) is found without a regular expression.
        String host = request.headers().get(org.eclipse.jetty.http.HttpHeader.HOST);
        return host != null && HostNames.mentions(host, ".execute-api.") && byHost(request).isPresent()
                || request.rawPath().startsWith("/execute-api/") && PATH.matcher(request.rawPath()).matches();
    }

    @Override
    public int maxBodyBytes() {
        return HttpApiGateway.MAX_BODY_BYTES;
    }

    @Override
    public HttpAnswer tooLarge() {
        return HttpApiGateway.message(413, "Request Entity Too Large");
    }

    @Override
    public HttpAnswer serve(ApiRequest request, String sourceIp, String protocol) {
        Optional<String> hostId = byHost(request);
        String apiId;
        String path;
        if (hostId.isPresent()) {
            apiId = hostId.get();
            path = request.rawPath();
        } else {
            Matcher m = PATH.matcher(request.rawPath());
            m.matches();
            apiId = m.group(1);
            path = m.group(2) == null ? "/" : m.group(2);
        }
        HttpExchange.Builder exchange = HttpExchange.builder().method(request.method()).rawPath(path)
                .rawQuery(request.rawQuery()).body(request.body()).sourceIp(sourceIp).protocol(protocol)
                .receivedAt(Instant.now()).requestId(HttpApiGateway.newRequestId());
        request.headers().forEach(field -> exchange.header(field.getName(), field.getValue()));
        return gateway.serve(apiId, apiId + ".execute-api.localhost", exchange.build(), () -> {
            if (!request.header("Authorization").map(a -> EXECUTE_API_SCOPE.matcher(a).find()).orElse(false)) {
                throw new LambdaException(LambdaException.ErrorType.InvalidSignatureException,
                        "Credential should be scoped to correct service: 'execute-api'.");
            }
            return verifier.verify(request);
        });
    }

    private static Optional<String> byHost(ApiRequest request) {
        Matcher m = HOST.matcher(request.header("Host").orElse("").toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
