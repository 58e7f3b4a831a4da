package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SQS event source mappings end to end: queues on Kindling's SQS, functions that post what they receive to an
 * {@link Inbox}, mappings created with the Lambda client.
 */
class SqsEventSourceMappingTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    /**
     * A function that posts each batch's records to the inbox; it fails a record whose body starts with "fail" the
     * first time it sees it (reported as a batch item failure), and raises for a body starting with "poison".
     */
    static String consumer(LambdaClient lambda, Inbox inbox) {
        String name = "consumer-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Inbox.PYTHON + """
                import os
                def lambda_handler(event, context):
                    records = event["Records"]
                    post(os.environ["INBOX"], {"records": records})
                    if any(r["body"].startswith("poison") for r in records):
                        raise RuntimeError("poison")
                    return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records
                            if r["body"].startswith("fail") and r["attributes"]["ApproximateReceiveCount"] == "1"]}
                """))).timeout(30)
                .environment(e -> e.variables(Map.of("INBOX", inbox.url()))).build());
        return name;
    }

    static SqsClient sqs() {
        return SqsTest.sqs(kindling.server());
    }

    static String arn(String queue) {
        return "arn:aws:sqs:us-east-1:000000000000:" + queue;
    }

    /** The records of the inbox's next batch. */
    static List<JsonNode> nextBatch(Inbox inbox, String waitingFor) throws InterruptedException {
        List<JsonNode> records = new ArrayList<>();
        inbox.next(waitingFor).path("records").forEach(records::add);
        return records;
    }

    static void send(SqsClient sqs, String url, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (String body : bodies.subList(from, Math.min(bodies.size(), from + 10))) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + entries.size()).messageBody(body).build());
            }
            assertThat(sqs.sendMessageBatch(r -> r.queueUrl(url).entries(entries)).failed()).isEmpty();
        }
    }

    static void awaitState(LambdaClient lambda, String uuid, String state) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        GetEventSourceMappingResponse mapping = lambda.getEventSourceMapping(r -> r.uuid(uuid));
        while (!mapping.state().equals(state) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            mapping = lambda.getEventSourceMapping(r -> r.uuid(uuid));
        }
        assertThat(mapping.state()).isEqualTo(state);
    }

    @Test
    void aHundredMessagesArriveInBatchesOfAtMostBatchSizeWithAwsRecordShape() throws Exception {
        LambdaClient lambda = kindling.lambda();
        try (SqsClient sqs = sqs(); Inbox inbox = new Inbox()) {
            String function = consumer(lambda, inbox);
            String url = sqs.createQueue(r -> r.queueName("hundred")).queueUrl();
            CreateEventSourceMappingResponse created = lambda.createEventSourceMapping(r -> r.functionName(function)
                    .eventSourceArn(arn("hundred")).batchSize(25).maximumBatchingWindowInSeconds(1)
                    .scalingConfig(s -> s.maximumConcurrency(4)));
            assertThat(created.state()).isEqualTo("Creating");
            assertThat(created.stateTransitionReason()).isEqualTo("USER_INITIATED");
            assertThat(created.functionArn()).isEqualTo(ServerFixture.ARN_PREFIX + function);
            assertThat(created.eventSourceMappingArn())
                    .isEqualTo("arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + created.uuid());
            assertThat(created.batchSize()).isEqualTo(25);
            assertThat(created.scalingConfig().maximumConcurrency()).isEqualTo(4);
            awaitState(lambda, created.uuid(), "Enabled");

            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                bodies.add("{\"n\": " + i + "}");
            }
            send(sqs, url, bodies);
            Map<String, JsonNode> byBody = new HashMap<>();
            while (byBody.size() < 100) {
                List<JsonNode> batch = nextBatch(inbox, "the 100 messages, " + byBody.size() + " so far");
                assertThat(batch).hasSizeBetween(1, 25);
                batch.forEach(record -> byBody.put(record.path("body").asText(), record));
            }
            assertThat(byBody.keySet()).containsExactlyInAnyOrderElementsOf(bodies);

            JsonNode record = byBody.get("{\"n\": 7}");
            assertThat(record.path("eventSource").asText()).isEqualTo("aws:sqs");
            assertThat(record.path("eventSourceARN").asText()).isEqualTo(arn("hundred"));
            assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(record.path("md5OfBody").asText()).isEqualTo(md5("{\"n\": 7}"));
            assertThat(record.path("messageId").asText()).isNotEmpty();
            assertThat(record.path("receiptHandle").asText()).isNotEmpty();
            assertThat(record.path("messageAttributes").isObject()).isTrue();
            JsonNode attributes = record.path("attributes");
            assertThat(attributes.path("ApproximateReceiveCount").asText()).isEqualTo("1");
            assertThat(attributes.path("SentTimestamp").asText()).matches("\\d{13}");
            assertThat(attributes.path("ApproximateFirstReceiveTimestamp").asText()).matches("\\d{13}");
            assertThat(attributes.has("SenderId")).isTrue();
            awaitEmpty(sqs, url); // every message was deleted once its batch succeeded
        }
    }

    @Test
    void partialBatchFailuresReturnOnlyTheFailedMessages() throws Exception {
        LambdaClient lambda = kindling.lambda();
        try (SqsClient sqs = sqs(); Inbox inbox = new Inbox()) {
            String function = consumer(lambda, inbox);
            String url = sqs.createQueue(r -> r.queueName("partial").attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
            send(sqs, url, List.of("ok-1", "fail-1", "ok-2", "fail-2", "ok-3"));
            String uuid = lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(arn("partial"))
                    .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES)).uuid();
            Map<String, Integer> deliveries = new HashMap<>();
            while (deliveries.getOrDefault("fail-1", 0) < 2 || deliveries.getOrDefault("fail-2", 0) < 2) {
                for (JsonNode record : nextBatch(inbox, "the failed messages again")) {
                    deliveries.merge(record.path("body").asText(), 1, Integer::sum);
                }
            }
            awaitEmpty(sqs, url);
            assertThat(deliveries).containsExactlyInAnyOrderEntriesOf(Map.of("ok-1", 1, "ok-2", 1, "ok-3", 1,
                    "fail-1", 2, "fail-2", 2));
            assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).functionResponseTypes())
                    .containsExactly(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES);
        }
    }

    @Test
    void poisonMessagesLandInTheDeadLetterQueue() throws Exception {
        LambdaClient lambda = kindling.lambda();
        try (SqsClient sqs = sqs(); Inbox inbox = new Inbox()) {
            String function = consumer(lambda, inbox);
            String dlq = sqs.createQueue(r -> r.queueName("poison-dlq")).queueUrl();
            String url = sqs.createQueue(r -> r.queueName("poisoned").attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arn("poison-dlq")
                            + "\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
            lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(arn("poisoned")));
            send(sqs, url, List.of("poison-pill"));
            assertThat(nextBatch(inbox, "the first attempt")).extracting(r -> r.path("body").asText())
                    .containsExactly("poison-pill");
            JsonNode second = nextBatch(inbox, "the second attempt").getFirst();
            assertThat(second.path("attributes").path("ApproximateReceiveCount").asText()).isEqualTo("2");
            long deadline = System.nanoTime() + 60_000_000_000L;
            List<Message> dead = List.of();
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                dead = sqs.receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(1)).messages();
            }
            assertThat(dead).extracting(Message::body).containsExactly("poison-pill");
            assertThat(inbox.isEmpty()).as("no third attempt").isTrue();
        }
    }

    @Test
    void filterCriteriaPassOnlyMatchingMessagesAndDropTheRest() throws Exception {
        LambdaClient lambda = kindling.lambda();
        try (SqsClient sqs = sqs(); Inbox inbox = new Inbox()) {
            String function = consumer(lambda, inbox);
            String url = sqs.createQueue(r -> r.queueName("filtered")).queueUrl();
            lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(arn("filtered"))
                    .filterCriteria(f -> f.filters(p -> p.pattern("{\"body\": {\"kind\": [\"keep\"]}}"))));
            send(sqs, url, List.of("{\"kind\": \"drop\", \"n\": 1}", "{\"kind\": \"keep\", \"n\": 2}", "plain text"));
            List<JsonNode> batch = nextBatch(inbox, "the matching message");
            assertThat(batch).extracting(r -> r.path("body").asText()).containsExactly("{\"kind\": \"keep\", \"n\": 2}");
            awaitEmpty(sqs, url); // the others were deleted unseen, as Lambda does
            assertThat(inbox.isEmpty()).isTrue();
        }
    }

    @Test
    void aDisabledMappingStopsPolling() throws Exception {
        LambdaClient lambda = kindling.lambda();
        try (SqsClient sqs = sqs(); Inbox inbox = new Inbox()) {
            String function = consumer(lambda, inbox);
            String url = sqs.createQueue(r -> r.queueName("switched")).queueUrl();
            String uuid = lambda.createEventSourceMapping(r -> r.functionName(function)
                    .eventSourceArn(arn("switched"))).uuid();
            send(sqs, url, List.of("before"));
            assertThat(nextBatch(inbox, "the message sent while enabled")).hasSize(1);

            assertThat(lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(false)).state())
                    .isEqualTo("Disabling");
            awaitState(lambda, uuid, "Disabled");
            send(sqs, url, List.of("after"));
            // Nothing polls the queue now: the message waits there for whoever receives it.
            List<Message> waiting = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages();
            assertThat(waiting).extracting(Message::body).containsExactly("after");
            assertThat(inbox.isEmpty()).isTrue();
            sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(waiting.getFirst().receiptHandle())
                    .visibilityTimeout(0));

            assertThat(lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true)).state()).isEqualTo("Enabling");
            assertThat(nextBatch(inbox, "the message once enabled again")).extracting(r -> r.path("body").asText())
                    .containsExactly("after");
            assertThat(lambda.deleteEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Deleting");
            ServerFixture.assertLambdaError(() -> lambda.getEventSourceMapping(r -> r.uuid(uuid)),
                    "ResourceNotFoundException", 404);
        }
    }

    @Test
    void badMappingsAreRefusedWithAwsErrors() throws Exception {
        LambdaClient lambda = kindling.lambda();
        try (SqsClient sqs = sqs(); Inbox inbox = new Inbox()) {
            String function = consumer(lambda, inbox);
            sqs.createQueue(r -> r.queueName("strict"));
            var tooSmall = ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r
                    .functionName(function).eventSourceArn(arn("strict")).batchSize(0)), "ValidationException", 400);
            assertThat(ServerFixture.message(tooSmall)).isEqualTo("1 validation error detected: Value '0' at"
                    + " 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1");
            ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r.functionName(function)
                    .eventSourceArn(arn("strict")).batchSize(10_001).maximumBatchingWindowInSeconds(5)),
                    "ValidationException", 400);
            var noWindow = ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r
                    .functionName(function).eventSourceArn(arn("strict")).batchSize(11)),
                    "InvalidParameterValueException", 400);
            assertThat(ServerFixture.message(noWindow)).isEqualTo("Maximum batch window in seconds must be greater"
                    + " than 0 if maximum batch size is greater than 10");
            ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r.functionName(function)
                    .eventSourceArn(arn("strict")).scalingConfig(s -> s.maximumConcurrency(1))),
                    "ValidationException", 400);
            var noQueue = ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r
                    .functionName(function).eventSourceArn(arn("missing"))), "InvalidParameterValueException", 400);
            assertThat(ServerFixture.message(noQueue)).contains("AWS.SimpleQueueService.NonExistentQueue");
            var noFunction = ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r
                    .functionName("missing").eventSourceArn(arn("strict"))), "InvalidParameterValueException", 400);
            assertThat(ServerFixture.message(noFunction)).isEqualTo("Function does not exist");
            var badFilter = ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r
                    .functionName(function).eventSourceArn(arn("strict"))
                    .filterCriteria(f -> f.filters(p -> p.pattern("simple string")))),
                    "InvalidParameterValueException", 400);
            assertThat(ServerFixture.message(badFilter)).isEqualTo("Invalid filter pattern definition.");
            assertThat(lambda.listEventSourceMappings(r -> r.functionName(function)).eventSourceMappings())
                    .as("nothing half-created").isEmpty();

            String uuid = lambda.createEventSourceMapping(r -> r.functionName(function)
                    .eventSourceArn(arn("strict"))).uuid();
            var duplicate = ServerFixture.assertLambdaError(() -> lambda.createEventSourceMapping(r -> r
                    .functionName(function).eventSourceArn(arn("strict"))), "ResourceConflictException", 409);
            assertThat(ServerFixture.message(duplicate)).endsWith("Please update or delete the existing mapping with"
                    + " UUID " + uuid);
            ServerFixture.assertLambdaError(() -> lambda.getEventSourceMapping(r -> r.uuid(UUID.randomUUID()
                    .toString())), "ResourceNotFoundException", 404);
            assertThat(lambda.listEventSourceMappings(r -> r.eventSourceArn(arn("strict"))).eventSourceMappings())
                    .extracting(m -> m.uuid()).containsExactly(uuid);
            lambda.deleteEventSourceMapping(r -> r.uuid(uuid));
        }
    }

    static void awaitEmpty(SqsClient sqs, String url) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Map<QueueAttributeName, String> counts = counts(sqs, url);
        while (!(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).equals("0")
                && counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).equals("0"))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            counts = counts(sqs, url);
        }
        assertThat(counts).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
    }

    private static Map<QueueAttributeName, String> counts(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    }

    static String md5(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, digest));
    }
}
