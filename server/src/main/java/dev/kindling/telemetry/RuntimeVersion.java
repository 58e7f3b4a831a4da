package dev.kindling.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What INIT_START names: the runtime version an environment runs, as AWS writes it ({@code python:3.12.v36}) but
 * with Kindling's own build in place of AWS's release number ({@code python:3.12.kindling}), and an ARN AWS's shape
 * ({@code arn:aws:lambda:<region>::runtime:<64 hex>}) that changes when what serves the runtime changes.
 */
public record RuntimeVersion(String version, String arn) {
    private static final Pattern IDENTIFIER = Pattern.compile("([a-z]+)\\.?([0-9a-z.]+?)(\\.x)?");

    /**
     * @param runtime the function's Runtime ({@code python3.12}, {@code nodejs20.x}, {@code provided.al2023})
     * @param servedBy what runs it here (the interpreter's path): part of the ARN's digest
     */
    public static RuntimeVersion of(String runtime, String servedBy, String region) {
        Matcher m = IDENTIFIER.matcher(runtime);
        String version = m.matches() ? m.group(1) + ":" + m.group(2) + ".kindling" : runtime + ".kindling";
        return new RuntimeVersion(version, "arn:aws:lambda:" + region + "::runtime:" + sha256(runtime + "\n" + servedBy));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
