package dev.kindling.triggers;

import java.util.Set;

/**
 * The event types a bucket notification may name, as S3 lists them ({@code s3:ObjectCreated:Put}, ...), and how a
 * wildcard type ({@code s3:ObjectCreated:*}) covers the specific ones. Kindling raises the ObjectCreated and
 * ObjectRemoved ones; the others are accepted, as S3 accepts them, and never fire.
 */
final class S3EventTypes {
    static final Set<String> ALL = Set.of(
            "s3:ReducedRedundancyLostObject",
            "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
            "s3:ObjectCreated:CompleteMultipartUpload",
            "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
            "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
            "s3:Replication:*", "s3:Replication:OperationFailedReplication",
            "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
            "s3:Replication:OperationReplicatedAfterThreshold",
            "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
            "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition", "s3:IntelligentTiering",
            "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put");

    private S3EventTypes() {}

    /** Whether the configured type ({@code s3:ObjectCreated:*}) covers a raised event ({@code ObjectCreated:Put}). */
    static boolean covers(String configured, String eventName) {
        String raised = "s3:" + eventName;
        return configured.equals(raised) || configured.endsWith(":*")
                && raised.startsWith(configured.substring(0, configured.length() - 1));
    }

    /** Whether two configured types share an event: equal, or one the other's wildcard. */
    static boolean overlap(String a, String b) {
        return a.equals(b) || covers(a, b.substring(3)) || covers(b, a.substring(3));
    }
}
