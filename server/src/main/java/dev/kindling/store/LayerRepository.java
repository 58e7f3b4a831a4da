package dev.kindling.store;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/** Layers, their versions and the versions' policies, as persisted. Every method is atomic. */
public interface LayerRepository extends CodeHolder {

    /**
     * Stores the layer's next version, creating the layer on its first; {@code build} makes the record for the number
     * given. Numbers start at 1 and are never given twice, even after deletes.
     */
    LayerVersionRecord insertNextVersion(String layerName, LongFunction<LayerVersionRecord> build);

    Optional<LayerVersionRecord> find(String layerName, long version);

    /** Every version of the layer, newest first; empty if the layer has none. */
    List<LayerVersionRecord> versions(String layerName);

    /** Every version of every layer, by layer name, then newest first. */
    List<LayerVersionRecord> allVersions();

    /** Deletes the version; false if there was none. */
    boolean delete(String layerName, long version);

    /** The version's resource policy; empty if it has none (or the version does not exist). */
    Optional<LayerPolicy> policy(String layerName, long version);

    /** Replaces the version's resource policy; empty removes it. */
    void putPolicy(String layerName, long version, Optional<LayerPolicy> policy);
}
