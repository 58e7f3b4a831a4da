package dev.kindling.runtimes;

import java.nio.file.Path;
import java.util.Map;

/**
 * The operator's settings for Java functions.
 *
 * @param homes runtime (java21) to the JDK home it runs on, overriding the JDK Kindling would choose
 * @param snapStartForLatest whether SnapStart (ApplyOn PublishedVersions) covers $LATEST too, a Kindling setting:
 *     AWS applies it to published versions only
 */
public record JavaSettings(Map<String, Path> homes, boolean snapStartForLatest) {
    public static final JavaSettings DEFAULTS = new JavaSettings(Map.of(), false);

    public JavaSettings {
        homes = Map.copyOf(homes);
    }
}
