package dev.kindling.runtimeapi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The Lambda Runtime API (/2018-06-01/runtime/...). Each environment gets a listening port of its own on 127.0.0.1,
 * added while the server runs (about 0.2 ms, docs/http-server.md); the port a request arrives on tells which
 * environment's session it speaks to. Where environments run as users of their own, a connection to a port is served
 * only if that environment's user opened it: anyone else's is refused before its first request is read, so no one
 * can fetch or answer another environment's invocations (docs/runtime-api-isolation.md).
 *
 * <p>Nothing here blocks: a GET /next waits as a callback in its session and is answered by the thread that
 * dispatches the invocation, and posted bodies are read asynchronously, so an idle environment holds no thread.
 */
public final class RuntimeApiServer implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";
    /**
     * AWS's limit on what a runtime posts (6 MB plus the 100 bytes AWS allows for framing). A larger body is read
     * to its end and dropped; the invocation fails with Function.ResponseSizeTooLarge and the environment lives on.
     */
    static final int MAX_POST_BYTES = 6_291_556;

    private final Server server;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuntimeApiServer.class);
    private final Map<Connector, RuntimeSession> sessions = new ConcurrentHashMap<>();
    /** The user each port admits, for the ports of environments that have one. */
    private final Map<Connector, Integer> owners = new ConcurrentHashMap<>();
    private final SocketOwners socketOwners = SocketOwners.best();

    public RuntimeApiServer() throws Exception {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("runtime-api");
        // Every environment's port has a selector of its own, a thread for as long as the port is open: the
        // default cap of 200 would stall the server once ~200 environments exist. Limits on work are the
        // concurrency limit's job.
        threads.setMaxThreads(1_000_000);
        server = new Server(threads);
        server.setHandler(new RuntimeHandler());
        server.start();
    }

    /**
     * Opens the port {@code session}'s environment will talk to; the value for AWS_LAMBDA_RUNTIME_API.
     *
     * @param uid the user the environment runs as, the only one whose connections are served; empty where
     *     environments have no user of their own (then any local process can connect)
     */
    public Endpoint open(RuntimeSession session, OptionalInt uid) throws Exception {
        ServerConnector connector = new ServerConnector(server, 0, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        uid.ifPresent(owner -> {
            connector.addEventListener(new OwnerCheck(owner));
            owners.put(connector, owner);
        });
        sessions.put(connector, session);
        server.addConnector(connector);
        connector.start();
        return new Endpoint(connector, "127.0.0.1:" + connector.getLocalPort());
    }

    /** The port of one environment; closing it cuts the environment off. */
    public final class Endpoint implements AutoCloseable {
        private final ServerConnector connector;
        private final String address;

        private Endpoint(ServerConnector connector, String address) {
            this.connector = connector;
            this.address = address;
        }

        public String address() {
            return address;
        }

        @Override
        public void close() {
            sessions.remove(connector);
            owners.remove(connector);
            try {
                connector.stop();
            } catch (Exception e) {
                // the port is being discarded either way
            }
            server.removeConnector(connector);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Closes every connection to an environment's port that its own user did not open, before it is read. */
    private final class OwnerCheck implements Connection.Listener {
        private final int uid;

        OwnerCheck(int uid) {
            this.uid = uid;
        }

        @Override
        public void onOpened(Connection connection) {
            EndPoint endPoint = connection.getEndPoint();
            if (endPoint.getRemoteSocketAddress() instanceof InetSocketAddress client
                    && endPoint.getLocalSocketAddress() instanceof InetSocketAddress local) {
                OptionalInt owner = socketOwners.ownerOf(client.getPort(), local.getPort());
                if (owner.isPresent() && owner.getAsInt() == uid) {
                    return;
                }
                LOG.warn("Runtime API: refused a connection to port {} from uid {} (the environment's is {})",
                        local.getPort(), owner.isPresent() ? owner.getAsInt() : "unknown", uid);
            }
            endPoint.close();
        }
    }

    private final class RuntimeHandler extends Handler.Abstract {
        RuntimeHandler() {
            super(InvocationType.NON_BLOCKING);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            RuntimeSession session = sessions.get(request.getConnectionMetaData().getConnector());
            String path = request.getHttpURI().getPath();
            if (session == null || path == null || !path.startsWith(PREFIX)) {
                return answer(response, callback, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}");
            }
            String[] parts = path.substring(PREFIX.length()).split("/");
            String method = request.getMethod();
            if (method.equals("GET") && parts.length == 2 && parts[0].equals("invocation") && parts[1].equals("next")) {
                return next(session, request, response, callback);
            }
            if (method.equals("POST") && parts.length == 2 && parts[0].equals("init") && parts[1].equals("error")) {
                posted(RuntimeOutcome.Kind.INIT_ERROR, errorType(request), request, outcome -> {
                    session.initError(outcome);
                    answer(response, callback, 202, "{\"status\":\"OK\"}");
                });
                return true;
            }
            if (method.equals("POST") && parts.length == 3 && parts[0].equals("invocation")
                    && (parts[2].equals("response") || parts[2].equals("error"))) {
                boolean success = parts[2].equals("response");
                if (success && StreamedResponseReader.isStreamed(request)) {
                    return streamed(session, parts[1], request, response, callback);
                }
                posted(success ? RuntimeOutcome.Kind.SUCCESS : RuntimeOutcome.Kind.FUNCTION_ERROR,
                        success ? "" : errorType(request), request, outcome -> {
                            if (session.report(parts[1], outcome)) {
                                answer(response, callback, 202, "{\"status\":\"OK\"}");
                            } else {
                                answer(response, callback, 400, "{\"errorMessage\":\"Invalid request ID\","
                                        + "\"errorType\":\"InvalidRequestID\"}");
                            }
                        });
                return true;
            }
            return answer(response, callback, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}");
        }

        /** A streamed response, read on a thread of its own (it may wait for its reader), then reported. */
        private boolean streamed(RuntimeSession session, String requestId, Request request, Response response,
                Callback callback) {
            Optional<Invocation> invocation = session.current(requestId);
            if (invocation.isEmpty()) {
                return answer(response, callback, 400,
                        "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            }
            Thread.ofVirtual().name("stream-" + requestId).start(() -> {
                RuntimeOutcome outcome;
                try {
                    outcome = StreamedResponseReader.read(request, invocation.get().responseSink());
                } catch (InterruptedException e) {
                    callback.failed(e);
                    return;
                }
                if (session.report(requestId, outcome)) {
                    answer(response, callback, 202, "{\"status\":\"OK\"}");
                } else {
                    answer(response, callback, 400,
                            "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
                }
            });
            return true;
        }

        private boolean next(RuntimeSession session, Request request, Response response, Callback callback) {
            Integer owner = owners.get(request.getConnectionMetaData().getConnector());
            session.next(new RuntimeSession.WaitingNext() {
                @Override
                public boolean connected() {
                    // Asked once per dispatch to a waiting runtime: only where asking costs microseconds.
                    if (owner == null || !socketOwners.cheap()
                            || !(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress client)
                            || !(request.getConnectionMetaData().getLocalSocketAddress() instanceof InetSocketAddress local)) {
                        return true;
                    }
                    return socketOwners.ownerOf(client.getPort(), local.getPort()).equals(OptionalInt.of(owner));
                }

                @Override
                public void accept(Invocation invocation) {
                    send(invocation, response, callback);
                }
            });
            return true;
        }

        /** Answers a GET /next, on the thread that hands the invocation over. */
        private static void send(Invocation invocation, Response response, Callback callback) {
            if (invocation == null) { // the environment was destroyed while its runtime waited; nobody reads this
                answer(response, callback, 410,
                        "{\"errorMessage\":\"The environment is gone\",\"errorType\":\"EnvironmentGone\"}");
                return;
            }
            var headers = response.getHeaders();
            headers.put("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
            headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMillis()));
            headers.put("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedFunctionArn());
            headers.put("Lambda-Runtime-Trace-Id", invocation.traceHeader());
            if (invocation.clientContext() != null) {
                headers.put("Lambda-Runtime-Client-Context", invocation.clientContext());
            }
            response.setStatus(200);
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
            headers.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, invocation.payload().length));
            response.write(true, ByteBuffer.wrap(invocation.payload()), callback);
        }

        private static String errorType(Request request) {
            String type = request.getHeaders().get("Lambda-Runtime-Function-Error-Type");
            return type == null ? "Unhandled" : type;
        }

        /** Reads what the runtime posted, then gives {@code then} its outcome: RESPONSE_TOO_LARGE past AWS's limit. */
        private static void posted(RuntimeOutcome.Kind kind, String errorType, Request request,
                Consumer<RuntimeOutcome> then) {
            if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > MAX_POST_BYTES) {
                tooLarge(request, then);
                return;
            }
            Content.Source.asByteArrayAsync(request, MAX_POST_BYTES).whenComplete((body, failure) -> {
                if (failure == null) {
                    then.accept(new RuntimeOutcome(kind, errorType, body));
                } else {
                    tooLarge(request, then); // a chunked body that ran past the limit
                }
            });
        }

        /** Reads the rest of an over-size body (so the runtime sees its answer and carries on) and drops it. */
        private static void tooLarge(Request request, Consumer<RuntimeOutcome> then) {
            RuntimeOutcome outcome = new RuntimeOutcome(RuntimeOutcome.Kind.RESPONSE_TOO_LARGE,
                    "Function.ResponseSizeTooLarge", new byte[0]);
            // Whether the rest could be read or went with the connection, the invocation has its outcome.
            Content.Source.consumeAll(request, Callback.from(() -> then.accept(outcome), failure -> then.accept(outcome)));
        }

        private static boolean answer(Response response, Callback callback, int status, String json) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, bytes.length));
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }
}
