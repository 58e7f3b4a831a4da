package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.runtimes.JavaSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SnapStartApplyOn;

/** Kindling's setting --snapstart-latest: SnapStart covers $LATEST too, trained after each change. */
class SnapStartLatestTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(c -> c.withJava(new JavaSettings(Map.of(), true)));

    private static final String HANDLER = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;

            public class Hello implements RequestHandler<Map<String, Object>, String> {
                @Override
                public String handleRequest(Map<String, Object> event, Context context) {
                    return "hello " + event.get("name") + " " + System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE");
                }
            }
            """;

    @Test
    void latestStartsFromItsCacheAfterAChange() throws Exception {
        kindling.lambda().createFunction(ServerFixture.create("latest-snap", zip()).runtime(Runtime.JAVA21)
                .handler("example.Hello").timeout(30).memorySize(256)
                .snapStart(s -> s.applyOn(SnapStartApplyOn.PUBLISHED_VERSIONS)).build());
        assertThat(kindling.lambda().getFunctionConfiguration(r -> r.functionName("latest-snap")).snapStart()
                .optimizationStatusAsString()).as("still as AWS reports $LATEST").isEqualTo("Off");
        awaitCache();
        // A change that keeps the code and what the cache depends on: the new $LATEST finds the cache.
        kindling.lambda().updateFunctionConfiguration(r -> r.functionName("latest-snap").description("changed"));
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName("latest-snap")
                .payload(SdkBytes.fromUtf8String("{\"name\":\"latest\"}")));
        assertThat(response.payload().asUtf8String()).as(kindling.logGroup("latest-snap"))
                .isEqualTo("\"hello latest snap-start\"");
        assertThat(kindling.logGroup("latest-snap")).contains("Kindling SnapStart: restored from the cache")
                .contains("Restore Duration: ");
    }

    private static void awaitCache() throws Exception {
        Path root = kindling.dataDir().resolve("snapstart");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> dirs = Files.list(root)) {
                    if (dirs.anyMatch(d -> Files.exists(d.resolve("cache.crc32c")))) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no SnapStart cache for $LATEST within 150 s; the server's log says why");
    }

    /** The handler compiled here against aws-lambda-java-core (from this test's class path), its classes at the root. */
    private static byte[] zip() throws Exception {
        Path work = kindling.root().resolve("latest");
        Path sources = Files.createDirectories(work.resolve("src/example"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Files.writeString(sources.resolve("Hello.java"), HANDLER);
        String core = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("/com/amazonaws/aws-lambda-java-core/"))
                .collect(Collectors.joining(File.pathSeparator));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21", "-d",
                classes.toString(), "-cp", core, sources.resolve("Hello.java").toString());
        assertThat(status).as("the handler compiles").isZero();
        Map<String, byte[]> files = new HashMap<>();
        for (Path file : List.of(classes.resolve("example/Hello.class"))) {
            files.put(classes.relativize(file).toString(), Files.readAllBytes(file));
        }
        return ServerFixture.zipWithModes(files, Set.of());
    }
}
