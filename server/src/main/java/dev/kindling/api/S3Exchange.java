package dev.kindling.api;

import dev.kindling.triggers.InvalidNotificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One S3 request and its answer on the wire, with the ids S3 puts on every answer ({@code x-amz-request-id},
 * {@code x-amz-id-2}): the body read as it streams, s3proxy's answer sent on, or S3's error document.
 */
record S3Exchange(ApiRequest api, Request request, Response response, String requestId, String hostId) {
    /** Response headers that belong to s3proxy's connection, not to the answer. */
    private static final Set<String> NOT_RETURNED = Set.of("connection", "transfer-encoding", "keep-alive", "date",
            "server", "content-length");

    InputStream body() {
        return Content.Source.asInputStream(request);
    }

    /** The body's length, when the client said it (no length: a chunked body, read to its end). */
    Optional<Long> bodyLength() {
        long length = request.getLength();
        return length >= 0 ? Optional.of(length) : Optional.empty();
    }

    String sourceIp() {
        return Request.getRemoteAddr(request);
    }

    byte[] readWhole(int limit) throws Exception {
        try {
            return Content.Source.asByteArrayAsync(request, limit).get();
        } catch (java.util.concurrent.ExecutionException | IllegalStateException e) {
            throw new InvalidNotificationException("MaxMessageLengthExceeded", 400,
                    "Your request was too big.", List.of());
        }
    }

    /** Sends s3proxy's answer on: the body read already ({@code kept}), or streamed as it comes. */
    void answer(HttpResponse<InputStream> answer, Optional<byte[]> kept) throws IOException {
        response.setStatus(answer.statusCode());
        var headers = response.getHeaders();
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_RETURNED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> headers.add(name, v));
            }
        });
        headers.put("x-amz-request-id", requestId);
        headers.put("x-amz-id-2", hostId);
        if (kept.isPresent()) {
            headers.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, kept.get().length));
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(kept.get());
            }
            return;
        }
        answer.headers().firstValue("Content-Length").ifPresent(l -> headers.put(HttpHeader.CONTENT_LENGTH, l));
        try (InputStream in = answer.body(); OutputStream out = Content.Sink.asOutputStream(response)) {
            in.transferTo(out);
        }
    }

    void answerXml(int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put("x-amz-request-id", requestId);
        response.getHeaders().put("x-amz-id-2", hostId);
        if (body.length > 0) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
        }
        response.getHeaders().put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, body.length));
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(body);
        }
    }

    /** Answers an error and completes the exchange; a HEAD gets the status and no body. */
    void fail(S3Errors.S3Error error, Callback done) {
        drain();
        byte[] body = api.method().equals("HEAD") ? new byte[0] : error.xml(requestId, hostId);
        response.setStatus(error.status());
        response.getHeaders().put("x-amz-request-id", requestId);
        response.getHeaders().put("x-amz-id-2", hostId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
        response.getHeaders().put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, body.length));
        response.write(true, ByteBuffer.wrap(body), done);
    }

    /** Reads what the client still sends, so it hears the error rather than a broken pipe. */
    private void drain() {
        try {
            Content.Source.consumeAll(request);
        } catch (Exception e) {
            // the rest goes with the connection
        }
    }
}
