package dev.kindling.code;

import java.nio.file.Path;

/**
 * A zip that passed every check and sits unpacked in the staging area, not yet visible to anything.
 * {@link CodeStore#publish} makes it part of the store; {@link CodeStore#discard} throws it away.
 */
public record StagedCode(String sha256Hex, String sha256Base64, long size, Path zipFile, Path unpackedDir) {}
