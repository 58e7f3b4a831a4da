package dev.kindling.api;

import dev.kindling.services.S3Storage;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;

/**
 * Sends a verified S3 request on to s3proxy (loopback, path-style, without Kindling's credentials) with its body
 * streamed as it arrives, and hands back the answer to stream on. A body whose SHA-256 the client signed is checked
 * as it passes: a mismatch breaks the forwarded request before its last byte, so s3proxy stores nothing.
 */
final class S3Forwarder {
    /** Headers that are the connection's or Kindling's, not S3's: never forwarded (the JDK sets its own). */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "authorization", "x-amz-security-token",
            "proxy-authorization", "http2-settings");
    /** A presigned URL's own parameters: s3proxy sees the request as if unsigned. */
    private static final Set<String> PRESIGN_PARAMETERS = Set.of("x-amz-algorithm", "x-amz-credential",
            "x-amz-date", "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final S3Storage s3;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    S3Forwarder(S3Storage s3) {
        this.s3 = s3;
    }

    /** The client's SHA-256 of the body did not match the body. */
    static final class DigestMismatch extends IOException {
        DigestMismatch() {
            super("x-amz-content-sha256 does not match the body");
        }
    }

    /** Forwards {@code api} (its body read from {@code body}) to s3proxy at {@code address}'s path-style path. */
    HttpResponse<InputStream> forward(ApiRequest api, S3Address address, InputStream body, Optional<Long> length)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target(address.pathStyle(), api.rawQuery()));
        for (HttpField field : api.headers()) {
            if (!NOT_FORWARDED.contains(field.getLowerCaseName())) {
                request.header(field.getName(), field.getValue());
            }
        }
        InputStream checked = api.header("x-amz-content-sha256").filter(h -> HEX_SHA256.matcher(h).matches())
                .<InputStream>map(h -> new DigestChecking(body, h, length)).orElse(body);
        HttpRequest.BodyPublisher publisher = length.isPresent()
                ? length.get() == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> checked), length.get())
                : HttpRequest.BodyPublishers.ofInputStream(() -> checked);
        request.method(api.method(), publisher);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw refusedBody(e).orElse(e);
        }
    }

    /**
     * A HEAD of the object (the size and ETag of an event record), or of the bucket when {@code key} is empty, as
     * Kindling itself asks it.
     */
    HttpResponse<Void> head(String bucket, String key) throws IOException, InterruptedException {
        String path = "/" + encode(bucket) + (key.isEmpty() ? "" : "/" + encode(key));
        return http.send(HttpRequest.newBuilder(s3.internalEndpoint().resolve(path)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private URI target(String path, String rawQuery) {
        StringBuilder query = new StringBuilder();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = ApiRequest.decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                if (!PRESIGN_PARAMETERS.contains(name)) {
                    query.append(query.isEmpty() ? "?" : "&").append(pair);
                }
            }
        }
        return URI.create(s3.internalEndpoint() + path + query);
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%2F", "/");
    }

    /** The check of the body that failed the forwarded request, if one did (the JDK wraps it). */
    private static Optional<IOException> refusedBody(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DigestMismatch || t instanceof AwsChunkedSignatures.Mismatch) {
                return Optional.of((IOException) t);
            }
        }
        return Optional.empty();
    }

    /**
     * Passes a body through, failing at its end if its SHA-256 is not the one the client signed: with a known length,
     * before the last bytes are handed on, so the receiver never sees a complete body.
     */
    private static final class DigestChecking extends FilterInputStream {
        private final MessageDigest digest;
        private final String expected;
        private final Optional<Long> length;
        private long total;
        private boolean checked;

        DigestChecking(InputStream in, String expectedHex, Optional<Long> length) {
            super(in);
            this.expected = expectedHex;
            this.length = length;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                total += n;
            }
            if (!checked && (n < 0 || length.isPresent() && total >= length.get())) {
                checked = true;
                if (!HexFormat.of().formatHex(digest.digest()).equals(expected)) {
                    throw new DigestMismatch();
                }
            }
            return n;
        }
    }
}
