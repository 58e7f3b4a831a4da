package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * The edges of an execution environment's life that a user can run into: init overrunning AWS's 10 s, a function
 * changed or deleted while an invocation runs, and hundreds of environments at once.
 */
class EnvironmentLifecycleTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(config -> config.withConcurrencyLimit(400));

    private static String python(String source, int timeout) {
        String name = "life-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                source))).handler("lambda_function.handler").timeout(timeout).build());
        return name;
    }

    private static InvokeResponse invoke(String name, String payload) {
        return kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload))
                .logType(LogType.TAIL));
    }

    private static String logOf(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    /** The process ends within seconds (it is killed as its environment is destroyed; the kill lands a moment later). */
    private static void assertGone(long pid, String what) throws Exception {
        var process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as(what + " is gone")
                .isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void initOverrunningTenSecondsIsRetriedWithinTheFunctionTimeout() {
        // Init takes 12 s every time: past the 10 s init limit, then past the 2 s timeout of the retried init.
        String name = python("import time\ntime.sleep(12)\ndef handler(event, context):\n    return 'never'\n", 2);
        long started = System.nanoTime();
        InvokeResponse response = invoke(name, "{}");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).contains("\"errorType\":\"Sandbox.Timedout\"",
                "Task timed out after 2.00 seconds");
        assertThat(took).isBetween(Duration.ofSeconds(11), Duration.ofSeconds(20));
        assertThat(kindling.logGroup(name)).contains("INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout");
    }

    @Test
    void initOverrunSucceedsWhenTheRetriedInitFitsTheTimeout() {
        // The first environment's init outlasts 10 s; the retried one finds the marker and starts at once.
        Path marker = kindling.root().resolve("slow-init-" + UUID.randomUUID());
        String name = python("import os, time\n"
                + "if not os.path.exists('" + marker + "'):\n"
                + "    open('" + marker + "', 'w').close()\n"
                + "    time.sleep(30)\n"
                + "def handler(event, context):\n    return 'initialised'\n", 20);
        InvokeResponse response = invoke(name, "{}");
        assertThat(response.functionError()).isNull();
        assertThat(response.payload().asUtf8String()).isEqualTo("\"initialised\"");
        assertThat(kindling.logGroup(name)).contains("Phase: init\tStatus: timeout");
    }

    @Test
    void anUpdateDuringAnInvocationRetiresTheBusyEnvironment() throws Exception {
        String name = python("import os, time\n"
                + "def handler(event, context):\n"
                + "    time.sleep(event.get('sleep', 0))\n"
                + "    return 'old ' + str(os.getpid())\n", 10);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        Future<InvokeResponse> inFlight = caller.submit(() -> invoke(name, "{\"sleep\": 1.5}"));
        Thread.sleep(700);
        kindling.lambda().updateFunctionCode(r -> r.functionName(name).zipFile(SdkBytes.fromByteArray(
                ServerFixture.zipOf(Map.of("lambda_function.py",
                        "def handler(event, context):\n    return 'new'\n")))));
        assertThat(inFlight.get().payload().asUtf8String()).as("the invocation already running finishes")
                .startsWith("\"old ");
        caller.shutdown();
        for (int i = 0; i < 3; i++) {
            assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("\"new\"");
        }
        long pid = Long.parseLong(inFlight.get().payload().asUtf8String().replaceAll("\\D", ""));
        assertGone(pid, "the old environment");
    }

    @Test
    void deletingAFunctionDuringAnInvocationStillAnswersItAndLeavesNoProcess() throws Exception {
        String name = python("import os, time\n"
                + "def handler(event, context):\n"
                + "    time.sleep(1)\n"
                + "    return os.getpid()\n", 10);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        Future<InvokeResponse> inFlight = caller.submit(() -> invoke(name, "{}"));
        Thread.sleep(500);
        kindling.lambda().deleteFunction(r -> r.functionName(name));
        InvokeResponse response = inFlight.get();
        caller.shutdown();
        assertThat(response.functionError()).isNull();
        long pid = Long.parseLong(response.payload().asUtf8String());
        assertGone(pid, "the deleted function's environment");
    }

    @Test
    void failingFunctionsDoNotDisturbAnother() throws Exception {
        String healthy = python("import os\ndef handler(event, context):\n    return os.getpid()\n", 10);
        String crashing = python("import os\ndef handler(event, context):\n    os._exit(1)\n", 10);
        String hanging = python("import time\ndef handler(event, context):\n    time.sleep(60)\n", 1);
        String pid = invoke(healthy, "{}").payload().asUtf8String();
        ExecutorService troublemakers = Executors.newFixedThreadPool(4);
        List<Future<InvokeResponse>> trouble = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            trouble.add(troublemakers.submit(() -> invoke(crashing, "{}")));
            trouble.add(troublemakers.submit(() -> invoke(hanging, "{}")));
        }
        for (int i = 0; i < 20; i++) {
            InvokeResponse response = invoke(healthy, "{}");
            assertThat(response.functionError()).isNull();
            assertThat(response.payload().asUtf8String()).as("the same warm environment throughout").isEqualTo(pid);
        }
        for (Future<InvokeResponse> failed : trouble) {
            assertThat(failed.get().functionError()).isEqualTo("Unhandled");
        }
        troublemakers.shutdown();
    }

    @Test
    void aFunctionThatPrintsWithoutPauseHasItsLogStreamMovedAsideWhileItRuns() throws IOException {
        // 80 MB of output in one 4 s invocation; a stream's file is moved aside past 16 MB, checked every second.
        String name = python("import sys, time\n"
                + "def handler(event, context):\n"
                + "    for i in range(20):\n"
                + "        sys.stdout.write('x' * (4 * 1024 * 1024) + '\\n')\n"
                + "        time.sleep(0.2)\n"
                + "    return 'done'\n", 30);
        InvokeResponse response = invoke(name, "{}");
        assertThat(response.payload().asUtf8String()).isEqualTo("\"done\"");
        assertThat(logOf(response)).contains("END RequestId", "REPORT RequestId");
        List<Path> files;
        try (Stream<Path> list = Files.list(kindling.dataDir().resolve("logs").resolve(name))) {
            files = list.toList();
        }
        assertThat(files).as("content moved aside during the invocation").hasSizeGreaterThan(1);
        long live = files.stream().filter(f -> f.getFileName().toString().matches(".*-[0-9a-f]{32}\\.log"))
                .mapToLong(f -> f.toFile().length()).sum();
        assertThat(live).as("the live stream file stays near its 16 MB limit, far below the 80 MB written")
                .isLessThan(56L << 20);
    }

    @Test
    void threeHundredConcurrentInvocationsRunOnMoreThanTwoHundredEnvironments() throws Exception {
        // More environments than Jetty's default of 200 threads: each one holds a GET /next open while idle.
        String name = python("import os, time\n"
                + "def handler(event, context):\n"
                + "    time.sleep(5)\n"
                + "    return os.getpid()\n", 60);
        int calls = 300;
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<String>> results = new ArrayList<>();
        try (LambdaClient wide = LambdaClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.builder().maxConnections(calls).build()).build()) {
            for (int i = 0; i < calls; i++) {
                results.add(callers.submit(() -> wide.invoke(r -> r.functionName(name)).payload().asUtf8String()));
            }
            Set<String> pids = new HashSet<>();
            for (Future<String> result : results) {
                pids.add(result.get());
            }
            assertThat(pids).allMatch(pid -> pid.matches("\\d+")).hasSizeGreaterThan(200);
        }
        callers.shutdown();
        assertThat(invoke(name, "{}").payload().asUtf8String()).as("the server still serves").matches("\\d+");
    }
}
