package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * GET /metrics in Prometheus's text format, read after known sequences of invocations made through the AWS SDK:
 * AWS's per-version counts, the Duration histogram, cold starts, the environment gauges and provisioned concurrency
 * in use; and a server started with the endpoint off.
 */
class MetricsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    /**
     * A Python function that fails when its event says {@code fail}, and given {@code port} waits at the test's
     * rendezvous before it answers.
     */
    private static String function(String prefix, boolean publish) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Rendezvous.PYTHON + """
                        def handler(event, context):
                            if event.get("fail"):
                                raise ValueError("failing on purpose")
                            if "port" in event:
                                arrive(event["port"])
                            return "ok"
                        """))).handler("lambda_function.handler").timeout(60).publish(publish).build());
        return name;
    }

    private static InvokeResponse invoke(String name, String qualifier, String event) {
        return kindling.lambda().invoke(r -> r.functionName(name).qualifier(qualifier)
                .payload(SdkBytes.fromUtf8String(event)));
    }

    @Test
    void countsInvocationsErrorsAndThrottlesPerFunctionVersion() {
        String name = function("counted", false);
        for (int i = 0; i < 5; i++) {
            assertThat(invoke(name, "$LATEST", "{}").functionError()).isNull();
        }
        for (int i = 0; i < 2; i++) {
            assertThat(invoke(name, "$LATEST", "{\"fail\": true}").functionError()).isEqualTo("Unhandled");
        }
        kindling.lambda().putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(0));
        try (LambdaClient noRetries = noRetries()) {
            assertLambdaError(() -> noRetries.invoke(r -> r.functionName(name)
                    .payload(SdkBytes.fromUtf8String("{}"))), "TooManyRequestsException", 429);
        }

        Metrics metrics = scrape();
        Map<String, String> latest = Map.of("function", name, "version", "$LATEST");
        assertThat(metrics.value("kindling_invocations_total", latest)).hasValue(7);
        assertThat(metrics.value("kindling_errors_total", latest)).hasValue(2);
        assertThat(metrics.value("kindling_throttles_total", latest)).hasValue(1);
        assertThat(metrics.value("kindling_duration_seconds_count", latest)).hasValue(7);
        assertThat(metrics.value("kindling_duration_seconds_sum", latest).orElseThrow()).isPositive();
        assertThat(metrics.value("kindling_duration_seconds_bucket", with(latest, "le", "+Inf"))).hasValue(7);
        assertThat(metrics.value("kindling_cold_starts_total", latest)).as("one environment served them all")
                .hasValue(1);
        assertThat(metrics.value("kindling_init_duration_seconds_count", latest)).hasValue(1);
        assertThat(metrics.value("kindling_init_duration_seconds_sum", latest).orElseThrow()).isPositive();
        assertThat(metrics.value("kindling_concurrent_executions", latest)).hasValue(0);
        assertThat(metrics.value("kindling_environments", Map.of("state", "idle")).orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.any("jvm_memory_used_bytes")).as("the JVM's figures").isPresent();
        assertThat(metrics.any("process_cpu_usage")).isPresent();
        kindling.lambda().deleteFunction(r -> r.functionName(name));
    }

    @Test
    void environmentGaugesFollowARunningInvocation() throws Exception {
        String name = function("gauged", false);
        Map<String, String> latest = Map.of("function", name, "version", "$LATEST");
        try (Rendezvous rendezvous = new Rendezvous()) {
            CompletableFuture<InvokeResponse> held = CompletableFuture.supplyAsync(
                    () -> invoke(name, "$LATEST", rendezvous.event()));
            Rendezvous.Caller running = rendezvous.next("the invocation runs");
            Metrics during = scrape();
            assertThat(during.value("kindling_concurrent_executions", latest)).hasValue(1);
            assertThat(during.value("kindling_environments", Map.of("state", "busy")).orElseThrow())
                    .isGreaterThanOrEqualTo(1);
            assertThat(during.value("kindling_invocations_total", latest)).as("counted when it ends").isEmpty();
            running.release();
            assertThat(held.join().payload().asUtf8String()).isEqualTo("\"ok\"");
        }
        Metrics after = scrape();
        assertThat(after.value("kindling_concurrent_executions", latest)).hasValue(0);
        assertThat(after.value("kindling_invocations_total", latest)).hasValue(1);
        assertThat(after.value("kindling_cold_starts_total", latest)).hasValue(1);
        kindling.lambda().deleteFunction(r -> r.functionName(name));
    }

    @Test
    void provisionedConcurrencyInUse() throws Exception {
        String name = function("provisioned", true);
        Map<String, String> v1 = Map.of("function", name, "version", "1");
        kindling.lambda().putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("1")
                .provisionedConcurrentExecutions(2));
        Metrics ready = awaitValue("kindling_provisioned_concurrency_ready", v1, 2);
        assertThat(ready.value("kindling_provisioned_concurrency_requested", v1)).hasValue(2);
        assertThat(ready.value("kindling_provisioned_concurrent_executions", v1)).hasValue(0);
        assertThat(ready.value("kindling_provisioned_concurrency_utilization", v1)).hasValue(0);
        assertThat(ready.value("kindling_environments", Map.of("state", "idle")).orElseThrow())
                .isGreaterThanOrEqualTo(2);

        try (Rendezvous rendezvous = new Rendezvous()) {
            CompletableFuture<InvokeResponse> held = CompletableFuture.supplyAsync(
                    () -> invoke(name, "1", rendezvous.event()));
            Rendezvous.Caller running = rendezvous.next("the invocation runs in a provisioned environment");
            Metrics during = scrape();
            assertThat(during.value("kindling_provisioned_concurrent_executions", v1)).hasValue(1);
            assertThat(during.value("kindling_provisioned_concurrency_utilization", v1)).hasValue(0.5);
            assertThat(during.value("kindling_concurrent_executions", v1)).hasValue(1);
            running.release();
            assertThat(held.join().functionError()).isNull();
        }
        Metrics after = scrape();
        assertThat(after.value("kindling_invocations_total", v1)).hasValue(1);
        assertThat(after.value("kindling_cold_starts_total", v1)).as("a provisioned environment's init is not a"
                + " cold start").hasValue(0);
        assertThat(after.value("kindling_provisioned_concurrent_executions", v1)).hasValue(0);

        kindling.lambda().deleteProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("1"));
        assertThat(scrape().value("kindling_provisioned_concurrency_requested", v1)).as("gone with its config")
                .isEmpty();
        kindling.lambda().deleteFunction(r -> r.functionName(name));
    }

    @Test
    void metricsNeedNoSignatureAndCanBeTurnedOff() throws Exception {
        HttpResponse<String> open = ServerFixture.send(HttpRequest.newBuilder(
                URI.create(kindling.server().endpoint() + "/metrics")).build());
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(open.body()).contains("# TYPE kindling_environments gauge");

        java.nio.file.Path dir = kindling.root().resolve("metrics-off");
        try (KindlingServer off = KindlingServer.start(ServerConfig.defaults(dir).withPort(0)
                .withMetricsEndpoint(false))) {
            HttpResponse<String> closed = ServerFixture.send(HttpRequest.newBuilder(
                    URI.create(off.endpoint() + "/metrics")).build());
            assertThat(closed.statusCode()).isNotEqualTo(200);
            assertThat(closed.body()).doesNotContain("kindling_");
        }
    }

    /** A client without retries, so one throttled call counts one throttle (the SDK retries a 429 by default). */
    private static LambdaClient noRetries() {
        return LambdaClient.builder()
                .endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(labels);
        more.put(name, value);
        return more;
    }

    /** Scrapes until {@code name} with {@code labels} has {@code expected}: it follows something in the background. */
    private static Metrics awaitValue(String name, Map<String, String> labels, double expected) throws Exception {
        long giveUp = System.nanoTime() + Rendezvous.DEADLINE.toNanos();
        Metrics now;
        while (!(now = scrape()).value(name, labels).equals(OptionalDouble.of(expected))) {
            assertThat(System.nanoTime()).as("%s%s is still %s", name, labels, now.value(name, labels))
                    .isLessThan(giveUp);
            Thread.sleep(50);
        }
        return now;
    }

    private static Metrics scrape() {
        HttpResponse<String> response = ServerFixture.send(HttpRequest.newBuilder(
                URI.create(kindling.server().endpoint() + "/metrics")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Metrics.parse(response.body());
    }

    /** Samples of Prometheus's text format: {@code name{label="value",...} number}. */
    private record Metrics(List<Sample> samples) {
        private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

        record Sample(String name, Map<String, String> labels, double value) {}

        static Metrics parse(String text) {
            List<Sample> samples = new ArrayList<>();
            for (String line : text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as("a sample line: %s", line).isTrue();
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null) {
                    Matcher label = LABEL.matcher(m.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
            return new Metrics(samples);
        }

        /** The value of the one sample with exactly these labels. */
        OptionalDouble value(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                    .mapToDouble(Sample::value).findFirst();
        }

        OptionalDouble any(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).findFirst();
        }
    }
}
