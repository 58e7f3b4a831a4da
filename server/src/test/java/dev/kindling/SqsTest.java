package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** SQS on Kindling's endpoint, driven by the AWS SDK's SQS client (the JSON protocol). */
class SqsTest {
    @TempDir
    Path dataDir;

    static SqsClient sqs(KindlingServer server) {
        return sqs(server, "test", "test");
    }

    static SqsClient sqs(KindlingServer server, String accessKey, String secretKey) {
        return SqsClient.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(ApacheHttpClient.builder().build()).build();
    }

    @Test
    void queuesLiveOnKindlingsEndpointAndKeepTheirMessagesOverARestart() throws Exception {
        String url;
        try (KindlingServer server = ServerFixture.start(dataDir); SqsClient sqs = sqs(server)) {
            url = sqs.createQueue(r -> r.queueName("orders")).queueUrl();
            assertThat(url).isEqualTo(server.endpoint() + "/000000000000/orders");
            assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()).containsEntry(QueueAttributeName.QUEUE_ARN,
                            "arn:aws:sqs:us-east-1:000000000000:orders");
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("first"));
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("second"));
        }
        try (KindlingServer server = ServerFixture.start(dataDir); SqsClient sqs = sqs(server)) {
            String sameQueue = server.endpoint() + "/000000000000/orders"; // the port is new
            assertThat(url).endsWith("/000000000000/orders");
            assertThat(sqs.listQueues().queueUrls()).containsExactly(sameQueue);
            List<Message> received = sqs.receiveMessage(r -> r.queueUrl(sameQueue).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("first", "second");
        }
    }

    @Test
    void fifoQueuesKeepOrderAndDropDuplicates() throws Exception {
        try (KindlingServer server = ServerFixture.start(dataDir); SqsClient sqs = sqs(server)) {
            String url = sqs.createQueue(r -> r.queueName("steps.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            for (String step : List.of("a", "b", "c", "a")) {
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(step).messageGroupId("g")
                        .messageDeduplicationId("id-" + step));
            }
            List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            assertThat(received).extracting(Message::body).containsExactly("a", "b", "c");
            assertThat(received.getFirst().attributes()).containsKeys(MessageSystemAttributeName.SEQUENCE_NUMBER,
                    MessageSystemAttributeName.MESSAGE_GROUP_ID);
        }
    }

    @Test
    void aRedrivePolicyMovesMessagesToTheDeadLetterQueue() throws Exception {
        try (KindlingServer server = ServerFixture.start(dataDir); SqsClient sqs = sqs(server)) {
            String dlq = sqs.createQueue(r -> r.queueName("dead")).queueUrl();
            String url = sqs.createQueue(r -> r.queueName("work").attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:"
                            + "dead\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("poison"));
            assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages()).hasSize(1);
            // Not deleted: after its visibility timeout the second receive finds it past maxReceiveCount.
            long deadline = System.nanoTime() + 30_000_000_000L;
            List<Message> dead = List.of();
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages()).isEmpty();
                dead = sqs.receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(1)).messages();
            }
            assertThat(dead).extracting(Message::body).containsExactly("poison");
        }
    }

    @Test
    void sqsErrorsComeInSqsShapes() throws Exception {
        try (KindlingServer server = ServerFixture.start(dataDir); SqsClient sqs = sqs(server)) {
            String url = sqs.createQueue(r -> r.queueName("small")).queueUrl();
            SqsException tooBig = catchThrowableOfType(SqsException.class,
                    () -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x".repeat(1_048_577))));
            assertThat(tooBig).isNotNull();
            assertThat(tooBig.statusCode()).isEqualTo(400);
            assertThat(tooBig.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
            assertThat(tooBig.awsErrorDetails().errorMessage()).isEqualTo("One or more parameters are invalid. Reason:"
                    + " Message must be shorter than 1048576 bytes.");

            SqsException missing = catchThrowableOfType(SqsException.class,
                    () -> sqs.getQueueUrl(r -> r.queueName("nope")));
            assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("QueueDoesNotExist");
            assertThat(missing.statusCode()).isEqualTo(400);

            try (SqsClient wrongKey = sqs(server, "test", "wrong")) {
                SqsException denied = catchThrowableOfType(SqsException.class, wrongKey::listQueues);
                assertThat(denied.statusCode()).isEqualTo(403);
                assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            }
        }
    }

    @Test
    void aMappingAndTheMessagesItHasNotTakenSurviveARestart() throws Exception {
        String uuid;
        String function;
        try (Inbox inbox = new Inbox()) {
            try (KindlingServer server = ServerFixture.start(dataDir); SqsClient sqs = sqs(server);
                    LambdaClient lambda = ServerFixture.client(server)) {
                function = SqsEventSourceMappingTest.consumer(lambda, inbox);
                String url = sqs.createQueue(r -> r.queueName("kept")).queueUrl();
                uuid = lambda.createEventSourceMapping(r -> r.functionName(function).enabled(false).batchSize(5)
                        .eventSourceArn("arn:aws:sqs:us-east-1:000000000000:kept")).uuid();
                SqsEventSourceMappingTest.send(sqs, url, List.of("one", "two", "three"));
            }
            try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
                var mapping = lambda.getEventSourceMapping(r -> r.uuid(uuid));
                assertThat(mapping.state()).isEqualTo("Disabled");
                assertThat(mapping.batchSize()).isEqualTo(5);
                assertThat(mapping.functionArn()).isEqualTo(ServerFixture.ARN_PREFIX + function);
                lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));
                List<String> bodies = new ArrayList<>();
                while (bodies.size() < 3) {
                    SqsEventSourceMappingTest.nextBatch(inbox, "the kept messages")
                            .forEach(record -> bodies.add(record.path("body").asText()));
                }
                assertThat(bodies).containsExactlyInAnyOrder("one", "two", "three");
            }
        }
    }
}
