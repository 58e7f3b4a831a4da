package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/** Reserved concurrency through the AWS SDK: the three operations, their errors, throttling, account settings. */
class ConcurrencyTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

    @TempDir
    Path restartDir;

    @AfterAll
    static void stop() {
        CALLERS.shutdownNow();
    }

    /** A client without retries, so that a throttled call shows as the 429 it got. */
    private static LambdaClient lambdaNoRetries() {
        return LambdaClient.builder()
                .endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    /** A Python function that, given {"port": N}, waits at the test's rendezvous before it answers "done". */
    private static String waitingFunction(LambdaClient lambda) {
        String name = "conc-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Rendezvous.PYTHON + """
                        def handler(event, context):
                            if "port" in event:
                                arrive(event["port"])
                            return "done"
                        """))).handler("lambda_function.handler").timeout(300).build());
        return name;
    }

    private static String invoke(LambdaClient lambda, String name, String event) {
        return lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(event))).payload()
                .asUtf8String();
    }

    private static void assertThrottled(LambdaClient lambda, String name, ThrottleReason reason) {
        TooManyRequestsException e = (TooManyRequestsException) assertLambdaError(() -> invoke(lambda, name, "{}"),
                "TooManyRequestsException", 429);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(message(e)).isEqualTo("Rate Exceeded.");
    }

    private static int unreserved(LambdaClient lambda) {
        return lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions();
    }

    @Test
    void putGetAndDeleteAReservation() {
        LambdaClient lambda = kindling.lambda();
        String name = waitingFunction(lambda);
        int before = unreserved(lambda);
        assertThat(lambda.getAccountSettings().accountLimit().concurrentExecutions()).isEqualTo(1000);
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName(name)).reservedConcurrentExecutions())
                .as("no reservation yet").isNull();
        assertThat(lambda.getFunction(r -> r.functionName(name)).concurrency()).isNull();

        assertThat(lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(5))
                .reservedConcurrentExecutions()).isEqualTo(5);
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName(name)).reservedConcurrentExecutions())
                .isEqualTo(5);
        assertThat(lambda.getFunction(r -> r.functionName(ServerFixture.ARN_PREFIX + name)).concurrency()
                .reservedConcurrentExecutions()).isEqualTo(5);
        assertThat(unreserved(lambda)).as("set aside from the account").isEqualTo(before - 5);

        // A new value replaces the old one; the function's own reservation is not counted twice.
        lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(7));
        assertThat(unreserved(lambda)).isEqualTo(before - 7);
        assertThat(invoke(lambda, name, "{}")).isEqualTo("\"done\"");

        lambda.deleteFunctionConcurrency(r -> r.functionName(name));
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName(name)).reservedConcurrentExecutions()).isNull();
        assertThat(lambda.getFunction(r -> r.functionName(name)).concurrency()).isNull();
        assertThat(unreserved(lambda)).isEqualTo(before);
        lambda.deleteFunctionConcurrency(r -> r.functionName(name)); // deleting none is no error
    }

    @Test
    void badRequestsGetAwsErrorsAndChangeNothing() {
        LambdaClient lambda = kindling.lambda();
        String name = waitingFunction(lambda);
        lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(3));
        int before = unreserved(lambda);

        assertThat(message(assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName(name)
                .reservedConcurrentExecutions(-1)), "ValidationException", 400))).isEqualTo("1 validation error"
                + " detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must"
                + " have value greater than or equal to 0");
        assertThat(message(assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName(name)),
                "ValidationException", 400))).contains("Value null at 'reservedConcurrentExecutions'");
        assertThat(message(assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName("missing")
                .reservedConcurrentExecutions(1)), "ResourceNotFoundException", 404)))
                .isEqualTo("Function not found: " + ServerFixture.ARN_PREFIX + "missing:$LATEST");
        assertLambdaError(() -> lambda.getFunctionConcurrency(r -> r.functionName("missing")),
                "ResourceNotFoundException", 404);
        assertLambdaError(() -> lambda.deleteFunctionConcurrency(r -> r.functionName("missing")),
                "ResourceNotFoundException", 404);
        for (String qualified : new String[] {name + ":$LATEST", ServerFixture.ARN_PREFIX + name + ":1", name + ":prod"}) {
            assertThat(message(assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName(qualified)
                    .reservedConcurrentExecutions(1)), "InvalidParameterValueException", 400)))
                    .startsWith("This operation is permitted on Lambda functions only.");
            assertLambdaError(() -> lambda.deleteFunctionConcurrency(r -> r.functionName(qualified)),
                    "InvalidParameterValueException", 400);
        }

        // The account keeps at least 100 unreserved: this function may take what is left above 100, no more.
        int most = before + 3 - 100;
        assertThat(message(assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName(name)
                .reservedConcurrentExecutions(most + 1)), "InvalidParameterValueException", 400)))
                .isEqualTo("Specified ReservedConcurrentExecutions for function decreases account's"
                        + " UnreservedConcurrentExecution below its minimum value of [100].");
        assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName(name)
                .reservedConcurrentExecutions(5000)), "InvalidParameterValueException", 400);

        assertThat(lambda.getFunctionConcurrency(r -> r.functionName(name)).reservedConcurrentExecutions())
                .as("unchanged by every refused request").isEqualTo(3);
        assertThat(unreserved(lambda)).isEqualTo(before);

        assertThat(lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(most))
                .reservedConcurrentExecutions()).isEqualTo(most);
        assertThat(unreserved(lambda)).isEqualTo(100);
        String other = waitingFunction(lambda);
        assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName(other)
                .reservedConcurrentExecutions(1)), "InvalidParameterValueException", 400);
        assertThat(invoke(lambda, other, "{}")).as("the unreserved pool still serves the others").isEqualTo("\"done\"");
        lambda.deleteFunction(r -> r.functionName(name));
        assertThat(unreserved(lambda)).as("a deleted function's reservation goes with it").isEqualTo(before + 3);
    }

    @Test
    void reservedConcurrencyOfOneThrottlesASecondParallelInvocation() throws Exception {
        String name = waitingFunction(kindling.lambda());
        String unreservedFunction = waitingFunction(kindling.lambda());
        kindling.lambda().putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(1));
        try (Rendezvous rendezvous = new Rendezvous(); LambdaClient lambda = lambdaNoRetries()) {
            Future<String> first = CALLERS.submit(() -> invoke(lambda, name, rendezvous.event()));
            Rendezvous.Caller running = rendezvous.next("the first invocation, holding the function's one slot");

            assertThrottled(lambda, name, ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
            assertThat(invoke(lambda, unreservedFunction, "{}")).as("other functions run meanwhile")
                    .isEqualTo("\"done\"");

            running.release();
            assertThat(first.get(Rendezvous.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("\"done\"");
            assertThat(invoke(lambda, name, "{}")).as("the slot is free again").isEqualTo("\"done\"");
        } finally {
            kindling.lambda().deleteFunctionConcurrency(r -> r.functionName(name));
        }
    }

    @Test
    void zeroThrottlesEveryInvocationAndEventsWaitForTheFunctionToRunAgain() throws Exception {
        String name = waitingFunction(kindling.lambda());
        kindling.lambda().putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(0));
        try (Rendezvous rendezvous = new Rendezvous(); LambdaClient lambda = lambdaNoRetries()) {
            assertThrottled(lambda, name, ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
            assertThrottled(lambda, name, ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
            // An event is accepted, held while the function may not run, and runs once it may again.
            assertThat(lambda.invoke(r -> r.functionName(name).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(rendezvous.event()))).statusCode()).isEqualTo(202);
            kindling.lambda().deleteFunctionConcurrency(r -> r.functionName(name));
            rendezvous.next("the event, once the function may run again").release();
            assertThat(invoke(lambda, name, "{}")).isEqualTo("\"done\"");
        }
    }

    @Test
    void aRestartKeepsReservationsAndDeletingAFunctionDeletesItsReservation() throws Exception {
        try (KindlingServer server = ServerFixture.start(restartDir); LambdaClient lambda = ServerFixture.client(server)) {
            waitingFunctionNamed(lambda, "kept");
            waitingFunctionNamed(lambda, "off");
            lambda.putFunctionConcurrency(r -> r.functionName("kept").reservedConcurrentExecutions(7));
            lambda.putFunctionConcurrency(r -> r.functionName("off").reservedConcurrentExecutions(0));
        }
        try (KindlingServer server = ServerFixture.start(restartDir); LambdaClient lambda = ServerFixture.client(server)) {
            assertThat(lambda.getFunctionConcurrency(r -> r.functionName("kept")).reservedConcurrentExecutions())
                    .isEqualTo(7);
            assertThat(lambda.getFunctionConcurrency(r -> r.functionName("off")).reservedConcurrentExecutions())
                    .isEqualTo(0);
            assertThat(unreserved(lambda)).isEqualTo(993);
            TooManyRequestsException e = (TooManyRequestsException) assertLambdaError(
                    () -> invoke(lambda, "off", "{}"), "TooManyRequestsException", 429);
            assertThat(e.reason()).isEqualTo(ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);

            lambda.deleteFunction(r -> r.functionName("kept"));
            assertThat(unreserved(lambda)).isEqualTo(1000);
            waitingFunctionNamed(lambda, "kept");
            assertThat(lambda.getFunctionConcurrency(r -> r.functionName("kept")).reservedConcurrentExecutions())
                    .as("a function of the same name starts without the old one's reservation").isNull();
        }
        try (KindlingServer server = ServerFixture.start(restartDir); LambdaClient lambda = ServerFixture.client(server)) {
            assertThat(lambda.getFunctionConcurrency(r -> r.functionName("kept")).reservedConcurrentExecutions())
                    .isNull();
            assertThat(unreserved(lambda)).isEqualTo(1000);
        }
    }

    private static void waitingFunctionNamed(LambdaClient lambda, String name) {
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                "def handler(event, context):\n    return 'done'\n"))).handler("lambda_function.handler").build());
    }
}
