package dev.kindling.api;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures of an aws-chunked body signed chunk by chunk ({@code x-amz-content-sha256:
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD}, and its {@code -TRAILER} variant): each chunk's {@code chunk-signature}
 * chains from the request's seed signature, and the trailer's {@code x-amz-trailer-signature} from the last chunk's,
 * as AWS documents them ("Signature Calculations for the Authorization Header: Transferring Payload in Multiple
 * Chunks"). {@link #check} passes the body through unchanged, as s3proxy decodes it, and fails before handing on
 * the end of a chunk whose signature does not match: the receiver never gets a whole body.
 */
final class AwsChunkedSignatures {
    static final String SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    static final String SIGNED_WITH_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    private static final String EMPTY_SHA256 = sha256Hex(new byte[0]);

    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private final String seedSignature;
    private final boolean trailerSigned;

    /**
     * @param scope {@code <yyyyMMdd>/<region>/<service>/aws4_request}
     * @param seedSignature the signature of the request's headers
     * @param trailerSigned the {@code -TRAILER} variant: the body ends with a signed trailer
     */
    AwsChunkedSignatures(String secretKey, String amzDate, String scope, String seedSignature, boolean trailerSigned) {
        this.trailerSigned = trailerSigned;
        String[] parts = scope.split("/");
        byte[] key = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
        for (String part : parts) {
            key = hmac(key, part);
        }
        this.signingKey = key;
        this.amzDate = amzDate;
        this.scope = scope;
        this.seedSignature = seedSignature;
    }

    /** A chunk signature or the trailer's did not match. */
    static final class Mismatch extends IOException {
        Mismatch(String what) {
            super(what + " does not match");
        }
    }

    /** The body, passed through as it is read, its signatures checked on the way. */
    InputStream check(InputStream body) {
        return new Checking(body);
    }

    private String chunkSignature(String previous, MessageDigest digest) {
        return sign("AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous + "\n" + EMPTY_SHA256
                + "\n" + HexFormat.of().formatHex(digest.digest()));
    }

    private String trailerSignature(String previous, String trailers) {
        return sign("AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + sha256Hex(trailers.getBytes(StandardCharsets.UTF_8)));
    }

    private String sign(String text) {
        return HexFormat.of().formatHex(hmac(signingKey, text));
    }

    /** Parses the chunked encoding as the bytes go by: header line, data, CRLF; then trailer lines to an empty one. */
    private final class Checking extends FilterInputStream {
        private enum Part { HEADER, DATA, DATA_END, TRAILER, DONE }

        private Part part = Part.HEADER;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final StringBuilder trailers = new StringBuilder();
        private final MessageDigest chunkDigest = sha256();
        private long remaining;
        private String chunkSignature = "";
        private boolean trailerChecked;
        private String previous = seedSignature;
        private boolean lastChunk;

        Checking(InputStream in) {
            super(in);
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
            if (n < 0) {
                if (part != Part.DONE) {
                    throw new Mismatch("a body that ends before its last chunk");
                }
                return n;
            }
            int i = off;
            while (i < off + n) {
                if (part == Part.DATA) { // the data in bulk: only its digest is kept
                    int take = (int) Math.min(remaining, off + n - i);
                    chunkDigest.update(b, i, take);
                    remaining -= take;
                    i += take;
                    if (remaining == 0) {
                        endChunk();
                    }
                } else {
                    accept(b[i++]);
                }
            }
            return n;
        }

        private void accept(byte b) throws IOException {
            switch (part) {
                case HEADER -> {
                    if (endOfLine(b)) {
                        startChunk(lineText());
                    }
                }
                case DATA -> throw new IllegalStateException("data is read in bulk");
                case DATA_END -> {
                    if (endOfLine(b)) {
                        if (!lineText().isEmpty()) {
                            throw new Mismatch("a chunk's end");
                        }
                        part = Part.HEADER;
                    }
                }
                case TRAILER -> {
                    if (endOfLine(b)) {
                        trailerLine(lineText());
                    }
                }
                case DONE -> throw new Mismatch("data after the last chunk");
            }
        }

        private boolean endOfLine(byte b) throws Mismatch {
            if (line.size() > 4096) {
                throw new Mismatch("a chunk header");
            }
            line.write(b);
            byte[] bytes = line.toByteArray();
            return bytes.length >= 2 && bytes[bytes.length - 2] == '\r' && bytes[bytes.length - 1] == '\n';
        }

        private String lineText() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            return text.substring(0, text.length() - 2);
        }

        private void startChunk(String header) throws IOException {
            int semicolon = header.indexOf(";chunk-signature=");
            if (semicolon < 0) {
                throw new Mismatch("a chunk without a signature");
            }
            long size;
            try {
                size = Long.parseLong(header.substring(0, semicolon), 16);
            } catch (NumberFormatException e) {
                throw new Mismatch("a chunk header");
            }
            if (size < 0) {
                throw new Mismatch("a chunk size");
            }
            chunkSignature = header.substring(semicolon + ";chunk-signature=".length());
            chunkDigest.reset();
            remaining = size;
            lastChunk = size == 0;
            if (lastChunk) {
                endChunk();
            } else {
                part = Part.DATA;
            }
        }

        private void endChunk() throws IOException {
            String expected = chunkSignature(previous, chunkDigest);
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    chunkSignature.getBytes(StandardCharsets.US_ASCII))) {
                throw new Mismatch("a chunk signature");
            }
            previous = expected;
            part = lastChunk ? Part.TRAILER : Part.DATA_END;
        }

        /** Trailer lines end with an empty one; the last non-empty one may be the trailer's signature. */
        private void trailerLine(String text) throws IOException {
            if (!text.isEmpty()) {
                if (text.startsWith("x-amz-trailer-signature:")) {
                    String given = text.substring("x-amz-trailer-signature:".length()).trim();
                    String expected = trailerSignature(previous, trailers.toString());
                    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                            given.getBytes(StandardCharsets.US_ASCII))) {
                        throw new Mismatch("the trailer signature");
                    }
                    trailerChecked = true;
                } else {
                    trailers.append(text.replace(": ", ":").trim()).append('\n');
                }
                return;
            }
            if (trailerSigned && !trailerChecked) {
                throw new Mismatch("a body without its trailer signature");
            }
            part = Part.DONE;
        }
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
