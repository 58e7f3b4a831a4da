package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.iam.Identities;
import dev.kindling.iam.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigner;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigningResult;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Checks the SigV4 signature of a request by signing the same request again with the AWS SDK's own signer and the
 * secret of the access key it names, then comparing signatures. Canonicalisation is the SDK's, never ours.
 */
final class SigV4Verifier {
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/"
            + "([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})\\s*");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest a presigned URL may stay valid: a week. */
    private static final long MAX_PRESIGNED_SECONDS = 604_800;
    private static final MessageDigest SHA_256 = sha256();
    private static final String INVALID_SIGNATURE = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.";

    private final Identities identities;

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    SigV4Verifier(Identities identities) {
        this.identities = identities;
    }

    /** The identity that signed the request; throws the AWS error when the signature or its credentials fail. */
    Identity verify(ApiRequest request) {
        String authorization = request.header("Authorization").orElseThrow(() ->
                new LambdaException(ErrorType.MissingAuthenticationTokenException, "Missing Authentication Token"));
        Matcher auth = AUTHORIZATION.matcher(authorization);
        if (!auth.matches()) {
            throw new LambdaException(ErrorType.InvalidSignatureException, "Authorization header requires"
                    + " 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.");
        }
        Identity identity = identity(auth.group(1), request.header("X-Amz-Security-Token"));
        Instant signedAt = signingTime(request);
        String expected = sign(request, identity, new Scope(auth.group(3), auth.group(4), signedAt), auth.group(5),
                sha256Hex(request.body()), true, Optional.empty());
        requireEqual(expected, auth.group(6));
        return identity;
    }

    /**
     * The identity that signed an S3 request, whose body is not read yet: signed in its Authorization header (the
     * payload hash is the x-amz-content-sha256 header's, checked by the caller against the body as it streams), or
     * presigned ({@code X-Amz-Signature} and the rest in the query, the payload unsigned). S3 signs the path as sent,
     * neither encoded twice nor normalised.
     */
    S3Signature verifyS3(ApiRequest request) {
        if (request.queryParam("X-Amz-Signature").isPresent()) {
            return new S3Signature(verifyPresigned(request), Optional.empty());
        }
        String authorization = request.header("Authorization").orElseThrow(() ->
                new LambdaException(ErrorType.MissingAuthenticationTokenException, "Access Denied"));
        Matcher auth = AUTHORIZATION.matcher(authorization);
        if (!auth.matches()) {
            throw new LambdaException(ErrorType.InvalidSignatureException, "Authorization header requires"
                    + " 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.");
        }
        Identity identity = identity(auth.group(1), request.header("X-Amz-Security-Token"));
        Instant signedAt = signingTime(request);
        String payloadHash = request.header("x-amz-content-sha256").orElseThrow(() -> new LambdaException(
                ErrorType.InvalidRequestContentException, "Missing required header for this request:"
                        + " x-amz-content-sha256"));
        String expected = sign(request, identity, new Scope(auth.group(3), auth.group(4), signedAt), auth.group(5),
                payloadHash, false, Optional.empty());
        requireEqual(expected, auth.group(6));
        boolean chunksSigned = payloadHash.equals(AwsChunkedSignatures.SIGNED)
                || payloadHash.equals(AwsChunkedSignatures.SIGNED_WITH_TRAILER);
        String scope = auth.group(2) + "/" + auth.group(3) + "/" + auth.group(4) + "/aws4_request";
        return new S3Signature(identity, chunksSigned ? Optional.of(new AwsChunkedSignatures(identity.secretAccessKey(),
                request.header("X-Amz-Date").orElseThrow(), scope, expected,
                payloadHash.equals(AwsChunkedSignatures.SIGNED_WITH_TRAILER))) : Optional.empty());
    }

    /**
     * Who signed an S3 request, and for a body signed chunk by chunk, the signatures its chunks must carry (checked
     * as the body streams).
     */
    record S3Signature(Identity identity, Optional<AwsChunkedSignatures> chunks) {}

    private Identity verifyPresigned(ApiRequest request) {
        String algorithm = request.queryParam("X-Amz-Algorithm").orElse("");
        if (!algorithm.equals("AWS4-HMAC-SHA256")) {
            throw new LambdaException(ErrorType.AccessDeniedException, "X-Amz-Algorithm only supports"
                    + " \"AWS4-HMAC-SHA256\"");
        }
        String[] credential = request.queryParam("X-Amz-Credential").orElse("").split("/", -1);
        if (credential.length != 5 || !credential[4].equals("aws4_request")) {
            throw new LambdaException(ErrorType.AccessDeniedException, "Error parsing the X-Amz-Credential parameter;"
                    + " the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        Identity identity = identity(credential[0], request.queryParam("X-Amz-Security-Token"));
        String date = request.queryParam("X-Amz-Date").orElse("");
        Instant signedAt = parseAmzDate(date).orElseThrow(() -> new LambdaException(ErrorType.AccessDeniedException,
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
        long expires;
        try {
            expires = Long.parseLong(request.queryParam("X-Amz-Expires").orElse(""));
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorType.AccessDeniedException, "X-Amz-Expires should be a number");
        }
        if (expires < 0 || expires > MAX_PRESIGNED_SECONDS) {
            throw new LambdaException(ErrorType.AccessDeniedException, "X-Amz-Expires must be less than a week (in"
                    + " seconds) that is 604800");
        }
        if (Instant.now().isAfter(signedAt.plusSeconds(expires))) {
            throw new LambdaException(ErrorType.AccessDeniedException, "Request has expired");
        }
        String expected = sign(request, identity, new Scope(credential[2], credential[3], signedAt),
                request.queryParam("X-Amz-SignedHeaders").orElse("host"), "UNSIGNED-PAYLOAD", false,
                Optional.of("X-Amz-Signature"));
        requireEqual(expected, request.queryParam("X-Amz-Signature").get());
        return identity;
    }

    private Identity identity(String accessKeyId, Optional<String> sessionToken) {
        Identity identity = identities.find(accessKeyId)
                .filter(found -> found.sessionToken().equals(sessionToken))
                .orElseThrow(() -> new LambdaException(ErrorType.UnrecognizedClientException,
                        "The security token included in the request is invalid."));
        if (identity.expiredAt(identities.now())) {
            throw new LambdaException(ErrorType.ExpiredTokenException,
                    "The security token included in the request is expired");
        }
        return identity;
    }

    private static void requireEqual(String expected, String given) {
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            throw new LambdaException(ErrorType.InvalidSignatureException, INVALID_SIGNATURE);
        }
    }

    /** A signature's credential scope and time. */
    private record Scope(String region, String service, Instant signedAt) {}

    private static Instant signingTime(ApiRequest request) {
        String value = request.header("X-Amz-Date").orElseThrow(() -> new LambdaException(
                ErrorType.InvalidSignatureException, "Authorization requires an X-Amz-Date header."));
        Instant signedAt = parseAmzDate(value).orElseThrow(() ->
                new LambdaException(ErrorType.InvalidSignatureException, "Invalid X-Amz-Date: " + value));
        Instant now = Instant.now();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new LambdaException(ErrorType.InvalidSignatureException, "Signature expired: " + value
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " ("
                    + AMZ_DATE.format(now) + " - 15 min.)");
        }
        return signedAt;
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'}, read by hand: a DateTimeFormatter took a twentieth of a warm Invoke's server time.
     */
    static Optional<Instant> parseAmzDate(String value) {
        if (value.length() != 16 || value.charAt(8) != 'T' || value.charAt(15) != 'Z') {
            return Optional.empty();
        }
        for (int i = 0; i < 15; i++) {
            if (i != 8 && !Character.isDigit(value.charAt(i))) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDateTime.of(number(value, 0, 4), number(value, 4, 6), number(value, 6, 8),
                    number(value, 9, 11), number(value, 11, 13), number(value, 13, 15)).toInstant(ZoneOffset.UTC));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int number(String text, int from, int to) {
        return Integer.parseInt(text, from, to, 10);
    }

    /**
     * The signature of {@code request} as the SDK's signer computes it.
     *
     * @param lambdaStyle Lambda's (and most services') canonical path: encoded twice and normalised; S3 takes neither
     * @param leftOut a query parameter not signed (a presigned URL's own signature)
     */
    private String sign(ApiRequest request, Identity identity, Scope scope, String signedHeaders, String payloadHash,
            boolean lambdaStyle, Optional<String> leftOut) {
        HostHeader host = HostHeader.parse(request.header("Host").orElse("localhost"));
        SdkHttpFullRequest.Builder copy = SdkHttpFullRequest.builder()
                .method(method(request.method()))
                .protocol("http")
                .host(host.name())
                .port(host.port())
                .encodedPath(request.rawPath());
        if (!request.rawQuery().isEmpty()) {
            for (String pair : request.rawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String key = ApiRequest.decode(eq < 0 ? pair : pair.substring(0, eq));
                if (leftOut.isPresent() && leftOut.get().equals(key)) {
                    continue;
                }
                copy.appendRawQueryParameter(key, eq < 0 ? "" : ApiRequest.decode(pair.substring(eq + 1)));
            }
        }
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers().getValuesList(name);
            values.forEach(v -> copy.appendHeader(name, v));
        }
        // The SDK's public signer always adds x-amz-content-sha256, which botocore does not sign for Lambda; its
        // request signer (the same canonicalisation, given the payload hash) signs exactly the headers sent.
        V4Properties properties = V4Properties.builder()
                .credentials(AwsCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey()))
                .credentialScope(new CredentialScope(scope.region(), scope.service(), scope.signedAt()))
                .signingClock(Clock.fixed(scope.signedAt(), ZoneOffset.UTC))
                .doubleUrlEncode(lambdaStyle)
                .normalizePath(lambdaStyle)
                .build();
        V4RequestSigningResult signed = V4RequestSigner.create(properties, payloadHash)
                .sign(copy.build().toBuilder());
        return signed.getSignature();
    }

    private static SdkHttpMethod method(String name) {
        try {
            return SdkHttpMethod.valueOf(name); // fromValue streams over every method on each call
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorType.InvalidSignatureException, "Unsupported HTTP method " + name);
        }
    }

    /** The Host header's name and port (80 when it names none), IPv6 literals kept in their brackets. */
    record HostHeader(String name, int port) {
        static HostHeader parse(String value) {
            int colon = value.lastIndexOf(':');
            if (colon < 0 || colon < value.lastIndexOf(']')) {
                return new HostHeader(value, 80);
            }
            try {
                return new HostHeader(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new LambdaException(ErrorType.InvalidSignatureException, "Invalid Host header: " + value);
            }
        }
    }

    private static String sha256Hex(byte[] body) {
        try { // a clone of a ready digest: getInstance looks the algorithm up among the providers each time
            return java.util.HexFormat.of().formatHex(((MessageDigest) SHA_256.clone()).digest(body));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
