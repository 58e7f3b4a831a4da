package dev.kindling;

import static dev.kindling.S3Test.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bucket notifications through the SDK's S3 client: configured as S3 checks them, and each matching change invoking
 * a function (through the durable event queue) with S3's event record, also after a restart.
 */
class S3NotificationsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    /** A function that posts each event it gets to the inbox. */
    private static String recorder(Inbox inbox) {
        String name = "recorder-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Inbox.PYTHON + """
                def lambda_handler(event, context):
                    post("%s", event)
                """.formatted(inbox.url())))).build());
        return name;
    }

    private static void allowS3(String function, String bucket) {
        kindling.lambda().addPermission(r -> r.functionName(function).statementId("s3-" + bucket)
                .action("lambda:InvokeFunction").principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::" + bucket)
                .sourceAccount(ServerFixture.ACCOUNT));
    }

    private static LambdaFunctionConfiguration onUploads(String function, String id, List<Event> events) {
        return LambdaFunctionConfiguration.builder().id(id).lambdaFunctionArn(ServerFixture.ARN_PREFIX + function)
                .events(events).filter(f -> f.key(k -> k.filterRules(
                        FilterRule.builder().name("prefix").value("uploads/").build()))).build();
    }

    private static String bucket() {
        return "n-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void matchingChangesInvokeTheFunctionWithS3sEventRecord() throws Exception {
        String bucket = bucket();
        try (Inbox inbox = new Inbox(); S3Client s3 = S3Test.s3(kindling.server())) {
            String function = recorder(inbox);
            allowS3(function, bucket);
            s3.createBucket(r -> r.bucket(bucket));
            s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(c -> c
                    .lambdaFunctionConfigurations(onUploads(function, "uploads",
                            List.of(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED)))));
            var stored = s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).lambdaFunctionConfigurations();
            assertThat(stored).hasSize(1);
            assertThat(stored.get(0).filter().key().filterRules()).extracting(FilterRule::nameAsString,
                    FilterRule::value).containsExactly(org.assertj.core.groups.Tuple.tuple("Prefix", "uploads/"));

            s3.putObject(r -> r.bucket(bucket).key("elsewhere/skip.txt"), RequestBody.fromString("not watched"));
            var put = s3.putObject(r -> r.bucket(bucket).key("uploads/my photo (1).jpg"),
                    RequestBody.fromString("0123456789"));
            JsonNode record = inbox.next("the PUT's event").path("Records").get(0);
            assertThat(record.path("eventVersion").asText()).isEqualTo("2.1");
            assertThat(record.path("eventSource").asText()).isEqualTo("aws:s3");
            assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(record.path("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
            assertThat(record.path("userIdentity").path("principalId").asText()).isNotEmpty();
            assertThat(record.path("requestParameters").path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(record.path("responseElements").path("x-amz-request-id").asText()).isNotEmpty();
            assertThat(record.path("responseElements").path("x-amz-id-2").asText()).isNotEmpty();
            JsonNode s3Part = record.path("s3");
            assertThat(s3Part.path("s3SchemaVersion").asText()).isEqualTo("1.0");
            assertThat(s3Part.path("configurationId").asText()).isEqualTo("uploads");
            assertThat(s3Part.path("bucket").path("name").asText()).isEqualTo(bucket);
            assertThat(s3Part.path("bucket").path("arn").asText()).isEqualTo("arn:aws:s3:::" + bucket);
            assertThat(s3Part.path("bucket").path("ownerIdentity").path("principalId").asText()).isNotEmpty();
            JsonNode object = s3Part.path("object");
            assertThat(object.path("key").asText()).isEqualTo("uploads/my+photo+%281%29.jpg");
            assertThat(object.path("size").asLong()).isEqualTo(10);
            assertThat(object.path("eTag").asText()).isEqualTo(put.eTag().replace("\"", ""));
            assertThat(object.path("sequencer").asText()).matches("[0-9A-F]{18}");

            s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("uploads/my photo (1).jpg").destinationBucket(bucket)
                    .destinationKey("uploads/copy.jpg"));
            assertThat(eventOf(inbox.next("the copy's event"))).isEqualTo("ObjectCreated:Copy uploads/copy.jpg");
            String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("uploads/parts.bin")).uploadId();
            String eTag = s3.uploadPart(r -> r.bucket(bucket).key("uploads/parts.bin").uploadId(uploadId).partNumber(1),
                    RequestBody.fromString("one part")).eTag();
            s3.completeMultipartUpload(r -> r.bucket(bucket).key("uploads/parts.bin").uploadId(uploadId)
                    .multipartUpload(u -> u.parts(CompletedPart.builder().partNumber(1).eTag(eTag).build())));
            assertThat(eventOf(inbox.next("the multipart upload's event")))
                    .isEqualTo("ObjectCreated:CompleteMultipartUpload uploads/parts.bin");
            s3.deleteObject(r -> r.bucket(bucket).key("uploads/copy.jpg"));
            JsonNode removed = inbox.next("the DELETE's event");
            assertThat(eventOf(removed)).isEqualTo("ObjectRemoved:Delete uploads/copy.jpg");
            assertThat(removed.path("Records").get(0).path("s3").path("object").has("size")).isFalse();
            s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(o -> o.key("uploads/parts.bin"),
                    o -> o.key("elsewhere/skip.txt"))));
            assertThat(eventOf(inbox.next("DeleteObjects' event"))).isEqualTo("ObjectRemoved:Delete uploads/parts.bin");
            // Every change outside uploads/ was passed over: the next event is the next one under it.
            s3.putObject(r -> r.bucket(bucket).key("uploads/last.txt"), RequestBody.fromString("last"));
            assertThat(eventOf(inbox.next("the last PUT's event"))).isEqualTo("ObjectCreated:Put uploads/last.txt");
        }
    }

    private static String eventOf(JsonNode event) {
        JsonNode record = event.path("Records").get(0);
        return record.path("eventName").asText() + " " + record.path("s3").path("object").path("key").asText();
    }

    @Test
    void configurationsS3WouldRefuseAreRefused() throws Exception {
        String bucket = bucket();
        try (Inbox inbox = new Inbox(); S3Client s3 = S3Test.s3(kindling.server())) {
            String function = recorder(inbox);
            s3.createBucket(r -> r.bucket(bucket));
            String arn = ServerFixture.ARN_PREFIX + function;
            S3Exception notAllowed = assertS3Error(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket)
                    .notificationConfiguration(c -> c.lambdaFunctionConfigurations(onUploads(function, "a",
                            List.of(Event.S3_OBJECT_CREATED))))), "InvalidArgument", 400);
            assertThat(notAllowed.awsErrorDetails().errorMessage())
                    .isEqualTo("Unable to validate the following destination configurations");
            // (its ArgumentName1/ArgumentValue1 elements, which the SDK does not expose, are checked in s3.sh)
            assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).lambdaFunctionConfigurations())
                    .as("nothing stored").isEmpty();
            // A grant for another bucket is not a grant for this one.
            allowS3(function, "other-" + bucket);
            assertS3Error(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(
                    c -> c.lambdaFunctionConfigurations(onUploads(function, "a", List.of(Event.S3_OBJECT_CREATED))))),
                    "InvalidArgument", 400);
            allowS3(function, bucket);

            S3Exception overlap = assertS3Error(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket)
                    .notificationConfiguration(c -> c.lambdaFunctionConfigurations(
                            onUploads(function, "all", List.of(Event.S3_OBJECT_CREATED)),
                            onUploads(function, "puts", List.of(Event.S3_OBJECT_CREATED_PUT))))),
                    "InvalidArgument", 400);
            assertThat(overlap.awsErrorDetails().errorMessage()).startsWith("Configurations overlap.");
            S3Exception unknown = assertS3Error(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket)
                    .notificationConfiguration(c -> c.lambdaFunctionConfigurations(LambdaFunctionConfiguration
                            .builder().lambdaFunctionArn(arn).eventsWithStrings("s3:ObjectCreated:Upload").build()))),
                    "InvalidArgument", 400);
            assertThat(unknown.awsErrorDetails().errorMessage()).isEqualTo("The event is not supported for notifications");
            S3Exception rule = assertS3Error(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket)
                    .notificationConfiguration(c -> c.lambdaFunctionConfigurations(LambdaFunctionConfiguration
                            .builder().lambdaFunctionArn(arn).events(Event.S3_OBJECT_CREATED).filter(f -> f.key(k ->
                                    k.filterRules(FilterRule.builder().name("contains").value("x").build()))).build()))),
                    "InvalidArgument", 400);
            assertThat(rule.awsErrorDetails().errorMessage()).isEqualTo("filter rule name must be either prefix or suffix");
            S3Exception badArn = assertS3Error(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket)
                    .notificationConfiguration(c -> c.lambdaFunctionConfigurations(LambdaFunctionConfiguration
                            .builder().lambdaFunctionArn("not-an-arn").events(Event.S3_OBJECT_CREATED).build()))),
                    "InvalidArgument", 400);
            assertThat(badArn.awsErrorDetails().errorMessage()).isEqualTo("The ARN could not be parsed");
            assertS3Error(() -> s3.getBucketNotificationConfiguration(r -> r.bucket("missing-" + bucket)),
                    "NoSuchBucket", 404);

            // Different prefixes, or suffixes that cannot both match, do not overlap; an Id is made when none is given.
            s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(c -> c
                    .lambdaFunctionConfigurations(onUploads(function, "uploads", List.of(Event.S3_OBJECT_CREATED)),
                            LambdaFunctionConfiguration.builder().lambdaFunctionArn(arn)
                                    .events(Event.S3_OBJECT_CREATED).filter(f -> f.key(k -> k.filterRules(
                                            FilterRule.builder().name("Prefix").value("photos/").build(),
                                            FilterRule.builder().name("Suffix").value(".jpg").build()))).build())));
            var stored = s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).lambdaFunctionConfigurations();
            assertThat(stored).hasSize(2);
            assertThat(stored.get(1).id()).isNotEmpty();
            s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(c -> c.build()));
            assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).lambdaFunctionConfigurations())
                    .as("an empty configuration removes it").isEmpty();
        }
    }

    @Test
    void queueConfigurationsSendS3sEventRecordToTheQueue() throws Exception {
        String bucket = bucket();
        try (S3Client s3 = S3Test.s3(kindling.server()); var sqs = SqsTest.sqs(kindling.server())) {
            s3.createBucket(r -> r.bucket(bucket));
            String missing = "arn:aws:sqs:us-east-1:000000000000:missing-" + bucket;
            S3Exception noQueue = assertS3Error(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket)
                    .notificationConfiguration(c -> c.queueConfigurations(q -> q.queueArn(missing)
                            .events(Event.S3_OBJECT_CREATED)))), "InvalidArgument", 400);
            assertThat(noQueue.awsErrorDetails().errorMessage())
                    .isEqualTo("Unable to validate the following destination configurations");
            String url = sqs.createQueue(r -> r.queueName("uploads-" + bucket)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn");
            s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(c -> c
                    .queueConfigurations(q -> q.id("to-queue").queueArn(queueArn).events(Event.S3_OBJECT_CREATED_PUT)
                            .filter(f -> f.key(k -> k.filterRules(FilterRule.builder().name("suffix").value(".csv")
                                    .build()))))));
            assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations())
                    .extracting(q -> q.queueArn()).containsExactly(queueArn);
            JsonNode test = new com.fasterxml.jackson.databind.ObjectMapper().readTree(receive(sqs, url));
            assertThat(test.path("Event").asText()).isEqualTo("s3:TestEvent");
            assertThat(test.path("Bucket").asText()).isEqualTo(bucket);

            s3.putObject(r -> r.bucket(bucket).key("skip.txt"), RequestBody.fromString("no"));
            s3.putObject(r -> r.bucket(bucket).key("data/rows.csv"), RequestBody.fromString("a,b"));
            JsonNode record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(receive(sqs, url))
                    .path("Records").get(0);
            assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
            assertThat(record.path("s3").path("configurationId").asText()).isEqualTo("to-queue");
            assertThat(record.path("s3").path("object").path("key").asText()).isEqualTo("data/rows.csv");
            assertThat(record.path("s3").path("object").path("size").asInt()).isEqualTo(3);
        }
    }

    /** The next message of the queue (deleted), waiting for it with long polls up to a generous deadline. */
    private static String receive(software.amazon.awssdk.services.sqs.SqsClient sqs, String url) {
        long deadline = System.nanoTime() + Inbox.DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5).maxNumberOfMessages(1))
                    .messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(messages.get(0).receiptHandle()));
                return messages.get(0).body();
            }
        }
        throw new AssertionError("no message in " + url + " within " + Inbox.DEADLINE.toSeconds() + " s");
    }

    @Test
    void objectsAndConfigurationsSurviveARestart(@org.junit.jupiter.api.io.TempDir Path dataDir) throws Exception {
        String bucket = bucket();
        try (Inbox inbox = new Inbox()) {
            try (KindlingServer first = ServerFixture.start(dataDir);
                    var lambda = ServerFixture.client(first); S3Client s3 = S3Test.s3(first)) {
                lambda.createFunction(ServerFixture.create("restart-recorder", ServerFixture.zipOf(Map.of(
                        "lambda_function.py", Inbox.PYTHON + """
                        def lambda_handler(event, context):
                            post("%s", event)
                        """.formatted(inbox.url())))).build());
                lambda.addPermission(r -> r.functionName("restart-recorder").statementId("s3")
                        .action("lambda:InvokeFunction").principal("s3.amazonaws.com")
                        .sourceArn("arn:aws:s3:::" + bucket));
                s3.createBucket(r -> r.bucket(bucket));
                s3.putObject(r -> r.bucket(bucket).key("kept.txt"), RequestBody.fromString("still here"));
                s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(c -> c
                        .lambdaFunctionConfigurations(onUploads("restart-recorder", "kept",
                                List.of(Event.S3_OBJECT_CREATED_PUT)))));
            }
            try (KindlingServer second = ServerFixture.start(dataDir); S3Client s3 = S3Test.s3(second)) {
                assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("kept.txt")).asUtf8String())
                        .isEqualTo("still here");
                assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).lambdaFunctionConfigurations())
                        .extracting(LambdaFunctionConfiguration::id).containsExactly("kept");
                s3.putObject(r -> r.bucket(bucket).key("uploads/after.txt"), RequestBody.fromString("new"));
                assertThat(eventOf(inbox.next("an event after the restart")))
                        .isEqualTo("ObjectCreated:Put uploads/after.txt");
                s3.deleteObject(r -> r.bucket(bucket).key("kept.txt"));
                s3.deleteObject(r -> r.bucket(bucket).key("uploads/after.txt"));
                s3.deleteBucket(r -> r.bucket(bucket));
                s3.createBucket(r -> r.bucket(bucket));
                assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).lambdaFunctionConfigurations())
                        .as("a deleted bucket's configuration goes with it").isEmpty();
            }
        }
    }
}
