package dev.kindling.api;

/**
 * The S3 operation a request is (GetObject, ListObjectsV2, CompleteMultipartUpload, ...), told from its method,
 * whether it names a bucket and a key, and its sub-resource parameters, as S3 tells them. The name is what IAM's
 * action is derived from ({@link IamActions}); s3proxy does the operation itself.
 */
final class S3Operations {
    private S3Operations() {}

    static String of(ApiRequest r, S3Address address) {
        String method = r.method();
        if (address.bucket().isEmpty()) {
            return "ListBuckets";
        }
        if (address.key().isEmpty()) {
            return bucketOperation(r, method);
        }
        if (r.queryParam("uploadId").isPresent()) {
            return switch (method) {
                case "PUT" -> r.header("x-amz-copy-source").isPresent() ? "UploadPartCopy" : "UploadPart";
                case "POST" -> "CompleteMultipartUpload";
                case "DELETE" -> "AbortMultipartUpload";
                default -> "ListParts";
            };
        }
        if (method.equals("POST") && r.queryParam("uploads").isPresent()) {
            return "CreateMultipartUpload";
        }
        if (r.queryParam("tagging").isPresent()) {
            return switch (method) {
                case "PUT" -> "PutObjectTagging";
                case "DELETE" -> "DeleteObjectTagging";
                default -> "GetObjectTagging";
            };
        }
        if (r.queryParam("acl").isPresent()) {
            return method.equals("PUT") ? "PutObjectAcl" : "GetObjectAcl";
        }
        return switch (method) {
            case "HEAD" -> "HeadObject";
            case "PUT" -> r.header("x-amz-copy-source").isPresent() ? "CopyObject" : "PutObject";
            case "DELETE" -> "DeleteObject";
            case "POST" -> "RestoreObject";
            default -> "GetObject";
        };
    }

    private static String bucketOperation(ApiRequest r, String method) {
        String verb = switch (method) {
            case "PUT" -> "Put";
            case "DELETE" -> "Delete";
            default -> "Get";
        };
        for (String sub : new String[] {"notification", "versioning", "acl", "policy", "cors", "tagging", "lifecycle",
                "encryption", "website", "logging"}) {
            if (r.queryParam(sub).isPresent()) {
                String name = Character.toUpperCase(sub.charAt(0)) + sub.substring(1);
                return verb + "Bucket" + name + (sub.equals("notification") ? "Configuration" : "");
            }
        }
        if (r.queryParam("location").isPresent()) {
            return "GetBucketLocation";
        }
        if (r.queryParam("uploads").isPresent()) {
            return "ListMultipartUploads";
        }
        if (method.equals("POST")) {
            return r.queryParam("delete").isPresent() ? "DeleteObjects" : "PutObject"; // PutObject: a form upload
        }
        return switch (method) {
            case "HEAD" -> "HeadBucket";
            case "PUT" -> "CreateBucket";
            case "DELETE" -> "DeleteBucket";
            default -> r.queryParam("versions").isPresent() ? "ListObjectVersions"
                    : r.queryParam("list-type").filter("2"::equals).isPresent() ? "ListObjectsV2" : "ListObjects";
        };
    }
}
