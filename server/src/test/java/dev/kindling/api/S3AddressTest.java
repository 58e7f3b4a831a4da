package dev.kindling.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** Bucket and key from either addressing style, S3's bucket name rules, and the operation a request is. */
class S3AddressTest {
    @Test
    void bothAddressingStylesNameTheSameObject() {
        S3Address path = S3Address.of("127.0.0.1:9000", "/photos/a%20b/c%2Bd.jpg");
        assertThat(path.bucket()).contains("photos");
        assertThat(path.key()).contains("a b/c+d.jpg");
        assertThat(path.pathStyle()).isEqualTo("/photos/a%20b/c%2Bd.jpg");
        S3Address host = S3Address.of("photos.s3.localhost:9000", "/a%20b/c%2Bd.jpg");
        assertThat(host.bucket()).contains("photos");
        assertThat(host.key()).isEqualTo(path.key());
        assertThat(host.pathStyle()).isEqualTo(path.pathStyle());
        assertThat(S3Address.of("photos.s3.us-east-1.localhost", "/").bucket()).contains("photos");
        assertThat(S3Address.of("s3.localhost:9000", "/photos").bucket()).contains("photos");
        assertThat(S3Address.of("s3.localhost:9000", "/").bucket()).isEmpty();
        assertThat(S3Address.isS3Host("photos.s3.localhost:9000")).isTrue();
        assertThat(S3Address.isS3Host("0123456789abcdef0123456789abcdef.lambda-url.us-east-1.localhost")).isFalse();
        assertThat(S3Address.isS3Host("127.0.0.1:9000")).isFalse();
    }

    @Test
    void bucketNamesFollowS3sRules() {
        for (String good : new String[] {"abc", "my-bucket.example", "a".repeat(63), "1bucket"}) {
            assertThat(S3BucketNames.valid(good)).as(good).isTrue();
        }
        for (String bad : new String[] {"ab", "a".repeat(64), "Upper", "under_score", "-start", "end-", "a..b",
                "10.0.0.1", "xn--abc", "sthree-x", "name-s3alias", "name--ol-s3"}) {
            assertThat(S3BucketNames.valid(bad)).as(bad).isFalse();
        }
    }

    @Test
    void theOperationIsToldAsS3TellsIt() {
        assertThat(operation("GET", "/", "")).isEqualTo("ListBuckets");
        assertThat(operation("PUT", "/b", "")).isEqualTo("CreateBucket");
        assertThat(operation("GET", "/b", "list-type=2&prefix=x")).isEqualTo("ListObjectsV2");
        assertThat(operation("GET", "/b", "notification")).isEqualTo("GetBucketNotificationConfiguration");
        assertThat(operation("PUT", "/b", "notification")).isEqualTo("PutBucketNotificationConfiguration");
        assertThat(operation("POST", "/b", "delete")).isEqualTo("DeleteObjects");
        assertThat(operation("PUT", "/b/k", "")).isEqualTo("PutObject");
        assertThat(operation("HEAD", "/b/k", "")).isEqualTo("HeadObject");
        assertThat(operation("POST", "/b/k", "uploads")).isEqualTo("CreateMultipartUpload");
        assertThat(operation("PUT", "/b/k", "partNumber=1&uploadId=u")).isEqualTo("UploadPart");
        assertThat(operation("POST", "/b/k", "uploadId=u")).isEqualTo("CompleteMultipartUpload");
        assertThat(operation("DELETE", "/b/k", "uploadId=u")).isEqualTo("AbortMultipartUpload");
    }

    private static String operation(String method, String path, String query) {
        ApiRequest request = new ApiRequest("id", method, path, query, HttpFields.build(), new byte[0], Map.of(),
                Optional.empty());
        return S3Operations.of(request, S3Address.of("127.0.0.1", path));
    }
}
