package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * EventBridge Scheduler's REST API, signed by the AWS SDK's SigV4 signer for the {@code scheduler} service (the SDK
 * version this build pins has no Scheduler client; tests/e2e/events.sh drives it with boto3 and the CLI): a rate
 * schedule fires under a moved clock with its Input's context attributes filled in, and bad input gets AWS's errors.
 */
class SchedulerTest {
    private static final MovableClock CLOCK = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES)
            .plusSeconds(5));
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(c -> c.withScheduleClock(CLOCK));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

    private static HttpResponse<String> call(String method, String path, String body) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(kindling.server().endpoint() + path);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("Content-Type", "application/json");
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("test", "test")).request(request.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "scheduler")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(payload));
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return ServerFixture.send(out.build());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String schedule(String expression, String functionArn, String input) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("ScheduleExpression", expression)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("FlexibleTimeWindow",
                        JSON.createObjectNode().put("Mode", "OFF"))
                .set("Target", JSON.createObjectNode().put("Arn", functionArn)
                        .put("RoleArn", "arn:aws:iam::000000000000:role/scheduler").put("Input", input)));
    }

    @Test
    void aRateScheduleInvokesItsFunctionWithItsInput() throws Exception {
        try (Inbox inbox = new Inbox()) {
            String function = EventBridgeTest.recorder(kindling.lambda(), inbox);
            Instant created = CLOCK.instant();
            HttpResponse<String> create = call("POST", "/schedules/every-minute", schedule("rate(1 minute)", function,
                    "{\"schedule\": \"<aws.scheduler.schedule-arn>\", \"at\": \"<aws.scheduler.scheduled-time>\"}"));
            assertThat(create.statusCode()).as(create.body()).isEqualTo(200);
            String arn = "arn:aws:scheduler:us-east-1:000000000000:schedule/default/every-minute";
            assertThat(json(create).path("ScheduleArn").asText()).isEqualTo(arn);

            JsonNode got = json(call("GET", "/schedules/every-minute", null));
            assertThat(got.path("ScheduleExpression").asText()).isEqualTo("rate(1 minute)");
            assertThat(got.path("State").asText()).isEqualTo("ENABLED");
            assertThat(got.path("ScheduleExpressionTimezone").asText()).isEqualTo("UTC");
            assertThat(got.path("Target").path("Arn").asText()).isEqualTo(function);
            assertThat(got.path("FlexibleTimeWindow").path("Mode").asText()).isEqualTo("OFF");
            assertThat(json(call("GET", "/schedules?NamePrefix=every", null)).path("Schedules").get(0).path("Arn")
                    .asText()).isEqualTo(arn);

            Instant firstMinute = created.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            CLOCK.set(firstMinute.plusSeconds(1));
            JsonNode input = inbox.next("the schedule's input").path("event");
            assertThat(input.path("schedule").asText()).isEqualTo(arn);
            assertThat(input.path("at").asText()).isEqualTo(firstMinute.toString());

            assertThat(call("DELETE", "/schedules/every-minute", null).statusCode()).isEqualTo(200);
            assertThat(call("GET", "/schedules/every-minute", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void badInputGetsAwsErrors() throws Exception {
        String function = ServerFixture.ARN_PREFIX + "any";
        HttpResponse<String> invalid = call("POST", "/schedules/bad", schedule("rate(10 seconds)", function, "{}"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        assertThat(json(invalid).path("Message").asText()).startsWith("Invalid Schedule Expression rate(10 seconds).");

        assertThat(call("POST", "/schedules/twice", schedule("rate(5 minutes)", function, "{}")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> again = call("POST", "/schedules/twice", schedule("rate(5 minutes)", function, "{}"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("Message").asText()).isEqualTo("Schedule twice already exists.");

        HttpResponse<String> missing = call("PUT", "/schedules/nope", schedule("rate(5 minutes)", function, "{}"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
        assertThat(json(missing).path("Message").asText()).isEqualTo("Schedule nope does not exist.");

        HttpResponse<String> queue = call("POST", "/schedules/queue", schedule("rate(5 minutes)",
                "arn:aws:sqs:us-east-1:000000000000:q", "{}"));
        assertThat(queue.statusCode()).isEqualTo(400);
        assertThat(call("GET", "/schedules/queue", null).statusCode()).as("nothing stored").isEqualTo(404);

        HttpResponse<String> noWindow = call("POST", "/schedules/w", "{\"ScheduleExpression\": \"rate(5 minutes)\","
                + " \"Target\": {\"Arn\": \"" + function + "\", \"RoleArn\": \"arn:aws:iam::000000000000:role/r\"}}");
        assertThat(json(noWindow).path("Message").asText()).isEqualTo("1 validation error detected: Value null at"
                + " 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null");
        assertThat(call("GET", "/schedules/x?groupName=other", null).statusCode()).isEqualTo(404);
    }
}
