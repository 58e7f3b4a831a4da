package dev.kindling.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One published layer version, as stored. Immutable, as on AWS: a change is a new version.
 *
 * @param layerName the layer's name (not its ARN)
 * @param version its number, from 1, never reused within the layer
 */
public record LayerVersionRecord(String layerName, long version, Details details, Content content, Instant created) {

    /** What the publisher said about the version. */
    public record Details(String description, Optional<String> licenseInfo, List<String> compatibleRuntimes,
            List<String> compatibleArchitectures) {
        public Details {
            compatibleRuntimes = List.copyOf(compatibleRuntimes);
            compatibleArchitectures = List.copyOf(compatibleArchitectures);
        }
    }

    /** The version's zip in the code store, and the size of its unpacked content. */
    public record Content(String sha256Hex, long size, long unzippedSize) {}
}
