package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.iam.Identities;
import dev.kindling.iam.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3's older signature (AWS signature version 2), which the AWS CLI v1 still uses for {@code aws s3 presign}: a
 * presigned URL with {@code AWSAccessKeyId}, {@code Expires} and {@code Signature} in its query, or an
 * {@code Authorization: AWS <key>:<signature>} header. The string to sign is S3's: method, Content-MD5,
 * Content-Type, the date (or expiry), the x-amz- headers, and the resource with its sub-resources. No AWS SDK for
 * Java signs this way any more, so it is computed here, by S3's documented rules.
 */
final class S3SigV2Verifier {
    /** Query parameters that are part of the resource signed (S3's sub-resources and response overrides). */
    private static final Set<String> SUB_RESOURCES = Set.of("acl", "cors", "delete", "lifecycle", "location",
            "logging", "notification", "partNumber", "policy", "requestPayment", "restore", "tagging", "torrent",
            "uploadId", "uploads", "versionId", "versioning", "versions", "website", "response-content-type",
            "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
            "response-content-encoding", "select", "select-type", "object-lock", "retention", "legal-hold",
            "replication", "encryption", "accelerate", "inventory", "analytics", "metrics", "ownershipControls",
            "intelligent-tiering", "attributes");

    private final Identities identities;

    S3SigV2Verifier(Identities identities) {
        this.identities = identities;
    }

    /** Whether the request carries a version 2 signature (header or query). */
    static boolean signedWith(ApiRequest request) {
        return request.header("Authorization").map(a -> a.startsWith("AWS ")).orElse(false)
                || request.queryParam("AWSAccessKeyId").isPresent() && request.queryParam("Signature").isPresent();
    }

    /** @param resource the path naming bucket and key, {@code /<bucket>/<key>} as sent (path style) */
    Identity verify(ApiRequest request, String resource) {
        boolean presigned = request.header("Authorization").isEmpty();
        String accessKey;
        String signature;
        String date;
        Map<String, List<String>> amzHeaders = new TreeMap<>();
        request.headers().forEach(f -> {
            String name = f.getLowerCaseName();
            if (name.startsWith("x-amz-")) {
                amzHeaders.computeIfAbsent(name, n -> new ArrayList<>()).add(f.getValue().trim());
            }
        });
        if (presigned) {
            accessKey = request.queryParam("AWSAccessKeyId").get();
            signature = request.queryParam("Signature").get();
            date = request.queryParam("Expires").orElse("");
            long expires;
            try {
                expires = Long.parseLong(date);
            } catch (NumberFormatException e) {
                throw new LambdaException(ErrorType.AccessDeniedException, "Invalid date (should be seconds since"
                        + " epoch): " + date);
            }
            if (Instant.now().getEpochSecond() > expires) {
                throw new LambdaException(ErrorType.AccessDeniedException, "Request has expired");
            }
            for (String pair : request.rawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = ApiRequest.decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                if (name.startsWith("x-amz-")) {
                    amzHeaders.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(eq < 0 ? "" : ApiRequest.decode(pair.substring(eq + 1)).trim());
                }
            }
        } else {
            String credential = request.header("Authorization").get().substring("AWS ".length()).trim();
            int colon = credential.lastIndexOf(':');
            if (colon < 0) {
                throw new LambdaException(ErrorType.InvalidSignatureException, "Authorization header is invalid");
            }
            accessKey = credential.substring(0, colon);
            signature = credential.substring(colon + 1);
            date = amzHeaders.containsKey("x-amz-date") ? "" : request.header("Date").orElse("");
        }
        Optional<String> token = Optional.ofNullable(amzHeaders.get("x-amz-security-token")).map(v -> v.get(0));
        Identity identity = identities.find(accessKey).filter(found -> found.sessionToken().equals(token))
                .orElseThrow(() -> new LambdaException(ErrorType.UnrecognizedClientException,
                        "The security token included in the request is invalid."));
        if (identity.expiredAt(identities.now())) {
            throw new LambdaException(ErrorType.ExpiredTokenException,
                    "The security token included in the request is expired");
        }
        StringBuilder toSign = new StringBuilder().append(request.method()).append('\n')
                .append(request.header("Content-MD5").orElse("")).append('\n')
                .append(request.header("Content-Type").orElse("")).append('\n')
                .append(date).append('\n');
        amzHeaders.forEach((name, values) -> toSign.append(name).append(':').append(String.join(",", values))
                .append('\n'));
        toSign.append(resource).append(subResources(request));
        String expected = Base64.getEncoder().encodeToString(hmacSha1(identity.secretAccessKey(), toSign.toString()));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new LambdaException(ErrorType.InvalidSignatureException, "signature does not match");
        }
        return identity;
    }

    private static String subResources(ApiRequest request) {
        TreeMap<String, Optional<String>> signed = new TreeMap<>();
        if (!request.rawQuery().isEmpty()) {
            for (String pair : request.rawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = ApiRequest.decode(eq < 0 ? pair : pair.substring(0, eq));
                if (SUB_RESOURCES.contains(name)) {
                    signed.put(name, eq < 0 ? Optional.empty() : Optional.of(ApiRequest.decode(pair.substring(eq + 1))));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        signed.forEach((name, value) -> out.append(out.isEmpty() ? '?' : '&').append(name)
                .append(value.map(v -> "=" + v).orElse("")));
        return out.toString();
    }

    private static byte[] hmacSha1(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
