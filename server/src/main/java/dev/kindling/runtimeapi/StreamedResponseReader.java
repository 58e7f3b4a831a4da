package dev.kindling.runtimeapi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a response the runtime streams (a chunked POST /response with Lambda-Runtime-Function-Response-Mode:
 * streaming), chunk by chunk as it arrives: each goes on to the invocation's {@link ResponseSink} at once, or is
 * collected when there is none. An error the function raised mid-stream comes last, in the trailers
 * Lambda-Runtime-Function-Error-Type and Lambda-Runtime-Function-Error-Body (base64 JSON), and makes the outcome a
 * function error. Runs on a thread of its own: a slow reader holds it back, and through it the runtime.
 */
final class StreamedResponseReader {
    /** AWS's soft limit on a streamed response. */
    static final long MAX_STREAMED_BYTES = 20L * 1024 * 1024;
    private static final String ERROR_TYPE = "Lambda-Runtime-Function-Error-Type";
    private static final String ERROR_BODY = "Lambda-Runtime-Function-Error-Body";

    private StreamedResponseReader() {}

    static boolean isStreamed(Request request) {
        return "streaming".equalsIgnoreCase(request.getHeaders().get("Lambda-Runtime-Function-Response-Mode"));
    }

    /** Reads the whole stream; returns how the invocation ended. */
    static RuntimeOutcome read(Request request, Optional<ResponseSink> sink) throws InterruptedException {
        String contentType = Optional.ofNullable(request.getHeaders().get("Content-Type"))
                .orElse("application/octet-stream");
        sink.ifPresent(s -> s.begin(contentType));
        long limit = sink.isPresent() ? MAX_STREAMED_BYTES : RuntimeApiServer.MAX_POST_BYTES;
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        boolean readerGone = false;
        long total = 0;
        HttpFields trailers = HttpFields.EMPTY;
        while (true) {
            Content.Chunk chunk = next(request);
            if (Content.Chunk.isFailure(chunk)) {
                return new RuntimeOutcome(RuntimeOutcome.Kind.FUNCTION_ERROR, "Runtime.StreamError",
                        errorJson("Runtime.StreamError", "The response stream broke: " + chunk.getFailure()));
            }
            if (chunk instanceof Trailers t) {
                trailers = t.getTrailers();
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            total += bytes.remaining();
            if (bytes.hasRemaining() && total <= limit) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                if (sink.isEmpty()) {
                    collected.writeBytes(copy);
                } else if (!readerGone) {
                    readerGone = !sink.get().write(copy);
                }
            }
            chunk.release();
            if (chunk.isLast()) {
                break;
            }
        }
        if (total > limit) {
            return new RuntimeOutcome(RuntimeOutcome.Kind.RESPONSE_TOO_LARGE, "Function.ResponseSizeTooLarge",
                    new byte[0]);
        }
        String errorType = trailers.get(ERROR_TYPE);
        if (errorType != null) {
            return new RuntimeOutcome(RuntimeOutcome.Kind.FUNCTION_ERROR, errorType,
                    errorBody(trailers.get(ERROR_BODY), errorType));
        }
        return new RuntimeOutcome(RuntimeOutcome.Kind.SUCCESS, "", collected.toByteArray());
    }

    /** The next chunk, waiting for one to arrive. */
    private static Content.Chunk next(Request request) throws InterruptedException {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk != null) {
                return chunk;
            }
            CountDownLatch ready = new CountDownLatch(1);
            request.demand(ready::countDown);
            ready.await();
        }
    }

    private static byte[] errorBody(String base64, String errorType) {
        if (base64 != null) {
            try {
                return Base64.getDecoder().decode(base64.trim());
            } catch (IllegalArgumentException e) {
                // not base64: described below
            }
        }
        return errorJson(errorType, "The function failed while streaming its response");
    }

    private static byte[] errorJson(String type, String message) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("errorMessage", message)
                .put("errorType", type).toString().getBytes(StandardCharsets.UTF_8);
    }
}
