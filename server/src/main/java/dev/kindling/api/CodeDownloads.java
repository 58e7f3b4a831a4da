package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Code.Location of GetFunction: a URL that downloads a function's zip without AWS credentials for ten minutes, like
 * the presigned S3 URL AWS returns. The URL carries an HMAC over the blob and its expiry, keyed by a secret that
 * lives only as long as this server process.
 */
public final class CodeDownloads implements ApiServer.Operations {
    private static final Duration VALIDITY = Duration.ofMinutes(10);
    private static final String PATH = "/kindling/code/";

    private final CodeStore code;
    private final byte[] key = new byte[32];

    public CodeDownloads(CodeStore code) {
        this.code = code;
        new SecureRandom().nextBytes(key);
    }

    /** A download URL for the blob, on the host the client reached us at. */
    String location(String host, String sha256Hex) {
        long expires = Instant.now().plus(VALIDITY).getEpochSecond();
        return "http://" + host + PATH + sha256Hex + ".zip?expires=" + expires + "&signature=" + mac(sha256Hex, expires);
    }

    @Override
    public void addRoutes(Router router) {
        router.addUnsigned("GetFunctionCodeDownload", "GET", PATH + "{blob}", this::download);
    }

    private ApiResponse download(ApiRequest request) throws Exception {
        String blob = request.pathParam("blob");
        String sha = blob.endsWith(".zip") ? blob.substring(0, blob.length() - 4) : blob;
        long expires;
        try {
            expires = Long.parseLong(request.queryParam("expires").orElse("0"));
        } catch (NumberFormatException e) {
            expires = 0;
        }
        String signature = request.queryParam("signature").orElse("");
        if (!sha.matches("[0-9a-f]{64}") || !MessageDigest.isEqual(mac(sha, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new LambdaException(ErrorType.AccessDeniedException, "The code download URL is not valid.");
        }
        if (Instant.now().getEpochSecond() > expires) {
            throw new LambdaException(ErrorType.AccessDeniedException,
                    "The code download URL has expired: call GetFunction for a new one.");
        }
        if (!code.contains(sha)) {
            throw new LambdaException(ErrorType.ResourceNotFoundException, "The code no longer exists.");
        }
        return ApiResponse.bytes(200, Files.readAllBytes(code.blob(sha)), "application/zip");
    }

    private String mac(String sha, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((sha + "/" + expires).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
