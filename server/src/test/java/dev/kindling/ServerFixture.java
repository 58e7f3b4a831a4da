package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Shared helpers: a real in-process server, SDK clients for it, zips, raw signed HTTP and error assertions. */
final class ServerFixture {
    static final String ACCOUNT = "000000000000";
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    static final String ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final java.time.Duration INVOCATION_READ_TIMEOUT = java.time.Duration.ofMinutes(3);

    private ServerFixture() {}

    static KindlingServer start(Path dataDir) {
        try {
            return KindlingServer.start(ServerConfig.defaults(dataDir).withPort(0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static LambdaClient client(KindlingServer server) {
        return client(server, "test", "test");
    }

    static LambdaClient client(KindlingServer server, String accessKey, String secretKey) {
        return LambdaClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                // An invocation may take as long as its function's timeout; on a loaded machine a cold start with an
                // init retry takes longer than the SDK's 30 s default, and the SDK would retry the Invoke.
                .httpClient(ApacheHttpClient.builder().socketTimeout(INVOCATION_READ_TIMEOUT).build())
                .build();
    }

    /** A zip holding lambda_function.py with a handler returning {@code marker}. */
    static byte[] zip(String marker) {
        return zipOf(Map.of("lambda_function.py",
                "def lambda_handler(event, context):\n    return {'marker': '" + marker + "'}\n"));
    }

    static byte[] zipOf(Map<String, String> files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(bytes)) {
                for (var e : files.entrySet()) {
                    out.putNextEntry(new ZipEntry(e.getKey()));
                    out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip whose entries listed in {@code executables} have mode 0755 (a custom runtime's bootstrap), the rest 0644. */
    static byte[] zipWithModes(Map<String, byte[]> files, Set<String> executables) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                for (var file : files.entrySet()) {
                    ZipArchiveEntry entry = new ZipArchiveEntry(file.getKey());
                    entry.setUnixMode(executables.contains(file.getKey()) ? 0100755 : 0100644);
                    zip.putArchiveEntry(entry);
                    zip.write(file.getValue());
                    zip.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The zip of a custom runtime: just its executable {@code bootstrap}. */
    static byte[] customRuntime(String bootstrap) {
        return zipWithModes(Map.of("bootstrap", bootstrap.getBytes(StandardCharsets.UTF_8)), Set.of("bootstrap"));
    }

    static String sha256Base64(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid CreateFunction request for {@code name} with {@code zip}; callers override fields. */
    static CreateFunctionRequest.Builder create(String name, byte[] zip) {
        return CreateFunctionRequest.builder()
                .functionName(name)
                .runtime(Runtime.PYTHON3_12)
                .role(ROLE)
                .handler("lambda_function.lambda_handler")
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(zip)).build());
    }

    static byte[] download(String location) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("download of %s", location).isEqualTo(200);
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the call fails with the AWS error {@code code} and HTTP {@code status}; returns it for more checks. */
    static LambdaException assertLambdaError(ThrowingCallable call, String code, int status) {
        LambdaException e = catchThrowableOfType(LambdaException.class, call);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as("error code; message: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(status);
        return e;
    }

    static String message(LambdaException e) {
        return e.awsErrorDetails().errorMessage();
    }

    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    /** Sends a request signed with SigV4 by the SDK's signer, through java.net.http. */
    static HttpResponse<String> signed(KindlingServer server, String method, String pathAndQuery, String body,
            String accessKey, String secretKey) {
        return signed(server, method, pathAndQuery, body, accessKey, secretKey, Clock.systemUTC(), Map.of());
    }

    /** Sends a request signed at the time {@code clock} gives; {@code replaced} headers are set after signing. */
    static HttpResponse<String> signed(KindlingServer server, String method, String pathAndQuery, String body,
            String accessKey, String secretKey, Clock clock, Map<String, String> replaced) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(server.endpoint() + pathAndQuery);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri)
                .method(method, payload.length == 0 && body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(payload));
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase()) && !replaced.containsKey(name)) {
                values.forEach(v -> out.header(name, v));
            }
        });
        replaced.forEach(out::header);
        return send(out.build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
