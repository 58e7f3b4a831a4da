package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * The account concurrency limit and idle reaping, on a server with a limit of 2 and an idle time of 5 s (much
 * longer than the gap between two calls in a row even on a loaded machine, so a warm environment is reused).
 */
class EnvironmentLimitsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(config -> config.withConcurrencyLimit(2)
            .withIdleTimeout(Duration.ofSeconds(5)));

    private static void python(String name, String source) {
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Rendezvous.PYTHON + source))).handler("lambda_function.handler").timeout(300).build());
    }

    @Test
    void invocationsBeyondTheAccountLimitAreThrottled() throws Exception {
        python("slow", """
                def handler(event, context):
                    if "port" in event:
                        arrive(event["port"])
                    return "done"
                """);
        assertThat(kindling.lambda().getAccountSettings().accountLimit().concurrentExecutions()).isEqualTo(2);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        // Without retries, so each throttled call shows as the 429 it got.
        try (Rendezvous rendezvous = new Rendezvous(); LambdaClient noRetries = LambdaClient.builder()
                .endpointOverride(URI.create(kindling.server().endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build()) {
            List<Future<String>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(callers.submit(() -> invoke(noRetries, "slow", rendezvous.event())));
            }
            List<Rendezvous.Caller> held = rendezvous.next(2, "two invocations running: the whole limit");
            List<String> beyond = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                beyond.add(invoke(noRetries, "slow", "{}"));
            }
            assertThat(beyond).as("calls while the limit is taken").containsOnly("TooManyRequestsException 429");
            held.forEach(Rendezvous.Caller::release);
            for (Future<String> call : running) {
                assertThat(call.get(Rendezvous.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("\"done\"");
            }
            assertThat(invoke(noRetries, "slow", "{}")).as("once the limit is free again").isEqualTo("\"done\"");
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void idleEnvironmentsAreReapedAndTheNextInvocationStartsCold() throws Exception {
        python("counter", """
                count = 0
                def handler(event, context):
                    global count
                    count += 1
                    if "port" in event:
                        announce(event["port"])
                    return count
                """);
        try (Rendezvous rendezvous = new Rendezvous()) {
            assertThat(invoke(kindling.lambda(), "counter", rendezvous.event())).isEqualTo("1");
            Rendezvous.Caller environment = rendezvous.next("the first environment");
            assertThat(invoke(kindling.lambda(), "counter", "{}")).as("the same environment, warm").isEqualTo("2");
            environment.awaitEnd("the idle environment");
        }
        assertThat(invoke(kindling.lambda(), "counter", "{}")).as("a fresh environment after the idle time")
                .isEqualTo("1");
    }

    /** The call's result, or its error code and HTTP status. */
    private static String invoke(LambdaClient client, String name, String payload) {
        try {
            return client.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload))).payload()
                    .asUtf8String();
        } catch (LambdaException e) {
            return e.awsErrorDetails().errorCode() + " " + e.statusCode();
        }
    }
}
