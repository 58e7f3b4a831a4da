package dev.kindling.api;

import dev.kindling.triggers.HttpAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a request {@link DirectRoutes} claimed: reads its body within the routes' limit (413 past it, the rest
 * drained so the client sees the answer; read with blocking reads on the request's virtual thread, so nothing is
 * left reading once the answer is sent), and writes the answer with every header as given (a name may repeat), its
 * length, and the request id. A failure inside the routes is a 502, never a broken connection.
 */
final class DirectAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(DirectAnswers.class);

    private DirectAnswers() {}

    /** How much of a refused body is read and dropped so the client sees the 413; past it the connection closes. */
    private static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;

    static void serve(DirectRoutes routes, ApiRequest api, Request request, Response response, Callback callback) {
        HttpAnswer answer;
        try {
            Optional<byte[]> body = readBody(request, routes.maxBodyBytes());
            answer = body.isEmpty() ? routes.tooLarge()
                    : routes.serve(api.withBody(body.get()), Request.getRemoteAddr(request),
                            request.getConnectionMetaData().getProtocol());
        } catch (Exception e) {
            LOG.error("request {} {} failed", api.method(), api.rawPath(), e);
            answer = HttpAnswer.text(502, "application/json", "Internal Server Error");
        }
        send(answer, api.requestId(), response, callback);
    }

    /**
     * The body, read on this (virtual) thread; empty when it is larger than {@code max}, in which case the rest is
     * read and dropped first (up to a bound), so that a client still sending sees the answer, not a broken pipe.
     */
    private static Optional<byte[]> readBody(Request request, int max) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = Content.Source.asInputStream(request)) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total <= max) {
                    body.write(buffer, 0, n);
                } else if (total > MAX_DRAINED_BYTES) {
                    break;
                }
            }
        }
        return total <= max ? Optional.of(body.toByteArray()) : Optional.empty();
    }

    private static void send(HttpAnswer answer, String requestId, Response response, Callback callback) {
        response.setStatus(answer.status());
        var headers = response.getHeaders();
        headers.put("x-amzn-RequestId", requestId);
        for (Map.Entry<String, String> header : answer.headers()) {
            if (!header.getKey().equalsIgnoreCase("Content-Length")) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        if (answer.stream().isPresent()) {
            stream(answer.stream().get(), response, callback);
            return;
        }
        headers.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, answer.body().length));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    /** Writes a streamed body (chunked) on this request's virtual thread until it ends or the client goes. */
    private static void stream(HttpAnswer.BodyStream body, Response response, Callback callback) {
        try (java.io.OutputStream out = Content.Sink.asOutputStream(response)) {
            body.writeTo(out);
        } catch (IOException | RuntimeException e) {
            LOG.debug("streamed answer ended early: {}", e.toString());
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

}
