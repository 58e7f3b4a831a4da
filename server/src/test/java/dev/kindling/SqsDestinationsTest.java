package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.DestinationConfig;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.OnFailure;
import software.amazon.awssdk.services.lambda.model.OnSuccess;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SQS queues as the targets of asynchronous outcomes, read back with ReceiveMessage: on-success and on-failure
 * destinations get AWS's invocation record, a function's DeadLetterConfig queue gets the failed event with AWS's
 * attributes, and targets Kindling cannot deliver to are refused with nothing stored.
 */
class SqsDestinationsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    static SqsClient sqs;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void openSqs() {
        sqs = SqsTest.sqs(kindling.server());
    }

    @AfterAll
    static void closeSqs() {
        sqs.close();
    }

    /** Answers {"done": n}, or raises when the event says fail. */
    private static String worker(LambdaClient lambda) {
        String name = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                def lambda_handler(event, context):
                    if event.get("fail"):
                        raise RuntimeError("boom " + str(event.get("n")))
                    return {"done": event.get("n")}
                """))).timeout(30).build());
        return name;
    }

    /** A new queue: its URL and ARN. */
    private record Queue(String url, String arn) {}

    private static Queue queue() {
        String name = "q-" + UUID.randomUUID().toString().substring(0, 8);
        return new Queue(sqs.createQueue(r -> r.queueName(name)).queueUrl(), "arn:aws:sqs:us-east-1:000000000000:" + name);
    }

    private static void send(LambdaClient lambda, String function, String payload) {
        assertThat(lambda.invoke(r -> r.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload))).statusCode()).isEqualTo(202);
    }

    /** The queue's next message, waiting up to 60 s for it. */
    private static Message receive(Queue queue) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queue.url()).waitTimeSeconds(5)
                    .messageAttributeNames("All")).messages();
            if (!messages.isEmpty()) {
                return messages.getFirst();
            }
        }
        throw new AssertionError("no message arrived in " + queue.arn());
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void outcomesGoToSqsDestinationsAndFailedEventsToTheDeadLetterQueue() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        Queue successes = queue();
        Queue failures = queue();
        Queue deadLetters = queue();
        lambda.updateFunctionConfiguration(r -> r.functionName(worker).deadLetterConfig(d -> d.targetArn(
                deadLetters.arn())));
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(worker)).deadLetterConfig().targetArn())
                .isEqualTo(deadLetters.arn());
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker).maximumRetryAttempts(0)
                .destinationConfig(DestinationConfig.builder()
                        .onSuccess(OnSuccess.builder().destination(successes.arn()).build())
                        .onFailure(OnFailure.builder().destination(failures.arn()).build()).build()));

        send(lambda, worker, "{\"n\": 1}");
        JsonNode success = json(receive(successes).body());
        assertThat(success.path("version").asText()).isEqualTo("1.0");
        assertThat(success.path("requestContext").path("functionArn").asText()).isEqualTo(ARN_PREFIX + worker + ":$LATEST");
        assertThat(success.path("requestContext").path("condition").asText()).isEqualTo("Success");
        assertThat(success.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(success.path("requestPayload").path("n").asInt()).isEqualTo(1);
        assertThat(success.path("responseContext").path("executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(success.path("responsePayload").path("done").asInt()).isEqualTo(1);

        String failing = "{\"n\": 2, \"fail\": true}";
        send(lambda, worker, failing);
        JsonNode failure = json(receive(failures).body());
        assertThat(failure.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(failure.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(failure.path("responsePayload").path("errorMessage").asText()).isEqualTo("boom 2");

        Message dead = receive(deadLetters);
        assertThat(dead.body()).as("the event itself, as AWS sends it").isEqualTo(failing);
        assertThat(dead.messageAttributes().get("RequestID").stringValue())
                .isEqualTo(failure.path("requestContext").path("requestId").asText());
        assertThat(dead.messageAttributes().get("ErrorCode").dataType()).isEqualTo("Number");
        assertThat(dead.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(dead.messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("boom 2");
        sqs.deleteMessage(r -> r.queueUrl(deadLetters.url()).receiptHandle(dead.receiptHandle()));
        assertThat(receiveNow(deadLetters)).as("a success goes to no dead-letter queue").isEmpty();

        awaitMetric("kindling_async_dead_letters_total{function=\"" + worker + "\"} 1.0");

        sqs.deleteQueue(r -> r.queueUrl(successes.url()));
        send(lambda, worker, "{\"n\": 3}");
        awaitMetric("kindling_async_destination_delivery_failures_total{function=\"" + worker + "\"} 1.0");

        String version = lambda.publishVersion(r -> r.functionName(worker)).version();
        lambda.updateFunctionConfiguration(r -> r.functionName(worker).deadLetterConfig(d -> d.targetArn("")));
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(worker)).deadLetterConfig()).isNull();
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(worker).qualifier(version)).deadLetterConfig()
                .targetArn()).as("a published version keeps its dead-letter queue").isEqualTo(deadLetters.arn());
    }

    /** Waits up to 60 s for /metrics to show {@code line}. */
    private static void awaitMetric(String line) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = ServerFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    kindling.server().endpoint() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.contains(line)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(metrics).contains(line);
    }

    private static List<Message> receiveNow(Queue queue) {
        return new ArrayList<>(sqs.receiveMessage(r -> r.queueUrl(queue.url()).waitTimeSeconds(0)).messages());
    }

    @Test
    void targetsKindlingCannotDeliverToAreRefusedAndNothingIsStored() {
        LambdaClient lambda = kindling.lambda();
        String worker = worker(lambda);
        String missing = "arn:aws:sqs:us-east-1:000000000000:no-such-queue";

        var e = assertLambdaError(() -> lambda.updateFunctionConfiguration(r -> r.functionName(worker)
                .deadLetterConfig(d -> d.targetArn(missing))), "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("The provided execution role does not have permissions to call SendMessage"
                + " on SQS: the queue " + missing + " does not exist.");
        e = assertLambdaError(() -> lambda.updateFunctionConfiguration(r -> r.functionName(worker)
                .deadLetterConfig(d -> d.targetArn("arn:aws:sns:us-east-1:000000000000:alerts"))),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).startsWith("Kindling cannot deliver to the dead-letter topic"
                + " arn:aws:sns:us-east-1:000000000000:alerts: it serves no SNS.");
        e = assertLambdaError(() -> lambda.updateFunctionConfiguration(r -> r.functionName(worker)
                .deadLetterConfig(d -> d.targetArn("dead-letters"))), "ValidationException", 400);
        assertThat(message(e)).startsWith("1 validation error detected: Value 'dead-letters' at"
                + " 'deadLetterConfig.targetArn' failed to satisfy constraint");
        e = assertLambdaError(() -> lambda.updateFunctionConfiguration(r -> r.functionName(worker)
                .deadLetterConfig(d -> d.targetArn("arn:aws:sqs:us-east-1:000000000000:ordered.fifo"))),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).contains("is a FIFO queue");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(worker)).deadLetterConfig()).isNull();
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        assertLambdaError(() -> lambda.createFunction(ServerFixture.create(other, ServerFixture.zipOf(Map.of(
                "lambda_function.py", "def lambda_handler(event, context):\n    return 1\n")))
                .deadLetterConfig(d -> d.targetArn(missing)).build()), "InvalidParameterValueException", 400);
        assertLambdaError(() -> lambda.getFunction(r -> r.functionName(other)), "ResourceNotFoundException", 404);

        e = assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)
                .destinationConfig(DestinationConfig.builder().onFailure(OnFailure.builder().destination(missing)
                        .build()).build())), "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("The destination ARN " + missing + " is invalid.");
        e = assertLambdaError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(worker)
                .destinationConfig(DestinationConfig.builder().onSuccess(OnSuccess.builder()
                        .destination("arn:aws:sns:us-east-1:000000000000:alerts").build()).build())),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).contains("it serves no SNS topics");
        assertLambdaError(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName(worker)),
                "ResourceNotFoundException", 404);
    }
}
