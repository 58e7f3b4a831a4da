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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        return python(source, timeout, Map.of());
    }

    private static String python(String source, int timeout, Map<String, String> environment) {
        String name = "life-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                source))).handler("lambda_function.handler").timeout(timeout)
                .environment(e -> e.variables(environment)).build());
        return name;
    }

    private static InvokeResponse invoke(String name, String payload) {
        return kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload))
                .logType(LogType.TAIL));
    }

    private static String logOf(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
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
        assertThat(took).as("10 s of init, then the retried init's 2 s").isGreaterThan(Duration.ofSeconds(11));
        String log = kindling.logGroup(name);
        assertThat(log).contains("INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout");
        // The retry is bounded by the 2 s timeout, not by another 10 s of init: its REPORT says how long it ran.
        Matcher retried = Pattern.compile("REPORT RequestId: \\S+\tDuration: (\\d+)\\.\\d\\d ms").matcher(log);
        assertThat(retried.find()).as("a REPORT for the invocation").isTrue();
        assertThat(Long.parseLong(retried.group(1))).as("the retried init's duration, ms").isBetween(1900L, 9000L);
    }

    @Test
    void initOverrunSucceedsWhenTheRetriedInitFitsTheTimeout() throws Exception {
        // Each init asks the test whether to be slow: the first outlasts 10 s, the retried one starts at once.
        try (Rendezvous rendezvous = new Rendezvous()) {
            String name = python(Rendezvous.PYTHON + """
                    import os, time
                    if arrive(os.environ["RENDEZVOUS_PORT"]) == "slow":
                        time.sleep(300)
                    def handler(event, context):
                        return "initialised"
                    """, 20, Map.of("RENDEZVOUS_PORT", Integer.toString(rendezvous.port())));
            ExecutorService caller = Executors.newSingleThreadExecutor();
            Future<InvokeResponse> inFlight = caller.submit(() -> invoke(name, "{}"));
            caller.shutdown();
            Rendezvous.Caller first = rendezvous.next("the first init");
            first.answer("slow");
            rendezvous.next("the retried init").answer("fast");
            InvokeResponse response = inFlight.get(Rendezvous.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.functionError()).isNull();
            assertThat(response.payload().asUtf8String()).isEqualTo("\"initialised\"");
            assertThat(kindling.logGroup(name)).contains("Phase: init\tStatus: timeout");
            first.awaitEnd("the environment whose init overran");
        }
    }

    @Test
    void anUpdateDuringAnInvocationRetiresTheBusyEnvironment() throws Exception {
        String name = python(Rendezvous.PYTHON + """
                def handler(event, context):
                    arrive(event["port"])
                    return "old"
                """, 120);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Rendezvous rendezvous = new Rendezvous()) {
            Future<InvokeResponse> inFlight = caller.submit(() -> invoke(name, rendezvous.event()));
            Rendezvous.Caller running = rendezvous.next("the invocation running");
            kindling.lambda().updateFunctionCode(r -> r.functionName(name).zipFile(SdkBytes.fromByteArray(
                    ServerFixture.zipOf(Map.of("lambda_function.py",
                            "def handler(event, context):\n    return 'new'\n")))));
            running.release();
            assertThat(inFlight.get(Rendezvous.DEADLINE.toSeconds(), TimeUnit.SECONDS).payload().asUtf8String())
                    .as("the invocation already running finishes").isEqualTo("\"old\"");
            for (int i = 0; i < 3; i++) {
                assertThat(invoke(name, "{}").payload().asUtf8String()).isEqualTo("\"new\"");
            }
            running.awaitEnd("the old environment");
        } finally {
            caller.shutdown();
        }
    }

    @Test
    void deletingAFunctionDuringAnInvocationStillAnswersItAndLeavesNoProcess() throws Exception {
        String name = python(Rendezvous.PYTHON + """
                def handler(event, context):
                    arrive(event["port"])
                    return "answered"
                """, 120);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Rendezvous rendezvous = new Rendezvous()) {
            Future<InvokeResponse> inFlight = caller.submit(() -> invoke(name, rendezvous.event()));
            Rendezvous.Caller running = rendezvous.next("the invocation running");
            kindling.lambda().deleteFunction(r -> r.functionName(name));
            running.release();
            InvokeResponse response = inFlight.get(Rendezvous.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.functionError()).isNull();
            assertThat(response.payload().asUtf8String()).isEqualTo("\"answered\"");
            running.awaitEnd("the deleted function's environment");
        } finally {
            caller.shutdown();
        }
    }

    @Test
    void failingFunctionsDoNotDisturbAnother() throws Exception {
        String healthy = python(Rendezvous.PYTHON + "def handler(event, context):\n    return ENVIRONMENT\n", 10);
        String crashing = python("import os\ndef handler(event, context):\n    os._exit(1)\n", 10);
        String hanging = python("import time\ndef handler(event, context):\n    time.sleep(60)\n", 1);
        String environment = invoke(healthy, "{}").payload().asUtf8String();
        ExecutorService troublemakers = Executors.newFixedThreadPool(4);
        List<Future<InvokeResponse>> trouble = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            trouble.add(troublemakers.submit(() -> invoke(crashing, "{}")));
            trouble.add(troublemakers.submit(() -> invoke(hanging, "{}")));
        }
        for (int i = 0; i < 20; i++) {
            InvokeResponse response = invoke(healthy, "{}");
            assertThat(response.functionError()).isNull();
            assertThat(response.payload().asUtf8String()).as("the same warm environment throughout")
                    .isEqualTo(environment);
        }
        for (Future<InvokeResponse> failed : trouble) {
            assertThat(failed.get().functionError()).isEqualTo("Unhandled");
        }
        troublemakers.shutdown();
    }

    @Test
    void aFunctionThatPrintsWithoutPauseHasItsLogStreamMovedAsideWhileItRuns() throws Exception {
        // 80 MB of output in one invocation, 4 MB at a time; a stream's file is moved aside past 16 MB, checked every
        // second. After each 4 MB the function waits until the live file is at most one write past the limit.
        String name = python(Rendezvous.PYTHON + """
                import sys
                def handler(event, context):
                    for i in range(20):
                        sys.stdout.write("x" * (4 * 1024 * 1024) + "\\n")
                        sys.stdout.flush()
                        arrive(event["port"])
                    return "done"
                """, 300);
        Path group = kindling.dataDir().resolve("logs").resolve("%2Faws%2Flambda%2F" + name);
        long oneWritePastTheLimit = (20L << 20) + 8192;
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Rendezvous rendezvous = new Rendezvous()) {
            Future<InvokeResponse> inFlight = caller.submit(() -> invoke(name, rendezvous.event()));
            for (int i = 0; i < 20; i++) {
                Rendezvous.Caller wrote = rendezvous.next("4 MB written");
                long deadline = System.nanoTime() + Rendezvous.DEADLINE.toNanos();
                while (liveBytes(group) > oneWritePastTheLimit) {
                    assertThat(System.nanoTime()).as("the live stream file moved aside while the function runs")
                            .isLessThan(deadline);
                    Thread.sleep(50);
                }
                wrote.release();
            }
            InvokeResponse response = inFlight.get(Rendezvous.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.payload().asUtf8String()).isEqualTo("\"done\"");
            assertThat(logOf(response)).contains("END RequestId", "REPORT RequestId");
        } finally {
            caller.shutdown();
        }
        List<Path> files;
        try (Stream<Path> list = Files.walk(group)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
        }
        assertThat(files).as("segments closed during the invocation").hasSizeGreaterThan(1);
        assertThat(liveBytes(group)).as("the live stream file stays near its 16 MB limit, far below the 80 MB written")
                .isLessThan(24L << 20);
    }

    /** The size of the segments the function's streams are writing (each stream's newest). */
    private static long liveBytes(Path group) throws IOException {
        long bytes = 0;
        try (Stream<Path> streams = Files.list(group)) {
            for (Path stream : streams.toList()) {
                try (Stream<Path> segments = Files.list(stream)) {
                    bytes += segments.max(java.util.Comparator.comparingLong(
                            s -> Long.parseLong(s.getFileName().toString().replace(".log", ""))))
                            .map(s -> s.toFile().length()).orElse(0L);
                }
            }
        }
        return bytes;
    }

    @Test
    void threeHundredConcurrentInvocationsRunOnMoreThanTwoHundredEnvironments() throws Exception {
        // More environments than Jetty's default of 200 threads: each one holds a GET /next open while idle. Each
        // invocation waits until all are running at once, so each has an environment of its own.
        String name = python(Rendezvous.PYTHON + """
                def handler(event, context):
                    if "port" in event:
                        arrive(event["port"])
                    return ENVIRONMENT
                """, 600);
        int calls = 300;
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<String>> results = new ArrayList<>();
        try (Rendezvous rendezvous = new Rendezvous(); LambdaClient wide = LambdaClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.builder().maxConnections(calls)
                        .socketTimeout(ServerFixture.INVOCATION_READ_TIMEOUT).build()).build()) {
            for (int i = 0; i < calls; i++) {
                results.add(callers.submit(() -> wide.invoke(r -> r.functionName(name)
                        .payload(SdkBytes.fromUtf8String(rendezvous.event()))).payload().asUtf8String()));
            }
            rendezvous.next(calls, calls + " invocations running at once").forEach(Rendezvous.Caller::release);
            Set<String> environments = new HashSet<>();
            for (Future<String> result : results) {
                environments.add(result.get());
            }
            assertThat(environments).as("one environment each").hasSize(calls);
        } finally {
            callers.shutdown();
        }
        assertThat(invoke(name, "{}").functionError()).as("the server still serves").isNull();
    }
}
