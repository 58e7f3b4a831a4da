package dev.kindling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP listener on 127.0.0.1 that functions POST JSON to ({@link #PYTHON}'s {@code post(url, doc)}), so a test
 * sees what ran, in order, without shared files: sandboxed functions keep outbound network.
 */
final class Inbox implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(120);
    /** Python for a handler module: {@code post(url, doc)} sends {@code doc} as JSON to the inbox at {@code url}. */
    static final String PYTHON = """
            import json as _json, urllib.request as _request
            def post(url, doc):
                _request.urlopen(_request.Request(url, data=_json.dumps(doc).encode(), method="POST",
                                 headers={"Content-Type": "application/json"}), timeout=30).read()
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();

    Inbox() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The next document posted, waiting up to {@link #DEADLINE}; fails the test if none comes. */
    JsonNode next(String waitingFor) throws InterruptedException {
        JsonNode doc = received.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (doc == null) {
            throw new AssertionError("nothing posted within " + DEADLINE.toSeconds() + " s: waited for " + waitingFor);
        }
        return doc;
    }

    /** Whether anything has been posted and not yet taken. */
    boolean isEmpty() {
        return received.isEmpty();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
