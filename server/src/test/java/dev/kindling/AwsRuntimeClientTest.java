package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * AWS's own Java runtime interface client (com.amazonaws:aws-lambda-java-runtime-interface-client, from Maven
 * Central) runs unchanged against Kindling's Runtime API, as a custom runtime whose bootstrap starts it.
 */
class AwsRuntimeClientTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static final String HANDLER = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;

            public class Hello implements RequestHandler<Map<String, Object>, String> {
                @Override
                public String handleRequest(Map<String, Object> event, Context context) {
                    if (event.containsKey("fail")) {
                        throw new IllegalStateException("failing on purpose");
                    }
                    if (event.containsKey("trace")) {
                        return context.getXrayTraceId() + " " + System.getProperty("com.amazonaws.xray.traceHeader");
                    }
                    context.getLogger().log("hello from the handler");
                    return "hello " + event.get("name") + " from " + context.getFunctionName() + " as "
                            + context.getAwsRequestId() + " with " + context.getMemoryLimitInMB() + " MB";
                }
            }
            """;

    @Test
    void awsJavaRuntimeClientServesInvocations() throws Exception {
        Path work = kindling.root().resolve("ric");
        Path classes = compileHandler(work);
        String name = "aws-ric";
        kindling.lambda().createFunction(ServerFixture.create(name, zip(classes)).runtime(Runtime.PROVIDED_AL2023)
                .handler("example.Hello::handleRequest").timeout(30).memorySize(512).build());

        InvokeResponse hello = kindling.lambda().invoke(r -> r.functionName(name)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"kindling\"}")));
        assertThat(hello.functionError()).isNull();
        assertThat(hello.payload().asUtf8String()).isEqualTo("\"hello kindling from aws-ric as "
                + hello.responseMetadata().requestId() + " with 512 MB\"");

        InvokeResponse warm = kindling.lambda().invoke(r -> r.functionName(name)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"again\"}")));
        assertThat(warm.payload().asUtf8String()).as("the function's log:%n%s", kindling.logGroup(name))
                .startsWith("\"hello again from aws-ric");

        String upstream = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        InvokeResponse traced = kindling.lambda().invoke(r -> r.functionName(name)
                .overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id", upstream))
                .payload(SdkBytes.fromUtf8String("{\"trace\":true}")));
        String[] seen = traced.payload().asUtf8String().replace("\"", "").split(" ");
        assertThat(seen[0]).as("AWS's client hands the handler the trace header (Context and system property)")
                .matches("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1")
                .isEqualTo(seen[1]);

        InvokeResponse failed = kindling.lambda().invoke(r -> r.functionName(name)
                .payload(SdkBytes.fromUtf8String("{\"fail\":true}")));
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(failed.payload().asUtf8String()).as("the function's log:%n%s", kindling.logGroup(name)).contains("\"errorMessage\":\"failing on purpose\"",
                "\"errorType\":\"java.lang.IllegalStateException\"");
        assertThat(kindling.logGroup(name)).as("one environment, warm, served them all")
                .containsOnlyOnce("Init Duration").doesNotContain("Exception in thread");
    }

    private static Path compileHandler(Path work) throws IOException {
        Path sources = Files.createDirectories(work.resolve("src/example"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Files.writeString(sources.resolve("Hello.java"), HANDLER);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-cp", awsJars(), sources.resolve("Hello.java").toString());
        assertThat(status).as("the handler compiles").isZero();
        return classes;
    }

    /** AWS's client and what it depends on (its pom), as Maven put them on this test's class path. */
    private static String awsJars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("/com/amazonaws/aws-lambda-java-")
                        || entry.contains("/software/amazon/awssdk/utils-lite/"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * The handler's class, AWS's client and its dependencies in lib/ (a function sees only its own package), and a
     * bootstrap that starts the client on this JVM's java, as AWS's images do.
     */
    private static byte[] zip(Path classes) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String bootstrap = "#!/bin/sh\nexec " + java + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                + " -cp \"$LAMBDA_TASK_ROOT:$LAMBDA_TASK_ROOT/lib/*\""
                + " com.amazonaws.services.lambda.runtime.api.client.AWSLambda \"$_HANDLER\"\n";
        Map<String, byte[]> files = new HashMap<>();
        files.put("bootstrap", bootstrap.getBytes(StandardCharsets.UTF_8));
        for (String jar : awsJars().split(File.pathSeparator)) {
            files.put("lib/" + Path.of(jar).getFileName(), Files.readAllBytes(Path.of(jar)));
        }
        try (var walk = Files.walk(classes)) {
            for (Path classFile : walk.filter(p -> p.toString().endsWith(".class")).toList()) {
                files.put(classes.relativize(classFile).toString(), Files.readAllBytes(classFile));
            }
        }
        return ServerFixture.zipWithModes(files, Set.of("bootstrap"));
    }
}
