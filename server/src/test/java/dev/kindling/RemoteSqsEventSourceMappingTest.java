package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.DestinationConfig;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.OnSuccess;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Queues on another SQS endpoint, named by their SQS ARN: a server given that endpoint for the queue's account and
 * region polls it into a function through an event source mapping (deleting what succeeded there) and delivers
 * destinations to it. The endpoint is a standalone ElasticMQ the test starts, apart from Kindling's own SQS.
 */
class RemoteSqsEventSourceMappingTest {
    static final StandaloneSqs remote = new StandaloneSqs();
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(c -> c.withSqsEndpoints(List.of(remote.asRemote())));

    @AfterAll
    static void stopRemote() {
        remote.close();
    }

    @Test
    void aMappingPollsAQueueOnAnotherSqsEndpoint() throws Exception {
        LambdaClient lambda = kindling.lambda();
        SqsClient producer = remote.client();
        try (Inbox inbox = new Inbox()) {
            String function = SqsEventSourceMappingTest.consumer(lambda, inbox);
            String url = producer.createQueue(r -> r.queueName("remote-orders")).queueUrl();
            String queueArn = StandaloneSqs.arn("remote-orders");
            var created = lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(queueArn)
                    .batchSize(10));
            assertThat(created.eventSourceArn()).isEqualTo(queueArn);
            SqsEventSourceMappingTest.awaitState(lambda, created.uuid(), "Enabled");

            List<String> bodies = List.of("{\"n\": 1}", "{\"n\": 2}", "{\"n\": 3}");
            SqsEventSourceMappingTest.send(producer, url, bodies);
            Map<String, JsonNode> byBody = new HashMap<>();
            while (byBody.size() < bodies.size()) {
                SqsEventSourceMappingTest.nextBatch(inbox, "the remote queue's messages")
                        .forEach(record -> byBody.put(record.path("body").asText(), record));
            }
            assertThat(byBody.keySet()).containsExactlyInAnyOrderElementsOf(bodies);
            JsonNode record = byBody.get("{\"n\": 2}");
            assertThat(record.path("eventSource").asText()).isEqualTo("aws:sqs");
            assertThat(record.path("eventSourceARN").asText()).isEqualTo(queueArn);
            assertThat(record.path("awsRegion").asText()).as("the queue's region").isEqualTo(StandaloneSqs.REGION);
            SqsEventSourceMappingTest.awaitEmpty(producer, url); // deleted on the other endpoint once handled
            lambda.deleteEventSourceMapping(r -> r.uuid(created.uuid()));
        }
    }

    @Test
    void destinationsReachAQueueOnAnotherSqsEndpoint() {
        LambdaClient lambda = kindling.lambda();
        SqsClient other = remote.client();
        String url = other.createQueue(r -> r.queueName("remote-outcomes")).queueUrl();
        String function = "echo-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(function, ServerFixture.zipOf(Map.of("lambda_function.py",
                "def lambda_handler(event, context):\n    return {\"echo\": event}\n"))).build());
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(function).destinationConfig(DestinationConfig
                .builder().onSuccess(OnSuccess.builder().destination(StandaloneSqs.arn("remote-outcomes")).build())
                .build()));
        lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT)
                .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"id\": 42}")));
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (received.isEmpty() && System.nanoTime() < deadline) {
            received.addAll(other.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages());
        }
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().body()).contains("\"condition\":\"Success\"", "\"echo\":{\"id\":42}");
    }

    @Test
    void queuesThatAreNotThereAreRefusedAsAwsRefusesThem() {
        LambdaClient lambda = kindling.lambda();
        String function = "nobody-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(function, ServerFixture.zipOf(Map.of("lambda_function.py",
                "def lambda_handler(event, context):\n    return 1\n"))).build());
        var e = assertLambdaError(() -> lambda.createEventSourceMapping(r -> r.functionName(function)
                .eventSourceArn(StandaloneSqs.arn("no-such-queue"))), "InvalidParameterValueException", 400);
        assertThat(message(e)).contains("AWS.SimpleQueueService.NonExistentQueue");
        e = assertLambdaError(() -> lambda.createEventSourceMapping(r -> r.functionName(function)
                .eventSourceArn("arn:aws:sqs:ap-south-1:222222222222:elsewhere")), "InvalidParameterValueException", 400);
        assertThat(message(e)).as("an account and region no endpoint serves").contains("NonExistentQueue");
        assertThat(lambda.listEventSourceMappings(r -> r.functionName(function)).eventSourceMappings()).isEmpty();
    }

    @Test
    void aMappingWhoseEndpointIsOutOfReachAtStartPollsOnceItIsBack(@TempDir Path dataDir) throws Exception {
        try (Inbox inbox = new Inbox()) {
            int port;
            ServerConfig config;
            String function;
            try (StandaloneSqs first = new StandaloneSqs()) {
                port = first.endpoint().getPort();
                config = ServerConfig.defaults(dataDir).withPort(0).withSqsEndpoints(List.of(first.asRemote()));
                first.client().createQueue(r -> r.queueName("comes-back"));
                try (KindlingServer server = KindlingServer.start(config);
                        LambdaClient lambda = ServerFixture.client(server)) {
                    function = SqsEventSourceMappingTest.consumer(lambda, inbox);
                    String uuid = lambda.createEventSourceMapping(r -> r.functionName(function)
                            .eventSourceArn(StandaloneSqs.arn("comes-back"))).uuid();
                    SqsEventSourceMappingTest.awaitState(lambda, uuid, "Enabled");
                }
            }
            // Kindling starts while the other endpoint is down, then the endpoint comes back (its queue made again).
            try (KindlingServer server = KindlingServer.start(config);
                    LambdaClient lambda = ServerFixture.client(server)) {
                var e = assertLambdaError(() -> lambda.createEventSourceMapping(r -> r.functionName(function)
                        .eventSourceArn(StandaloneSqs.arn("other"))), "InvalidParameterValueException", 400);
                assertThat(message(e)).startsWith("Kindling could not ask the SQS endpoint http://127.0.0.1:" + port
                        + " about " + StandaloneSqs.arn("other") + ": ");
                try (StandaloneSqs again = new StandaloneSqs(port)) {
                    String url = again.client().createQueue(r -> r.queueName("comes-back")).queueUrl();
                    SqsEventSourceMappingTest.send(again.client(), url, List.of("{\"back\": true}"));
                    assertThat(SqsEventSourceMappingTest.nextBatch(inbox, "the message sent once the endpoint is back"))
                            .extracting(record -> record.path("body").asText()).containsExactly("{\"back\": true}");
                }
            }
        }
    }
}
