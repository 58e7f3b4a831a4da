package dev.kindling.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The ARNs AWS gives Lambda resources. */
public final class Arns {
    private Arns() {}

    public static String function(String region, String accountId, String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    /**
     * The RuntimeVersionArn of a runtime, in AWS's form (no account, a 64-hex-digit version id). Kindling runs one
     * version of each runtime, so the id is derived from the runtime's name: stable across restarts and nodes.
     */
    public static String runtimeVersion(String region, String runtime) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("kindling:" + runtime).getBytes(StandardCharsets.UTF_8));
            return "arn:aws:lambda:" + region + "::runtime:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
