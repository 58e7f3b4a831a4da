package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionContentInput;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3 on Kindling's endpoint through the AWS SDK's S3 client: objects in both addressing styles, multipart uploads,
 * presigned URLs, a function's own credentials, code from buckets, and S3's errors for what S3 refuses.
 */
class S3Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    static S3Client s3(KindlingServer server, AwsCredentials credentials) {
        return S3Client.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(ApacheHttpClient.create()).build();
    }

    static S3Client s3(KindlingServer server) {
        return s3(server, AwsBasicCredentials.create("test", "test"));
    }

    private static String bucket() {
        return "b-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static S3Exception assertS3Error(ThrowingCallable call, String code, int status) {
        S3Exception e = catchThrowableOfType(S3Exception.class, call);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as("error code; message: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(status);
        return e;
    }

    @Test
    void objectsInBothAddressingStyles() {
        String bucket = bucket();
        try (S3Client s3 = s3(kindling.server());
                S3Client virtualHost = S3Client.builder()
                        .endpointOverride(URI.create("http://s3.localhost:" + kindling.server().port()))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        // <bucket>.s3.localhost is loopback, as browsers and curl resolve *.localhost
                        .httpClient(ApacheHttpClient.builder().dnsResolver(host -> new InetAddress[] {
                                InetAddress.getLoopbackAddress()}).build()).build()) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.putObject(r -> r.bucket(bucket).key("docs/a b+c.txt").contentType("text/plain"),
                    RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("docs/a b+c.txt")).asUtf8String())
                    .isEqualTo("hello");
            assertThat(virtualHost.getObjectAsBytes(r -> r.bucket(bucket).key("docs/a b+c.txt")).asUtf8String())
                    .as("virtual-host style").isEqualTo("hello");
            virtualHost.putObject(r -> r.bucket(bucket).key("v/h.txt"), RequestBody.fromString("by host"));
            assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents()).extracting(o -> o.key())
                    .containsExactly("docs/a b+c.txt", "v/h.txt");
            assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("docs/")).contents()).hasSize(1);
            s3.deleteObject(r -> r.bucket(bucket).key("v/h.txt"));
            assertS3Error(() -> s3.getObject(r -> r.bucket(bucket).key("v/h.txt")), "NoSuchKey", 404);
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(bucket);
        }
    }

    @Test
    void multipartUploads() {
        String bucket = bucket();
        try (S3Client s3 = s3(kindling.server())) {
            s3.createBucket(r -> r.bucket(bucket));
            byte[] first = new byte[5 * 1024 * 1024];
            Arrays.fill(first, (byte) 'a');
            byte[] second = "the end".getBytes(StandardCharsets.UTF_8);
            String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("big.bin")).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (byte[] part : List.of(first, second)) {
                int n = number++;
                String eTag = s3.uploadPart(r -> r.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(n),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key("big.bin").uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts)));
            byte[] object = s3.getObjectAsBytes(r -> r.bucket(bucket).key("big.bin")).asByteArray();
            assertThat(object).hasSize(first.length + second.length);
            assertThat(new String(object, first.length, second.length, StandardCharsets.UTF_8)).isEqualTo("the end");
            assertThat(s3.headObject(r -> r.bucket(bucket).key("big.bin")).eTag()).endsWith("-2\"");
        }
    }

    @Test
    void presignedUrlsWorkUntilTamperedWith() throws Exception {
        String bucket = bucket();
        try (S3Client s3 = s3(kindling.server());
                S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                        .region(Region.US_EAST_1).serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .build()) {
            s3.createBucket(r -> r.bucket(bucket));
            URI put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket(bucket).key("shared.txt"))).url().toURI();
            HttpResponse<String> stored = ServerFixture.HTTP.send(HttpRequest.newBuilder(put)
                    .PUT(HttpRequest.BodyPublishers.ofString("uploaded by URL")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket(bucket).key("shared.txt"))).url().toURI();
            HttpResponse<String> read = ServerFixture.HTTP.send(HttpRequest.newBuilder(get).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("uploaded by URL");
            URI tampered = URI.create(get.toString().replace("shared.txt", "other.txt"));
            HttpResponse<String> refused = ServerFixture.HTTP.send(HttpRequest.newBuilder(tampered).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        }
    }

    @Test
    void whatS3RefusesIsRefusedInS3sWords() throws Exception {
        String bucket = bucket();
        try (S3Client s3 = s3(kindling.server())) {
            // Sent signed by hand: the SDK refuses most of these names itself.
            for (String bad : List.of("Upper", "ab", "under_score", "192.168.1.1", "two..dots", "-dash", "xn--punycode",
                    "x".repeat(64))) {
                HttpResponse<String> refused = signedS3("PUT", "/" + bad, "", "");
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(refused.body()).as(bad).contains("<Code>InvalidBucketName</Code>",
                        "<Message>The specified bucket is not valid.</Message>", "<BucketName>" + bad + "</BucketName>");
            }
            s3.createBucket(r -> r.bucket(bucket));
            assertS3Error(() -> s3.putObject(r -> r.bucket(bucket).key("k".repeat(1025)), RequestBody.fromString("x")),
                    "KeyTooLongError", 400);
            String longest = ("k".repeat(201) + "/").repeat(4) + "k".repeat(216); // 1,024 bytes, parts a file name each
            s3.putObject(r -> r.bucket(bucket).key(longest), RequestBody.fromString("x"));
            assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key(longest)).asUtf8String()).isEqualTo("x");
            S3Exception part = assertS3Error(() -> s3.putObject(r -> r.bucket(bucket).key("k".repeat(219)),
                    RequestBody.fromString("x")), "KeyTooLongError", 400);
            assertThat(part.awsErrorDetails().errorMessage()).contains("at most 218 bytes");
            assertS3Error(() -> s3.putObject(r -> r.bucket("no-such-bucket-" + bucket).key("k"),
                    RequestBody.fromString("x")), "NoSuchBucket", 404);
            try (S3Client wrongSecret = s3(kindling.server(), AwsBasicCredentials.create("test", "wrong"));
                    S3Client unknownKey = s3(kindling.server(), AwsBasicCredentials.create("nobody", "test"))) {
                assertS3Error(() -> wrongSecret.listObjectsV2(r -> r.bucket(bucket)), "SignatureDoesNotMatch", 403);
                assertS3Error(() -> unknownKey.listBuckets(), "InvalidAccessKeyId", 403);
            }
        }
        // A body that is not the one the client signed is refused, and nothing is stored.
        HttpResponse<String> mismatch = signedS3("PUT", "/" + bucket + "/tampered.txt", "signed body", "sent  body");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).contains("<Code>XAmzContentSHA256Mismatch</Code>");
        try (S3Client s3 = s3(kindling.server())) {
            assertS3Error(() -> s3.headObject(r -> r.bucket(bucket).key("tampered.txt")), "NoSuchKey", 404);
        }
    }

    @Test
    void aBodySignedChunkByChunkMustKeepItsSignatures() throws Exception {
        String bucket = bucket();
        try (S3Client s3 = s3(kindling.server())) {
            s3.createBucket(r -> r.bucket(bucket));
        }
        assertThat(chunkSignedPut(bucket, "intact.txt", false).statusCode()).isEqualTo(200);
        HttpResponse<String> tampered = chunkSignedPut(bucket, "tampered.txt", true);
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(tampered.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        try (S3Client s3 = s3(kindling.server())) {
            assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("intact.txt")).asUtf8String())
                    .isEqualTo("hello, chunks");
            assertS3Error(() -> s3.headObject(r -> r.bucket(bucket).key("tampered.txt")), "NoSuchKey", 404);
        }
    }

    /** A PUT signed chunk by chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) by the SDK's signer, one data byte changed. */
    private static HttpResponse<String> chunkSignedPut(String bucket, String key, boolean tamper) throws Exception {
        URI uri = URI.create(kindling.server().endpoint() + "/" + bucket + "/" + key);
        byte[] data = "hello, chunks".getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("test", "test"))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
                        .putHeader("Content-Length", String.valueOf(data.length)).build())
                .payload(ContentStreamProvider.fromByteArray(data))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256"))
                .contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        byte[] body = signed.payload().orElseThrow().newStream().readAllBytes();
        if (tamper) {
            String text = new String(body, StandardCharsets.ISO_8859_1).replace("hello, chunks", "jello, chunks");
            body = text.getBytes(StandardCharsets.ISO_8859_1);
        }
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return ServerFixture.HTTP.send(out.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request whose x-amz-content-sha256 and signature are for {@code signedBody}, sending {@code sentBody}. */
    private static HttpResponse<String> signedS3(String method, String path, String signedBody, String sentBody)
            throws Exception {
        URI uri = URI.create(kindling.server().endpoint() + path);
        byte[] signedBytes = signedBody.getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("test", "test"))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                        .putHeader("x-amz-content-sha256", ServerFixture.sha256Hex(signedBytes)).build())
                .payload(ContentStreamProvider.fromByteArray(signedBytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.ofString(sentBody));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return ServerFixture.HTTP.send(out.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFunctionsOwnCredentialsReachS3() throws Exception {
        String name = "s3caller-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                import os
                def lambda_handler(event, context):
                    return {k: os.environ[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
                """))).build());
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name));
        JsonNode c = JSON.readTree(response.payload().asByteArray());
        String bucket = bucket();
        try (S3Client asFunction = s3(kindling.server(), AwsSessionCredentials.create(c.get("AWS_ACCESS_KEY_ID")
                .asText(), c.get("AWS_SECRET_ACCESS_KEY").asText(), c.get("AWS_SESSION_TOKEN").asText()));
                S3Client withoutToken = s3(kindling.server(), AwsBasicCredentials.create(
                        c.get("AWS_ACCESS_KEY_ID").asText(), c.get("AWS_SECRET_ACCESS_KEY").asText()))) {
            asFunction.createBucket(r -> r.bucket(bucket));
            asFunction.putObject(r -> r.bucket(bucket).key("from-function"), RequestBody.fromString("mine"));
            assertThat(asFunction.getObjectAsBytes(r -> r.bucket(bucket).key("from-function")).asUtf8String())
                    .isEqualTo("mine");
            assertS3Error(() -> withoutToken.listObjectsV2(r -> r.bucket(bucket)), "InvalidAccessKeyId", 403);
        }
    }

    @Test
    void aRolesCredentialsReachOnlyWhatItsPoliciesAllow() {
        String bucket = bucket();
        String role = "s3-role-" + UUID.randomUUID().toString().substring(0, 8);
        AwsBasicCredentials operator = AwsBasicCredentials.create("test", "test");
        try (var iam = IamTest.iam(kindling.server(), operator); var sts = IamTest.sts(kindling.server(), operator);
                S3Client s3 = s3(kindling.server())) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.putObject(r -> r.bucket(bucket).key("in/photo.jpg"), RequestBody.fromString("pixels"));
            String roleArn = iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(IamTest.ACCOUNT_TRUST))
                    .role().arn();
            iam.attachRolePolicy(r -> r.roleName(role).policyArn(IamTest.BASIC_EXECUTION));
            var issued = sts.assumeRole(r -> r.roleArn(roleArn)
                    .roleSessionName("resizer")).credentials();
            try (S3Client asRole = s3(kindling.server(), AwsSessionCredentials.create(issued.accessKeyId(),
                    issued.secretAccessKey(), issued.sessionToken()))) {
                S3Exception denied = assertS3Error(() -> asRole.getObject(r -> r.bucket(bucket).key("in/photo.jpg")),
                        "AccessDenied", 403);
                assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::000000000000:"
                        + "assumed-role/" + role + "/resizer is not authorized to perform: s3:GetObject on resource:"
                        + " arn:aws:s3:::" + bucket + "/in/photo.jpg because no identity-based policy allows the"
                        + " s3:GetObject action");
                iam.attachRolePolicy(r -> r.roleName(role).policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
                assertThat(asRole.getObjectAsBytes(r -> r.bucket(bucket).key("in/photo.jpg")).asUtf8String())
                        .isEqualTo("pixels");
                assertThat(asRole.listObjectsV2(r -> r.bucket(bucket)).contents()).hasSize(1);
                assertS3Error(() -> asRole.putObject(r -> r.bucket(bucket).key("out/thumb.jpg"),
                        RequestBody.fromString("small")), "AccessDenied", 403);
                iam.attachRolePolicy(r -> r.roleName(role).policyArn("arn:aws:iam::aws:policy/AmazonS3FullAccess"));
                asRole.putObject(r -> r.bucket(bucket).key("out/thumb.jpg"), RequestBody.fromString("small"));
                assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("out/thumb.jpg")).asUtf8String())
                        .isEqualTo("small");
            }
        }
    }

    @Test
    void codeFromBuckets() throws Exception {
        String bucket = bucket();
        String name = "from-s3-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] one = ServerFixture.zip("one");
        byte[] two = ServerFixture.zip("two");
        try (S3Client s3 = s3(kindling.server())) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.putObject(r -> r.bucket(bucket).key("v1.zip"), RequestBody.fromBytes(one));
            s3.putObject(r -> r.bucket(bucket).key("v2.zip"), RequestBody.fromBytes(two));
        }
        var lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create(name, new byte[0])
                .code(FunctionCode.builder().s3Bucket(bucket).s3Key("v1.zip").build()).build());
        assertThat(lambda.invoke(r -> r.functionName(name)).payload().asUtf8String()).contains("one");
        var updated = lambda.updateFunctionCode(r -> r.functionName(name).s3Bucket(bucket).s3Key("v2.zip"));
        assertThat(updated.codeSha256()).isEqualTo(ServerFixture.sha256Base64(two));
        lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName(name));
        assertThat(lambda.invoke(r -> r.functionName(name)).payload().asUtf8String()).contains("two");
        var layer = lambda.publishLayerVersion(r -> r.layerName(name).content(LayerVersionContentInput.builder()
                .s3Bucket(bucket).s3Key("v1.zip").build()));
        assertThat(layer.content().codeSha256()).isEqualTo(ServerFixture.sha256Base64(one));

        var noBucket = ServerFixture.assertLambdaError(() -> lambda.createFunction(ServerFixture.create(name + "x",
                new byte[0]).code(FunctionCode.builder().s3Bucket("missing-" + bucket).s3Key("v1.zip").build())
                .build()), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(noBucket)).isEqualTo("Error occurred while GetObject. S3 Error Code:"
                + " NoSuchBucket. S3 Error Message: The specified bucket does not exist");
        var noKey = ServerFixture.assertLambdaError(() -> lambda.updateFunctionCode(r -> r.functionName(name)
                .s3Bucket(bucket).s3Key("v3.zip")), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(noKey)).isEqualTo("Error occurred while GetObject. S3 Error Code: NoSuchKey."
                + " S3 Error Message: The specified key does not exist.");
        assertThat(lambda.getFunction(r -> r.functionName(name)).configuration().codeSha256()).as("unchanged")
                .isEqualTo(ServerFixture.sha256Base64(two));
        ServerFixture.assertLambdaError(() -> lambda.publishLayerVersion(r -> r.layerName(name)
                .content(LayerVersionContentInput.builder().s3Bucket(bucket).s3Key("none.zip").build())),
                "InvalidParameterValueException", 400);
        ServerFixture.assertLambdaError(() -> lambda.updateFunctionCode(r -> r.functionName(name)
                .s3Bucket(bucket).s3Key("v1.zip").zipFile(SdkBytes.fromByteArray(ServerFixture.zip("x")))),
                "InvalidParameterValueException", 400);
    }
}
