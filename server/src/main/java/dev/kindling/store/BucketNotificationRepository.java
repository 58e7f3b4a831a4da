package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/** S3 buckets' notification configurations, as persisted: each bucket's as one JSON document. */
public interface BucketNotificationRepository {
    Optional<String> find(String bucket);

    /** Every bucket with a configuration, for loading them at start. */
    List<String> buckets();

    /** Stores the configuration, replacing the one there; an empty one deletes it. */
    void put(String bucket, Optional<String> configurationJson);
}
