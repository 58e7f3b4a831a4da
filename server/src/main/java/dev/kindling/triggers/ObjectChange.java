package dev.kindling.triggers;

import java.time.Instant;
import java.util.Optional;

/**
 * A change S3 made to one object, as a bucket notification reports it.
 *
 * @param eventName S3's name without the {@code s3:} prefix: {@code ObjectCreated:Put}, {@code ObjectRemoved:Delete}
 * @param versionId the object version the change made, in a versioned bucket
 */
public record ObjectChange(String bucket, String key, String eventName, Optional<String> versionId, Instant time) {
    public static final String CREATED_PUT = "ObjectCreated:Put";
    public static final String CREATED_POST = "ObjectCreated:Post";
    public static final String CREATED_COPY = "ObjectCreated:Copy";
    public static final String CREATED_MULTIPART = "ObjectCreated:CompleteMultipartUpload";
    public static final String REMOVED_DELETE = "ObjectRemoved:Delete";

    public boolean created() {
        return eventName.startsWith("ObjectCreated:");
    }
}
