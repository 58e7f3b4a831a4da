package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.DestinationConfig;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.OnFailure;
import software.amazon.awssdk.services.lambda.model.OnSuccess;

/** Event invocations through the AWS SDK: stored, run, retried, expired, delivered, and kept across a restart. */
class AsyncInvocationTest {
    /**
     * Retries one second apart instead of AWS's minute, so a test sees all three attempts; 8 events run at once, so
     * a flood is small.
     */
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(c -> c.withAsyncRetryDelay(Duration.ofSeconds(1))
            .withAsyncMaxRunning(8));
    static final Inbox inbox = new Inbox();

    @AfterAll
    static void closeInbox() {
        inbox.close();
    }

    /** Posts what it ran to the inbox; fails when the event says so. */
    private static String worker(LambdaClient lambda) {
        String name = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Inbox.PYTHON + """
                def lambda_handler(event, context):
                    post(event["inbox"], {"ran": event.get("n"), "requestId": context.aws_request_id,
                                          "function": context.function_name})
                    if event.get("fail"):
                        raise RuntimeError("boom " + str(event.get("n")))
                    return {"done": event.get("n")}
                """))).timeout(30).build());
        return name;
    }

    /** A destination: posts the record it received to the inbox named inside the record's request payload. */
    private static String collector(LambdaClient lambda) {
        String name = "collector-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Inbox.PYTHON + """
                def lambda_handler(event, context):
                    post(event["requestPayload"]["inbox"], {"record": event})
                """))).timeout(30).build());
        return name;
    }

    private static String event(int n, boolean fail) {
        return "{\"inbox\": \"" + inbox.url() + "\", \"n\": " + n + ", \"fail\": " + fail + "}";
    }

    private static void send(LambdaClient lambda, String function, String payload) {
        var response = lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void anEventRunsAndItsSuccessGoesToTheOnSuccessDestination() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        String collector = collector(lambda);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker).destinationConfig(DestinationConfig.builder()
                .onSuccess(OnSuccess.builder().destination(ARN_PREFIX + collector).build()).build()));
        send(lambda, worker, event(1, false));

        JsonNode ran = inbox.next("the event to run");
        assertThat(ran.path("ran").asInt()).isEqualTo(1);
        JsonNode record = inbox.next("the on-success record").path("record");
        assertThat(record.path("version").asText()).isEqualTo("1.0");
        assertThat(record.path("requestContext").path("requestId").asText()).isEqualTo(ran.path("requestId").asText());
        assertThat(record.path("requestContext").path("functionArn").asText()).isEqualTo(ARN_PREFIX + worker + ":$LATEST");
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("Success");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.path("requestPayload").path("n").asInt()).isEqualTo(1);
        assertThat(record.path("responseContext").path("statusCode").asInt()).isEqualTo(200);
        assertThat(record.path("responseContext").path("executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(record.path("responseContext").has("functionError")).isFalse();
        assertThat(record.path("responsePayload").path("done").asInt()).isEqualTo(1);
    }

    @Test
    void aFailingEventIsRetriedTwiceThenGoesToTheOnFailureDestination() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        String collector = collector(lambda);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker).destinationConfig(DestinationConfig.builder()
                .onFailure(OnFailure.builder().destination(ARN_PREFIX + collector).build()).build()));
        send(lambda, worker, event(2, true));

        Set<String> requestIds = new HashSet<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode ran = inbox.next("attempt " + attempt);
            assertThat(ran.path("ran").asInt()).isEqualTo(2);
            requestIds.add(ran.path("requestId").asText());
        }
        assertThat(requestIds).as("one request id for every attempt, as on AWS").hasSize(1);
        JsonNode record = inbox.next("the on-failure record").path("record");
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.path("requestContext").path("requestId").asText()).isIn(requestIds);
        assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("boom 2");
        assertThat(record.path("responsePayload").path("errorType").asText()).isEqualTo("RuntimeError");

        String metrics = scrape();
        assertThat(metrics).contains("kindling_async_events_received_total{function=\"" + worker + "\"} 1.0",
                "kindling_async_events_dropped_total{function=\"" + worker + "\",reason=\"RetriesExhausted\"} 1.0",
                "kindling_async_destination_deliveries_total{condition=\"RetriesExhausted\",function=\"" + worker
                        + "\"} 1.0", "kindling_async_oldest_event_age_seconds ");
    }

    private static String scrape() throws Exception {
        var response = ServerFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(kindling.server().endpoint() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void aFloodedFunctionLeavesRoomForOtherFunctionsEvents() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String flooded = "flooded-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(flooded, ServerFixture.zipOf(Map.of("lambda_function.py",
                Rendezvous.PYTHON + """
                def lambda_handler(event, context):
                    arrive(event["port"])
                """))).timeout(300).build());
        String other = worker(lambda);
        try (Rendezvous rendezvous = new Rendezvous()) {
            // More events than one function may run at once (half of the 8 this server runs): each is held at the
            // rendezvous until the test lets it go.
            int floodSize = 12;
            for (int i = 0; i < floodSize; i++) {
                send(lambda, flooded, rendezvous.event());
            }
            List<Rendezvous.Caller> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(rendezvous.next("flooded event " + i));
            }
            send(lambda, other, event(5, false));
            assertThat(inbox.next("the other function's event, while the flood is held").path("ran").asInt())
                    .isEqualTo(5);
            for (Rendezvous.Caller caller : held) {
                caller.release();
            }
            for (int i = held.size(); i < floodSize; i++) {
                rendezvous.next("flooded event " + i).release();
            }
        }
    }

    @Test
    void maximumRetryAttemptsZeroRunsAFailingEventOnce() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        String collector = collector(lambda);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker).maximumRetryAttempts(0)
                .destinationConfig(DestinationConfig.builder()
                        .onFailure(OnFailure.builder().destination(ARN_PREFIX + collector).build()).build()));
        send(lambda, worker, event(3, true));
        assertThat(inbox.next("the only attempt").path("ran").asInt()).isEqualTo(3);
        JsonNode record = inbox.next("the on-failure record").path("record");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
    }

    @Test
    void throttledEventsWaitAndRunOnceTheFunctionMayRun() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        lambda.putFunctionConcurrency(r -> r.functionName(worker).reservedConcurrentExecutions(0));
        for (int n = 10; n < 13; n++) {
            send(lambda, worker, event(n, false));
        }
        lambda.deleteFunctionConcurrency(r -> r.functionName(worker));
        Set<Integer> ran = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ran.add(inbox.next("throttled event " + i).path("ran").asInt());
        }
        assertThat(ran).containsExactlyInAnyOrder(10, 11, 12);
    }

    @Test
    void anEventTooOldToRunGoesToTheOnFailureDestination() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        String collector = collector(lambda);
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker).maximumEventAgeInSeconds(60)
                .destinationConfig(DestinationConfig.builder()
                        .onFailure(OnFailure.builder().destination(ARN_PREFIX + collector).build()).build()));
        // Throttled for good: the event waits until it is a minute old, the shortest age AWS allows.
        lambda.putFunctionConcurrency(r -> r.functionName(worker).reservedConcurrentExecutions(0));
        long sent = System.nanoTime();
        send(lambda, worker, event(4, false));
        JsonNode record = inbox.next("the expired event's record").path("record");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofSeconds(59));
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("EventAgeExceeded");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isZero();
        assertThat(record.path("requestPayload").path("n").asInt()).isEqualTo(4);
    }

    @Test
    void eventInvokeConfigsAreCheckedAsAwsChecksThem() {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        var e = assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)
                .maximumRetryAttempts(3)), "ValidationException", 400);
        assertThat(message(e)).isEqualTo("1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to"
                + " satisfy constraint: Member must have value less than or equal to 2");
        assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)
                .maximumEventAgeInSeconds(30)), "ValidationException", 400);
        e = assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("You must specify at least one of error handling or destination setting.");
        e = assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)
                .destinationConfig(DestinationConfig.builder().onSuccess(OnSuccess.builder()
                        .destination(ARN_PREFIX + worker).build()).build())), "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("You can't specify the function as a destination for itself.");
        e = assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)
                .destinationConfig(DestinationConfig.builder().onFailure(OnFailure.builder()
                        .destination(ARN_PREFIX + "does-not-exist").build()).build())),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("The destination ARN " + ARN_PREFIX + "does-not-exist is invalid.");
        assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)
                .destinationConfig(DestinationConfig.builder().onFailure(OnFailure.builder()
                        .destination("arn:aws:sqs:us-east-1:000000000000:dead-letters").build()).build())),
                "InvalidParameterValueException", 400);
        e = assertLambdaError(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName(worker)),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).as("nothing was stored").isEqualTo("The function " + ARN_PREFIX + worker
                + ":$LATEST doesn't have an EventInvokeConfig");
        assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("no-such-function")
                .maximumRetryAttempts(1)), "ResourceNotFoundException", 404);

        var put = lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker).maximumRetryAttempts(1));
        assertThat(put.functionArn()).isEqualTo(ARN_PREFIX + worker + ":$LATEST");
        assertThat(put.maximumRetryAttempts()).isEqualTo(1);
        assertThat(put.maximumEventAgeInSeconds()).isNull();
        assertThat(put.lastModified()).isNotNull();
        var updated = lambda.updateFunctionEventInvokeConfig(r -> r.functionName(worker).maximumEventAgeInSeconds(120));
        assertThat(updated.maximumRetryAttempts()).isEqualTo(1);
        assertThat(updated.maximumEventAgeInSeconds()).isEqualTo(120);
        assertThat(lambda.listFunctionEventInvokeConfigs(r -> r.functionName(worker)).functionEventInvokeConfigs())
                .hasSize(1);
        lambda.deleteFunctionEventInvokeConfig(r -> r.functionName(worker));
        assertThat(lambda.listFunctionEventInvokeConfigs(r -> r.functionName(worker)).functionEventInvokeConfigs())
                .isEmpty();
    }

    @Test
    void acceptedEventsSurviveARestart(@TempDir Path dataDir) throws Exception {
        String worker;
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            worker = worker(lambda);
            // Throttled, so they are still waiting when the server stops.
            lambda.putFunctionConcurrency(r -> r.functionName(worker).reservedConcurrentExecutions(0));
            for (int n = 20; n < 25; n++) {
                send(lambda, worker, event(n, false));
            }
        }
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            lambda.deleteFunctionConcurrency(r -> r.functionName(worker));
            Set<Integer> ran = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                ran.add(inbox.next("event " + i + " after the restart").path("ran").asInt());
            }
            assertThat(ran).containsExactlyInAnyOrder(20, 21, 22, 23, 24);
        }
    }
}
