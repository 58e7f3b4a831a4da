package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/** The account concurrency limit and idle reaping, on a server with a limit of 2 and a one-second idle time. */
class EnvironmentLimitsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(config -> config.withConcurrencyLimit(2)
            .withIdleTimeout(Duration.ofSeconds(1)));

    @Test
    void invocationsBeyondTheAccountLimitAreThrottled() throws Exception {
        kindling.lambda().createFunction(ServerFixture.create("slow", ServerFixture.zipOf(Map.of("lambda_function.py",
                "import time\ndef handler(event, context):\n    time.sleep(2)\n    return 'done'\n")))
                .handler("lambda_function.handler").timeout(10).build());
        assertThat(kindling.lambda().getAccountSettings().accountLimit().concurrentExecutions()).isEqualTo(2);
        // Without retries, so each throttled call shows as the 429 it got.
        LambdaClient noRetries = LambdaClient.builder().endpointOverride(java.net.URI.create(kindling.server().endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .build();
        ExecutorService callers = Executors.newFixedThreadPool(5);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(callers.submit(() -> {
                try {
                    return noRetries.invoke(r -> r.functionName("slow")).payload().asUtf8String();
                } catch (LambdaException e) {
                    return e.awsErrorDetails().errorCode() + " " + e.statusCode();
                }
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> result : results) {
            outcomes.add(result.get());
        }
        callers.shutdown();
        noRetries.close();
        assertThat(outcomes).contains("\"done\"").contains("TooManyRequestsException 429");
        assertThat(outcomes.stream().filter(o -> o.equals("\"done\"")).count()).isLessThanOrEqualTo(2);
    }

    @Test
    void idleEnvironmentsAreReapedAndTheNextInvocationStartsCold() throws Exception {
        kindling.lambda().createFunction(ServerFixture.create("counter", ServerFixture.zipOf(Map.of("lambda_function.py",
                "count = 0\ndef handler(event, context):\n    global count\n    count += 1\n    return count\n")))
                .handler("lambda_function.handler").build());
        assertThat(invoke("counter")).isEqualTo("1");
        assertThat(invoke("counter")).isEqualTo("2");
        Thread.sleep(2500);
        assertThat(invoke("counter")).as("a fresh environment after the idle time").isEqualTo("1");
    }

    private static String invoke(String name) {
        return kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{}"))).payload().asUtf8String();
    }
}
