package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.nio.ByteBuffer;
import dev.kindling.iam.AccessPolicies;
import dev.kindling.iam.Identities;
import dev.kindling.iam.Identity;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of every AWS-compatible API. Each request runs on its own virtual thread, is read whole
 * (bounded), checked for a SigV4 signature, routed, and answered with a body of known length; any failure becomes
 * the AWS error response for it.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** AWS's limit for a whole request: a CreateFunction with a base64-encoded 50 MB zip. */
    static final int MAX_REQUEST_BYTES = 70_167_211;

    private final Server server;
    private final ServerConnector connector;
    private final Identities identities;
    private final AccessCheck access;
    /** Claimed before every other route: S3, whose bodies stream. */
    private final java.util.List<StreamedRoutes> streamed = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Something that serves some of Lambda's operations (routed by method and path). */
    public interface Operations {
        void addRoutes(Router router);
    }

    /** Another AWS service on the one port, with routes and errors of its own protocol (CloudWatch Logs, ...). */
    public interface Service {
        ServiceRoutes routes();
    }

    /** The server, not yet listening: {@link #bindPort} reserves its port, {@link #start} serves the operations. */
    /** @param access what each role's credentials may do; checked on every signed request */
    public ApiServer(String bind, int port, Identities identities, AccessPolicies access) {
        this.identities = identities;
        this.access = new AccessCheck(access);
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("api");
        // An Invoke holds its request's thread until the function answers: the default cap of 200 virtual threads
        // would stall the server once ~200 invocations run at once. Limits on work are the concurrency limit's job.
        threads.setMaxThreads(1_000_000);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // Header values exactly as sent: a signature covers them (Jetty's cache would turn "charset=UTF-8" into the
        // "charset=utf-8" of a known Content-Type, and the signature would no longer match).
        http.setHeaderCacheCaseSensitive(true);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        // A burst of callers (hundreds of Invokes at once) waits in the accept queue instead of having its
        // connections refused: the default backlog is 50.
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
    }

    /** Binds the port (so its number is known before anything else starts) and returns it. */
    public int bindPort() throws java.io.IOException {
        connector.open();
        return connector.getLocalPort();
    }

    /** Serves S3 on this port from {@link #start} on: buckets and objects, bodies streamed both ways. */
    public void serveS3(S3Api s3) {
        streamed.add(s3);
    }

    /** Serves Lambda's {@code operations}, every request checked for its signature. */
    public void start(java.util.List<Operations> operations) throws Exception {
        start(operations, java.util.List.of());
    }

    /** Serves Lambda's {@code operations} and the other {@code services}, every request checked for its signature. */
    public void start(java.util.List<Operations> operations, java.util.List<Service> services) throws Exception {
        start(operations, services, java.util.List.of());
    }

    /**
     * Serves the {@code direct} routes (function URLs, HTTP APIs: claimed by host or path before anything else),
     * Lambda's {@code operations} and the other {@code services}.
     */
    public void start(java.util.List<Operations> operations, java.util.List<Service> services,
            java.util.List<DirectRoutes> direct) throws Exception {
        Router router = new Router();
        operations.forEach(o -> o.addRoutes(router));
        ServiceDirectory directory = new ServiceDirectory(router, services.stream().map(Service::routes).toList());
        server.setHandler(new ApiHandler(directory, new SigV4Verifier(identities), access,
                java.util.List.copyOf(direct), streamed));
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class ApiHandler extends Handler.Abstract {
        private final ServiceDirectory services;
        private final SigV4Verifier verifier;
        private final AccessCheck access;
        private final java.util.List<DirectRoutes> direct;
        private final java.util.List<StreamedRoutes> streamed;

        ApiHandler(ServiceDirectory services, SigV4Verifier verifier, AccessCheck access,
                java.util.List<DirectRoutes> direct, java.util.List<StreamedRoutes> streamed) {
            super(InvocationType.BLOCKING);
            this.services = services;
            this.verifier = verifier;
            this.access = access;
            this.direct = direct;
            this.streamed = streamed;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String requestId = UUID.randomUUID().toString();
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            ApiRequest api = new ApiRequest(requestId, request.getMethod(), path == null ? "/" : path,
                    query == null ? "" : query, request.getHeaders(), new byte[0], Map.of(), java.util.Optional.empty());
            for (StreamedRoutes routes : streamed) {
                if (routes.claims(api)) {
                    routes.serve(api, request, response, callback);
                    return true;
                }
            }
            for (DirectRoutes routes : direct) {
                if (routes.claims(api)) {
                    DirectAnswers.serve(routes, api, request, response, callback);
                    return true;
                }
            }
            ServiceRoutes service = services.serviceOf(api); // errors are written in its protocol
            ApiResponse answer;
            try {
                answer = serve(service, api, request);
            } catch (LambdaException e) {
                answer = service.error(e);
            } catch (Exception e) {
                LOG.error("request {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
                answer = service.error(new LambdaException(ErrorType.ServiceException,
                        "Kindling failed to process the request: " + e));
            }
            send(answer, requestId, response, callback);
            return true;
        }

        private ApiResponse serve(ServiceRoutes service, ApiRequest api, Request request) throws Exception {
            String requestId = api.requestId();
            Router.Match routed = service.route(api); // the operation names the 413 below
            ApiRequest read = routed.request().withBody(readBody(request, routed.operation()));
            Router.Match match = service.routesByBody() ? service.route(read) // the body names the operation
                    : new Router.Match(routed.operation(), routed.endpoint(), read, routed.signed());
            if (match.signed()) {
                Identity caller = verifier.verify(match.request());
                if (caller.sessionToken().isPresent()) { // a function calling Kindling: say who, for the operator
                    LOG.info("request {} {} {} by {}", requestId, api.method(), api.rawPath(), caller.arn());
                }
                access.require(caller, service.signingName(), match);
                match = new Router.Match(match.operation(), match.endpoint(), match.request().withCaller(caller), true);
            }
            return match.endpoint().handle(match.request());
        }

        private static byte[] readBody(Request request, String operation) throws Exception {
            try {
                return Content.Source.asByteArrayAsync(request, MAX_REQUEST_BYTES).get();
            } catch (ExecutionException | IllegalStateException e) { // Jetty reports "max size exceeded" either way
                // Read the rest before answering: a client still sending would see a broken pipe, not the 413.
                try {
                    Content.Source.consumeAll(request);
                } catch (Exception drained) {
                    // the source already failed on the cap; what is left is discarded with the connection
                }
                throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                        "Request must be smaller than " + MAX_REQUEST_BYTES + " bytes for the " + operation
                                + " operation");
            }
        }

        private static void send(ApiResponse answer, String requestId, Response response, Callback callback) {
            response.setStatus(answer.status());
            var headers = response.getHeaders();
            headers.put("x-amzn-RequestId", requestId);
            answer.headers().forEach(headers::put);
            if (answer.contentType() != null) {
                headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
            }
            if (answer.streamed().isPresent()) {
                stream(answer.streamed().get(), response, callback);
                return;
            }
            headers.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, answer.body().length));
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }

        /** Writes a streamed body on this request's (virtual) thread until it ends or the client goes. */
        private static void stream(ApiResponse.StreamedBody body, Response response, Callback callback) {
            try (java.io.OutputStream out = Content.Sink.asOutputStream(response)) {
                body.writeTo(out);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("streamed response ended early: {}", e.toString());
                callback.failed(e);
                return;
            }
            callback.succeeded();
        }
    }
}
