package dev.kindling.triggers;

import dev.kindling.invoke.ResponseChunks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of a RESPONSE_STREAM function URL whose function streams: sent to the client as the function writes it.
 * A stream of type {@code application/vnd.awslambda.http-integration-response} (what
 * {@code awslambda.HttpResponseStream.from} writes) begins with a JSON prelude (statusCode, headers, cookies) and 8
 * NUL bytes: it is read first, for the status line and headers; any other stream is a 200 of the content type the
 * function set. A function that fails after its first bytes cannot change the status any more: the body just ends,
 * as on AWS.
 */
final class StreamedUrlAnswer {
    static final String HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response";
    /** Far more than any prelude; a stream that has not ended its prelude by then is not one. */
    private static final int MAX_PRELUDE_BYTES = 64 * 1024;

    private StreamedUrlAnswer() {}

    /** The answer, once the stream has begun: its head read (for an HTTP integration stream), its body to follow. */
    static HttpAnswer of(ResponseChunks chunks) throws InterruptedException {
        if (!chunks.contentType().equalsIgnoreCase(HTTP_INTEGRATION)) {
            return new HttpAnswer(200, List.of(Map.entry("Content-Type", chunks.contentType())), new byte[0])
                    .streaming(out -> copy(new byte[0], chunks, out));
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            Optional<byte[]> chunk = chunks.next();
            if (chunk.isEmpty()) { // ended within its prelude: what there is, as a buffered answer would be
                return PayloadV2Response.map(head.toByteArray());
            }
            head.writeBytes(chunk.get());
            byte[] seen = head.toByteArray();
            int end = PayloadV2Response.preludeEnd(seen);
            if (end > 0) {
                HttpAnswer mapped = PayloadV2Response.map(Arrays.copyOf(seen, end + 8));
                byte[] rest = Arrays.copyOfRange(seen, end + 8, seen.length);
                return mapped.streaming(out -> copy(rest, chunks, out));
            }
            if (seen.length > MAX_PRELUDE_BYTES) {
                chunks.readerGone();
                return PayloadV2Response.badGateway();
            }
        }
    }

    private static void copy(byte[] first, ResponseChunks chunks, OutputStream out) throws IOException {
        try {
            if (first.length > 0) {
                out.write(first);
                out.flush();
            }
            for (Optional<byte[]> chunk = chunks.next(); chunk.isPresent(); chunk = chunks.next()) {
                out.write(chunk.get());
                out.flush();
            }
        } catch (IOException e) {
            chunks.readerGone(); // the client left; the function runs to its end, as on AWS
            throw e;
        } catch (InterruptedException e) {
            chunks.readerGone();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the server is stopping");
        }
    }
}
