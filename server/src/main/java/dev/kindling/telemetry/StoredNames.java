package dev.kindling.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File names for group and stream names: letters, digits, '.', '_', '-', '[', ']' and '$' kept, every other byte as
 * {@code %XX}, so a name reads back from its file name. A name whose encoding would pass what a file system allows
 * keeps a readable prefix and a hash; its real name is kept in a {@value #NAME_FILE} file beside its content.
 */
final class StoredNames {
    static final String NAME_FILE = ".name";
    private static final int MAX_FILE_NAME = 200;

    private StoredNames() {}

    static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".-_[]$".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        if (out.length() <= MAX_FILE_NAME && !out.toString().startsWith(".")) {
            return out.toString();
        }
        return out.substring(0, Math.min(out.length(), 120)) + "~" + sha256(name);
    }

    /** Whether the encoding of {@code name} cannot be decoded, and the name must be written beside it. */
    static boolean hashed(String encoded) {
        return encoded.contains("~");
    }

    static String decode(String encoded) {
        byte[] bytes = new byte[encoded.length()];
        int n = 0;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                bytes[n++] = (byte) Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static String sha256(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
