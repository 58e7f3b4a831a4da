package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Buses, rules, targets and each schedule's last fire time survive a restart: a restart within the minute a rule
 * fired does not fire it again, and the next occurrence runs on time.
 */
class EventBridgeRestartTest {
    @TempDir
    Path dataDir;

    private static KindlingServer start(Path dataDir, MovableClock clock) throws Exception {
        return KindlingServer.start(ServerConfig.defaults(dataDir).withPort(0).withScheduleClock(clock));
    }

    @Test
    void rulesAndTheirLastFireTimeSurviveARestart() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(10);
        Instant firstMinute = start.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        String ruleArn;
        try (Inbox inbox = new Inbox()) {
            MovableClock clock = new MovableClock(start);
            try (KindlingServer server = start(dataDir, clock); LambdaClient lambda = ServerFixture.client(server);
                    EventBridgeClient events = EventBridgeTest.client(server)) {
                String function = EventBridgeTest.recorder(lambda, inbox);
                events.createEventBus(r -> r.name("kept-bus").description("survives"));
                ruleArn = events.putRule(r -> r.name("tick").scheduleExpression("rate(1 minute)")).ruleArn();
                events.putTargets(r -> r.rule("tick").targets(Target.builder().id("fn").arn(function)
                        .input("{\"from\": \"schedule\"}").build()));
                EventBridgeTest.allow(lambda, function, ruleArn);
                clock.set(firstMinute.plusSeconds(1));
                assertThat(inbox.next("the first minute's event").path("event").path("from").asText())
                        .isEqualTo("schedule");
                assertThat(EventBridgeTest.invocationsCounted(server, ruleArn)).isEqualTo(1);
            }

            MovableClock restarted = new MovableClock(firstMinute.plusSeconds(20));
            try (KindlingServer server = start(dataDir, restarted);
                    EventBridgeClient events = EventBridgeTest.client(server)) {
                assertThat(events.describeRule(r -> r.name("tick")).scheduleExpression()).isEqualTo("rate(1 minute)");
                assertThat(events.listTargetsByRule(r -> r.rule("tick")).targets()).singleElement()
                        .satisfies(t -> assertThat(t.input()).isEqualTo("{\"from\": \"schedule\"}"));
                assertThat(events.describeEventBus(r -> r.name("kept-bus")).description()).isEqualTo("survives");

                restarted.set(firstMinute.plus(Duration.ofMinutes(1)).plusSeconds(1));
                JsonNode next = inbox.next("the next minute's event").path("event");
                assertThat(next.path("from").asText()).isEqualTo("schedule");
                assertThat(EventBridgeTest.invocationsCounted(server, ruleArn))
                        .as("the minute fired before the restart is not fired again; the next one is").isEqualTo(1);
            }
        }
    }
}
