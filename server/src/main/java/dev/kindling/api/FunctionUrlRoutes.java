package dev.kindling.api;

import dev.kindling.iam.Identities;
import dev.kindling.triggers.FunctionUrlRequests;
import dev.kindling.triggers.HttpAnswer;
import dev.kindling.triggers.HttpExchange;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Function URLs on the one port: {@code http://<url-id>.lambda-url.<region>.localhost:<port>/<path>} by Host, as
 * the FunctionUrl reads (curl and browsers resolve *.localhost to loopback), or by path,
 * {@code http://<host>:<port>/lambda-url/<url-id>/<path>}, for clients that cannot resolve *.localhost. In the path
 * form the function sees {@code /<path>}; a signature must be made over the URL as sent.
 */
public final class FunctionUrlRoutes implements DirectRoutes {
    private static final Pattern HOST = Pattern.compile("([a-z0-9]{32})\\.lambda-url\\.[a-z0-9-]+\\.localhost(:\\d+)?");
    private static final Pattern PATH = Pattern.compile("/lambda-url/([a-z0-9]{32})(/.*)?");
    private static final Pattern LAMBDA_SCOPE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/lambda/aws4_request");

    private final FunctionUrlRequests requests;
    private final SigV4Verifier verifier;

    public FunctionUrlRoutes(FunctionUrlRequests requests, Identities identities) {
        this.requests = requests;
        this.verifier = new SigV4Verifier(identities);
    }

    /** Asked of every request on the port, so the common answer (no) is found without a regular expression. */
    @Override
    public boolean claims(ApiRequest request) {
        if (request.rawPath().startsWith("/lambda-url/")) {
            return PATH.matcher(request.rawPath()).matches();
        }
        String host = request.headers().get(org.eclipse.jetty.http.HttpHeader.HOST);
        return host != null && HostNames.mentions(host, ".lambda-url.") && byHost(request).isPresent();
    }

    @Override
    public int maxBodyBytes() {
        return FunctionUrlRequests.MAX_EVENT_BYTES;
    }

    @Override
    public HttpAnswer serve(ApiRequest request, String sourceIp, String protocol) throws Exception {
        Optional<String> hostId = byHost(request);
        String urlId;
        String path;
        String domainName;
        if (hostId.isPresent()) {
            urlId = hostId.get();
            path = request.rawPath();
            domainName = hostName(request);
        } else {
            Matcher m = PATH.matcher(request.rawPath());
            m.matches();
            urlId = m.group(1);
            path = m.group(2) == null ? "/" : m.group(2);
            domainName = hostName(request);
        }
        HttpExchange.Builder exchange = HttpExchange.builder().method(request.method()).rawPath(path)
                .rawQuery(request.rawQuery()).body(request.body()).sourceIp(sourceIp).protocol(protocol)
                .receivedAt(Instant.now()).requestId(request.requestId());
        request.headers().forEach(field -> exchange.header(field.getName(), field.getValue()));
        return requests.serve(urlId, domainName, exchange.build(), () -> {
            if (!request.header("Authorization").map(a -> LAMBDA_SCOPE.matcher(a).find()).orElse(false)) {
                throw new dev.kindling.LambdaException(dev.kindling.LambdaException.ErrorType.InvalidSignatureException,
                        "Credential should be scoped to correct service: 'lambda'.");
            }
            return verifier.verify(request);
        });
    }

    private static Optional<String> byHost(ApiRequest request) {
        Matcher m = HOST.matcher(request.header("Host").orElse("").toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String hostName(ApiRequest request) {
        String host = request.header("Host").orElse("localhost");
        int colon = host.lastIndexOf(':');
        return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
    }
}
