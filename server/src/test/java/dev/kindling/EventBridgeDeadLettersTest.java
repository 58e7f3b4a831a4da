package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A rule target's DeadLetterConfig, read back with ReceiveMessage: an event EventBridge cannot deliver to its Lambda
 * target (no permission, no such function) is not retried and lands in the target's dead-letter queue with the
 * attributes EventBridge puts there; a RetryPolicy out of range and a dead-letter target that is not a queue are
 * refused.
 */
class EventBridgeDeadLettersTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EventBridgeClient events;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        events = EventBridgeTest.client(kindling.server());
        sqs = SqsTest.sqs(kindling.server());
    }

    @AfterAll
    static void close() {
        events.close();
        sqs.close();
    }

    private static String function() {
        String name = "target-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                "def lambda_handler(event, context):\n    return event\n"))).build());
        return ServerFixture.ARN_PREFIX + name;
    }

    /** The queue's next message with its attributes, waiting up to 60 s. */
    private static Message receive(String queueUrl) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5)
                    .messageAttributeNames("All")).messages();
            if (!messages.isEmpty()) {
                return messages.getFirst();
            }
        }
        throw new AssertionError("nothing arrived in " + queueUrl);
    }

    private static String attribute(Message m, String name) {
        MessageAttributeValue value = m.messageAttributes().get(name);
        assertThat(value).as(name).isNotNull();
        assertThat(value.dataType()).isEqualTo("String");
        return value.stringValue();
    }

    @Test
    void undeliverableEventsGoToTheTargetsDeadLetterQueueWithEventBridgesAttributes() throws Exception {
        String queueName = "rule-dlq-" + UUID.randomUUID().toString().substring(0, 8);
        String queueUrl = sqs.createQueue(r -> r.queueName(queueName)).queueUrl();
        String queueArn = "arn:aws:sqs:us-east-1:000000000000:" + queueName;
        String unallowed = function(); // no add-permission for events.amazonaws.com
        String missing = ServerFixture.ARN_PREFIX + "no-such-function";
        String rule = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        String ruleArn = events.putRule(r -> r.name(rule).eventPattern("{\"source\": [\"shop\"]}")).ruleArn();
        events.putTargets(r -> r.rule(rule).targets(
                Target.builder().id("unallowed").arn(unallowed).deadLetterConfig(d -> d.arn(queueArn))
                        .retryPolicy(p -> p.maximumRetryAttempts(3).maximumEventAgeInSeconds(60)).build(),
                Target.builder().id("missing").arn(missing).deadLetterConfig(d -> d.arn(queueArn)).build()));

        String eventId = events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().source("shop")
                .detailType("order").detail("{\"id\": 7}").build())).entries().getFirst().eventId();

        Map<String, Message> byTarget = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            Message m = receive(queueUrl);
            byTarget.put(attribute(m, "TARGET_ARN"), m);
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
        assertThat(byTarget).containsOnlyKeys(unallowed, missing);

        Message denied = byTarget.get(unallowed);
        JsonNode event = JSON.readTree(denied.body());
        assertThat(event.path("id").asText()).as("the event itself").isEqualTo(eventId);
        assertThat(event.path("detail").path("id").asInt()).isEqualTo(7);
        assertThat(attribute(denied, "RULE_ARN")).isEqualTo(ruleArn);
        assertThat(attribute(denied, "ERROR_CODE")).isEqualTo("NO_PERMISSIONS");
        assertThat(attribute(denied, "ERROR_MESSAGE")).contains("events.amazonaws.com is not authorized to perform:"
                + " lambda:InvokeFunction on resource: " + unallowed);
        assertThat(denied.messageAttributes()).as("not retried: no retry was exhausted")
                .doesNotContainKeys("EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS");

        Message gone = byTarget.get(missing);
        assertThat(JSON.readTree(gone.body()).path("id").asText()).isEqualTo(eventId);
        assertThat(attribute(gone, "RULE_ARN")).isEqualTo(ruleArn);
        assertThat(attribute(gone, "ERROR_CODE")).isEqualTo("NO_RESOURCE");
        assertThat(attribute(gone, "ERROR_MESSAGE")).contains("no-such-function");

        String metrics = ServerFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                kindling.server().endpoint() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("kindling_events_invocations_sent_to_dlq_total{rule=\"" + ruleArn + "\"} 2.0");
    }

    @Test
    void aRetryPolicyOutOfRangeAndADeadLetterTargetThatIsNoQueueAreRefused() {
        String rule = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        events.putRule(r -> r.name(rule).eventPattern("{\"source\": [\"shop\"]}"));
        String function = function();
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(EventBridgeException.class, () -> events
                .putTargets(r -> r.rule(rule).targets(Target.builder().id("t").arn(function)
                        .retryPolicy(p -> p.maximumRetryAttempts(186).maximumEventAgeInSeconds(30)).build())));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("2 validation errors detected: Value '186' at"
                + " 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have"
                + " value less than or equal to 185; Value '30' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds'"
                + " failed to satisfy constraint: Member must have value greater than or equal to 60");
        e = org.assertj.core.api.Assertions.catchThrowableOfType(EventBridgeException.class, () -> events
                .putTargets(r -> r.rule(rule).targets(Target.builder().id("t").arn(function)
                        .deadLetterConfig(d -> d.arn("arn:aws:sns:us-east-1:000000000000:alerts")).build())));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(e.awsErrorDetails().errorMessage()).contains("must be a standard SQS queue's ARN");
        assertThat(events.listTargetsByRule(r -> r.rule(rule)).targets()).as("nothing stored").isEmpty();
    }
}
