package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

class FunctionValidationTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates with {@code request}, expects the error, and checks nothing was created or left behind. */
    private static LambdaException refused(CreateFunctionRequest request, String code, int status, String... mentions) {
        List<String> blobsBefore = files(kindling.dataDir().resolve("code/blobs"));
        LambdaException e = assertLambdaError(() -> kindling.lambda().createFunction(request), code, status);
        assertThat(ServerFixture.message(e)).contains(mentions);
        String name = request.functionName();
        assertThat(allFunctionNames()).doesNotContain(name);
        if (name.matches("[a-zA-Z0-9-_]{1,64}")) {
            assertLambdaError(() -> kindling.lambda().getFunction(r -> r.functionName(name)), "ResourceNotFoundException", 404);
        }
        assertThat(files(kindling.dataDir().resolve("code/blobs"))).isEqualTo(blobsBefore);
        assertThat(files(kindling.dataDir().resolve("code/staging"))).as("staging is cleaned up").isEmpty();
        return e;
    }

    private static List<String> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> allFunctionNames() {
        List<String> names = new java.util.ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            var page = kindling.lambda().listFunctions(r -> r.marker(m));
            page.functions().stream().map(FunctionConfiguration::functionName).forEach(names::add);
            marker = page.nextMarker();
        } while (marker != null);
        return names;
    }

    private static CreateFunctionRequest.Builder valid(String name) {
        return ServerFixture.create(name, ServerFixture.zip(name));
    }

    @Test
    void badNamePattern() {
        refused(valid("bad name!").build(), "ValidationException", 400, "functionName", "bad name!");
    }

    @Test
    void nameOver64Characters() {
        // AWS answers this one with InvalidParameterValueException, worded as a validation error.
        refused(valid("a".repeat(65)).build(), "InvalidParameterValueException", 400, "functionName", "64");
        // 64 is fine.
        String ok = "b".repeat(56) + UUID.randomUUID().toString().substring(0, 8);
        assertThat(kindling.lambda().createFunction(valid(ok).build()).functionName()).isEqualTo(ok);
    }

    @Test
    void runtimeNotInTheEnum() {
        // AWS checks the runtime as a parameter, not against the model's enum.
        refused(valid(unique("rt")).runtime("python9.99").build(), "InvalidParameterValueException", 400, "runtime",
                "python9.99", "or be a valid ARN");
    }

    @Test
    void runtimeInTheEnumButUnsupported() {
        var e = refused(valid(unique("ruby")).runtime("ruby3.3").build(), "InvalidParameterValueException", 400,
                "runtime", "ruby3.3");
        assertThat(e).isInstanceOf(InvalidParameterValueException.class);
    }

    @Test
    void missingHandler() {
        refused(valid(unique("nohandler")).handler(null).build(), "InvalidParameterValueException", 400, "Handler");
    }

    @Test
    void handlerWithWhitespace() {
        refused(valid(unique("wshandler")).handler("lambda_function. handler").build(), "ValidationException", 400,
                "handler");
    }

    @Test
    void memorySizeOutOfRange() {
        refused(valid(unique("mem")).memorySize(127).build(), "ValidationException", 400, "memorySize", "127");
        refused(valid(unique("mem")).memorySize(10241).build(), "ValidationException", 400, "memorySize", "10241");
    }

    @Test
    void timeoutOutOfRange() {
        refused(valid(unique("to")).timeout(0).build(), "ValidationException", 400, "timeout");
        refused(valid(unique("to")).timeout(901).build(), "ValidationException", 400, "timeout", "901");
    }

    @Test
    void environmentOver4Kb() {
        Map<String, String> env = new HashMap<>();
        env.put("BIG", "x".repeat(4100));
        refused(valid(unique("env")).environment(Environment.builder().variables(env).build()).build(),
                "InvalidParameterValueException", 400, "environment variables", "4KB");
    }

    @Test
    void reservedEnvironmentKey() {
        refused(valid(unique("envres")).environment(Environment.builder().variables(Map.of("AWS_REGION", "x")).build())
                .build(), "InvalidParameterValueException", 400, "reserved", "AWS_REGION");
    }

    /**
     * A zip just over the 52428800-byte limit whose base64 request still fits the server's request cap
     * (70167211 bytes), so the zip-size check itself answers.
     */
    @Test
    void zipOver50MbIsTooLarge() throws IOException {
        byte[] zip = storedZip(52_500_000);
        assertThat(zip.length).isGreaterThan(52_428_800);
        refused(ServerFixture.create(unique("big"), zip).build(), "RequestEntityTooLargeException", 413, "52428800");
    }

    /**
     * A valid 20 MB zip is within AWS's limits and must be accepted. Fails today: the server's Jackson parser keeps its
     * default StreamReadConstraints max string length (20,000,000 chars), so any base64 ZipFile over ~15 MB is refused
     * with InvalidRequestContentException.
     */
    @Test
    void zipOf20MbIsAccepted() throws IOException {
        String name = unique("twenty");
        byte[] zip = storedZip(20_000_000);
        var created = kindling.lambda().createFunction(ServerFixture.create(name, zip).build());
        assertThat(created.codeSize()).isEqualTo(zip.length);
        assertThat(created.codeSha256()).isEqualTo(ServerFixture.sha256Base64(zip));
        kindling.lambda().deleteFunction(r -> r.functionName(name));
    }

    /**
     * A 51 MiB zip makes a request (~71.3 MB of base64) over AWS's request cap: the server reads the body to its end
     * before answering, so the SDK sees the 413 rather than a broken pipe. AWS's message names the operation
     * ("Request must be smaller than 70167211 bytes for the CreateFunction operation").
     */
    @Test
    void zipOf51MibIsTooLarge() throws IOException {
        refused(ServerFixture.create(unique("big"), storedZip(51 * 1024 * 1024)).build(),
                "RequestEntityTooLargeException", 413,
                "Request must be smaller than 70167211 bytes for the CreateFunction operation");
    }

    private static byte[] storedZip(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 1024);
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            ZipEntry entry = new ZipEntry("big.bin");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
            out.putNextEntry(entry);
            out.write(data);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void unzippedOver250Mb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("lambda_function.py"));
            out.write("def lambda_handler(e, c):\n    return 1\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 251; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        byte[] zip = bytes.toByteArray();
        assertThat(zip.length).isLessThan(2 * 1024 * 1024);
        refused(ServerFixture.create(unique("bomb"), zip).build(), "InvalidParameterValueException", 400,
                "Unzipped size", "262144000");
    }

    @Test
    void bytesThatAreNotAZip() {
        refused(ServerFixture.create(unique("notzip"), "this is not a zip file".getBytes(StandardCharsets.UTF_8))
                .build(), "InvalidParameterValueException", 400, "unzip");
    }

    @Test
    void entryWithDotDotEscapes() {
        String evil = "evil-" + UUID.randomUUID() + ".py";
        for (String entry : List.of("../" + evil, "../../../../../../../../../../../../tmp/" + evil)) {
            byte[] zip = ServerFixture.zipOf(Map.of("lambda_function.py", "x = 1\n", entry, "print('pwned')\n"));
            refused(ServerFixture.create(unique("slip"), zip).build(), "InvalidParameterValueException", 400, entry);
        }
        assertNoFileNamed(evil);
    }

    @Test
    void absoluteEntryEscapes() throws IOException {
        String abs = "abs-" + UUID.randomUUID() + ".py";
        for (String entry : List.of("/" + abs, "/tmp/" + abs)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
                for (String name : List.of("lambda_function.py", entry)) {
                    out.putArchiveEntry(new ZipArchiveEntry(name));
                    out.write("x = 1\n".getBytes(StandardCharsets.UTF_8));
                    out.closeArchiveEntry();
                }
            }
            refused(ServerFixture.create(unique("abs"), bytes.toByteArray()).build(), "InvalidParameterValueException",
                    400, entry);
        }
        assertNoFileNamed(abs);
    }

    @Test
    void symlinkPointingOutside() throws IOException {
        String link = "link-" + UUID.randomUUID();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            out.putArchiveEntry(new ZipArchiveEntry("lambda_function.py"));
            out.write("x = 1\n".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
            ZipArchiveEntry entry = new ZipArchiveEntry(link);
            entry.setUnixMode(0120777);
            out.putArchiveEntry(entry);
            out.write("../../etc/passwd".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        refused(ServerFixture.create(unique("symlink"), bytes.toByteArray()).build(), "InvalidParameterValueException",
                400, link);
        assertNoFileNamed(link);
    }

    private static void assertNoFileNamed(String fileName) {
        assertThat(Path.of("/tmp", fileName)).doesNotExist();
        assertThat(Path.of("/", fileName)).doesNotExist();
        try (Stream<Path> walk = Files.walk(kindling.root())) {
            assertThat(walk.map(p -> p.getFileName().toString())).doesNotContain(fileName);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void s3CodeFromAMissingBucketIsRefused() {
        refused(valid(unique("s3")).code(FunctionCode.builder().s3Bucket("bucket").s3Key("key.zip").build()).build(),
                "InvalidParameterValueException", 400, "S3 Error Code: NoSuchBucket");
    }

    @Test
    void missingFunctionIsNotFoundWithItsArn() {
        String name = unique("missing");
        var e = assertLambdaError(() -> kindling.lambda().getFunction(r -> r.functionName(name)), "ResourceNotFoundException", 404);
        assertThat(e).isInstanceOf(ResourceNotFoundException.class);
        assertThat(ServerFixture.message(e)).contains(ARN_PREFIX + name);
        assertLambdaError(() -> kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)),
                "ResourceNotFoundException", 404);
        assertLambdaError(() -> kindling.lambda().updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(ServerFixture.zip("x")))), "ResourceNotFoundException", 404);
        assertLambdaError(() -> kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).timeout(10)),
                "ResourceNotFoundException", 404);
        assertLambdaError(() -> kindling.lambda().deleteFunction(r -> r.functionName(name)), "ResourceNotFoundException", 404);
        assertThat(files(kindling.dataDir().resolve("code/staging"))).isEmpty();
    }

    @Test
    void malformedJsonIsInvalidRequestContent() {
        String name = unique("malformed");
        HttpResponse<String> response = ServerFixture.signed(kindling.server(), "POST", "/2015-03-31/functions",
                "{\"FunctionName\": \"" + name + "\", ", "test", "test");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidRequestContentException");
        assertThat(allFunctionNames()).doesNotContain(name);
    }

    @Test
    void unknownOperation() {
        HttpResponse<String> response = ServerFixture.signed(kindling.server(), "GET", "/2015-03-31/no-such-operation", null,
                "test", "test");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
    }

    @Test
    void signedRawRequestWorksForAKnownOperation() {
        // Guards the raw-HTTP helper: a correctly signed request for a real operation succeeds.
        HttpResponse<String> response = ServerFixture.signed(kindling.server(), "GET", "/2015-03-31/functions", null,
                "test", "test");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Functions");
    }
}
