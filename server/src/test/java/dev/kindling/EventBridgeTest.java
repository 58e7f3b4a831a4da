package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InputTransformer;
import software.amazon.awssdk.services.eventbridge.model.ListRulesResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Environment;

/**
 * EventBridge through the AWS SDK for Java v2: scheduled rules fire under a clock the test moves (a rate rule's
 * first minute, a cron rule's noon) and invoke their function with AWS's Scheduled Event; PutEvents reaches the
 * functions of the rules whose patterns match, on the default bus and a custom one, with their input transformed;
 * and every operation's bad input gets AWS's error with nothing half-stored.
 */
class EventBridgeTest {
    private static final MovableClock CLOCK = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES)
            .plusSeconds(5));
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(c -> c.withScheduleClock(CLOCK));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE_ARN_PREFIX = "arn:aws:events:us-east-1:000000000000:rule/";
    private static EventBridgeClient events;

    @BeforeAll
    static void client() {
        events = client(kindling.server());
    }

    @AfterAll
    static void close() {
        events.close();
    }

    static EventBridgeClient client(KindlingServer server) {
        return EventBridgeClient.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.builder().build()).build();
    }

    /** A function that posts each event it gets to {@code inbox}; returns its ARN. */
    static String recorder(LambdaClient lambda, Inbox inbox) {
        String name = "recorder-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Inbox.PYTHON + """
                import os
                def lambda_handler(event, context):
                    post(os.environ["INBOX"], {"event": event})
                """))).timeout(30).environment(Environment.builder().variables(Map.of("INBOX", inbox.url())).build())
                .build());
        return ServerFixture.ARN_PREFIX + name;
    }

    /** What AWS requires before a rule may invoke a function: a policy statement for events.amazonaws.com. */
    static void allow(LambdaClient lambda, String functionArn, String ruleArn) {
        lambda.addPermission(r -> r.functionName(functionArn).statementId("events-" + UUID.randomUUID())
                .action("lambda:InvokeFunction").principal("events.amazonaws.com").sourceArn(ruleArn));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRateRuleInvokesItsFunctionWithTheScheduledEventAtItsFirstMinute() throws Exception {
        try (Inbox inbox = new Inbox()) {
            String function = recorder(kindling.lambda(), inbox);
            String rule = unique("every-minute");
            Instant created = CLOCK.instant();
            String ruleArn = events.putRule(r -> r.name(rule).scheduleExpression("rate(1 minute)")).ruleArn();
            assertThat(ruleArn).isEqualTo(RULE_ARN_PREFIX + rule);
            events.putTargets(r -> r.rule(rule).targets(Target.builder().id("fn").arn(function).build()));
            allow(kindling.lambda(), function, ruleArn);

            Instant firstMinute = created.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            CLOCK.set(firstMinute.plusSeconds(1));
            JsonNode event = inbox.next("the Scheduled Event").path("event");
            assertThat(event.path("version").asText()).isEqualTo("0");
            assertThat(event.path("id").asText()).hasSize(36);
            assertThat(event.path("detail-type").asText()).isEqualTo("Scheduled Event");
            assertThat(event.path("source").asText()).isEqualTo("aws.events");
            assertThat(event.path("account").asText()).isEqualTo(ServerFixture.ACCOUNT);
            assertThat(event.path("time").asText()).isEqualTo(firstMinute.toString());
            assertThat(event.path("region").asText()).isEqualTo("us-east-1");
            assertThat(event.path("resources")).containsExactly(JSON.getNodeFactory().textNode(ruleArn));
            assertThat(event.path("detail").isObject() && event.path("detail").isEmpty()).isTrue();

            // Disabled over two minutes: the first is more than a minute past when the rule is enabled again (skipped),
            // the second is within its minute (run then).
            events.disableRule(r -> r.name(rule));
            CLOCK.advance(Duration.ofMinutes(2));
            events.enableRule(r -> r.name(rule));
            JsonNode next = inbox.next("the occurrence after the rule is enabled again").path("event");
            assertThat(next.path("time").asText()).as("the minute missed while disabled is skipped")
                    .isEqualTo(firstMinute.plus(Duration.ofMinutes(2)).toString());
            events.removeTargets(r -> r.rule(rule).ids("fn"));
            events.deleteRule(r -> r.name(rule));
        }
    }

    @Test
    void aCronRuleFiresAtTheMinuteItNames() throws Exception {
        try (Inbox inbox = new Inbox()) {
            String function = recorder(kindling.lambda(), inbox);
            Instant noon = CLOCK.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(12));
            CLOCK.set(noon.minusSeconds(90));
            String rule = unique("at-noon");
            String ruleArn = events.putRule(r -> r.name(rule).scheduleExpression("cron(0 12 * * ? *)")
                    .description("daily")).ruleArn();
            events.putTargets(r -> r.rule(rule).targets(Target.builder().id("fn").arn(function).build()));
            allow(kindling.lambda(), function, ruleArn);

            CLOCK.set(noon.plusSeconds(1));
            JsonNode event = inbox.next("the noon Scheduled Event").path("event");
            assertThat(event.path("time").asText()).isEqualTo(noon.toString());
            assertThat(event.path("resources").get(0).asText()).isEqualTo(RULE_ARN_PREFIX + rule);
            assertThat(invocationsCounted(RULE_ARN_PREFIX + rule)).as("fired once").isEqualTo(1);
            events.removeTargets(r -> r.rule(rule).ids("fn"));
            events.deleteRule(r -> r.name(rule));
        }
    }

    @Test
    void putEventsReachesTheRulesWhosePatternMatches() throws Exception {
        try (Inbox inbox = new Inbox()) {
            String function = recorder(kindling.lambda(), inbox);
            String rule = unique("orders");
            String pattern = "{\"source\": [\"my.shop\"], \"detail\": {\"total\": [{\"numeric\": [\">\", 100]}]}}";
            allow(kindling.lambda(), function, events.putRule(r -> r.name(rule).eventPattern(pattern)).ruleArn());
            events.putTargets(r -> r.rule(rule).targets(Target.builder().id("fn").arn(function).build()));

            PutEventsResponse put = events.putEvents(r -> r.entries(
                    entry("my.shop", "Order Placed", "{\"total\": 50}"),
                    entry("other.shop", "Order Placed", "{\"total\": 500}"),
                    entry("my.shop", "Order Placed", "{\"total\": 250, \"id\": \"o-1\"}")));
            assertThat(put.failedEntryCount()).isZero();
            assertThat(put.entries()).hasSize(3).allSatisfy(e -> assertThat(e.eventId()).hasSize(36));
            assertThat(invocationsCounted(RULE_ARN_PREFIX + rule)).as("only the matching event is handed on")
                    .isEqualTo(1);

            JsonNode event = inbox.next("the matching event").path("event");
            assertThat(event.path("id").asText()).isEqualTo(put.entries().get(2).eventId());
            assertThat(event.path("source").asText()).isEqualTo("my.shop");
            assertThat(event.path("detail-type").asText()).isEqualTo("Order Placed");
            assertThat(event.path("detail").path("id").asText()).isEqualTo("o-1");
            assertThat(event.path("version").asText()).isEqualTo("0");
            assertThat(event.path("account").asText()).isEqualTo(ServerFixture.ACCOUNT);

            events.disableRule(r -> r.name(rule));
            events.putEvents(r -> r.entries(entry("my.shop", "Order Placed", "{\"total\": 300}")));
            assertThat(invocationsCounted(RULE_ARN_PREFIX + rule)).as("a disabled rule matches nothing").isEqualTo(1);
        }
    }

    @Test
    void aCustomBusHasRulesOfItsOwnAndTargetsReceiveTransformedInput() throws Exception {
        try (Inbox inbox = new Inbox()) {
            String function = recorder(kindling.lambda(), inbox);
            String bus = unique("orders-bus");
            String busArn = events.createEventBus(r -> r.name(bus)).eventBusArn();
            assertThat(busArn).isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/" + bus);
            String rule = unique("shipped");
            String ruleArn = events.putRule(r -> r.name(rule).eventBusName(bus)
                    .eventPattern("{\"detail-type\": [\"Shipped\"]}")).ruleArn();
            assertThat(ruleArn).isEqualTo(RULE_ARN_PREFIX + bus + "/" + rule);
            allow(kindling.lambda(), function, ruleArn);
            events.putTargets(r -> r.rule(rule).eventBusName(busArn).targets(Target.builder().id("fn").arn(function)
                    .inputTransformer(InputTransformer.builder()
                            .inputPathsMap(Map.of("order", "$.detail.order", "items", "$.detail.items"))
                            .inputTemplate("{\"order\": <order>, \"items\": <items>,"
                                    + " \"summary\": \"order <order> shipped by <aws.events.rule-name>\"}")
                            .build()).build()));

            events.putEvents(r -> r.entries(entry("my.shop", "Shipped", "{\"order\": \"o-2\", \"items\": [1, 2]}")));
            assertThat(invocationsCounted(ruleArn)).as("an event on the default bus reaches no rule of another")
                    .isZero();
            events.putEvents(r -> r.entries(entry("my.shop", "Shipped", "{\"order\": \"o-3\", \"items\": [3]}")
                    .toBuilder().eventBusName(bus).build()));
            JsonNode input = inbox.next("the transformed input").path("event");
            assertThat(input).isEqualTo(JSON.readTree("{\"order\": \"o-3\", \"items\": [3],"
                    + " \"summary\": \"order o-3 shipped by " + rule + "\"}"));

            assertThat(events.listRuleNamesByTarget(r -> r.targetArn(function).eventBusName(bus)).ruleNames())
                    .containsExactly(rule);
            assertThat(events.listTargetsByRule(r -> r.rule(rule).eventBusName(bus)).targets().getFirst()
                    .inputTransformer().inputPathsMap()).containsEntry("order", "$.detail.order");
            assertThat(events.listEventBuses(r -> r.namePrefix(bus)).eventBuses()).singleElement()
                    .satisfies(b -> assertThat(b.arn()).isEqualTo(busArn));
            assertThat(events.describeEventBus(r -> r.name(bus)).arn()).isEqualTo(busArn);
            events.deleteEventBus(r -> r.name(bus));
            assertError(() -> events.describeEventBus(r -> r.name(bus)), "ResourceNotFoundException",
                    "Event bus " + bus + " does not exist.");
        }
    }

    @Test
    void rulesAreDescribedListedInPagesAndDeletedOnlyWithoutTargets() {
        String prefix = unique("page");
        for (int i = 0; i < 5; i++) {
            int n = i;
            events.putRule(r -> r.name(prefix + "-" + n).eventPattern("{\"source\": [\"s" + n + "\"]}")
                    .state(n == 0 ? RuleState.DISABLED : RuleState.ENABLED));
        }
        DescribeRuleResponse described = events.describeRule(r -> r.name(prefix + "-0"));
        assertThat(described.state()).isEqualTo(RuleState.DISABLED);
        assertThat(described.eventPattern()).isEqualTo("{\"source\": [\"s0\"]}");
        assertThat(described.eventBusName()).isEqualTo("default");
        assertThat(described.arn()).isEqualTo(RULE_ARN_PREFIX + prefix + "-0");

        ListRulesResponse first = events.listRules(r -> r.namePrefix(prefix).limit(3));
        assertThat(first.rules()).extracting(r -> r.name()).containsExactly(prefix + "-0", prefix + "-1", prefix + "-2");
        ListRulesResponse second = events.listRules(r -> r.namePrefix(prefix).limit(3).nextToken(first.nextToken()));
        assertThat(second.rules()).extracting(r -> r.name()).containsExactly(prefix + "-3", prefix + "-4");
        assertThat(second.nextToken()).isNull();

        String target = ServerFixture.ARN_PREFIX + "any-function";
        events.putTargets(r -> r.rule(prefix + "-1").targets(Target.builder().id("t").arn(target).build()));
        assertError(() -> events.deleteRule(r -> r.name(prefix + "-1")), "ValidationException",
                "Rule can't be deleted since it has targets.");
        events.removeTargets(r -> r.rule(prefix + "-1").ids("t"));
        events.deleteRule(r -> r.name(prefix + "-1"));
        assertError(() -> events.describeRule(r -> r.name(prefix + "-1")), "ResourceNotFoundException",
                "Rule " + prefix + "-1 does not exist on EventBus default.");
    }

    @Test
    void badInputGetsAwsErrorsAndNothingIsHalfStored() {
        String rule = unique("bad");
        assertError(() -> events.putRule(r -> r.name(rule).scheduleExpression("rate(0 minutes)")),
                "ValidationException", "Parameter ScheduleExpression is not valid. Reason: the rate's value must be"
                        + " a positive whole number.");
        assertError(() -> events.putRule(r -> r.name(rule).scheduleExpression("cron(0 12 * * * *)")),
                "ValidationException", "Parameter ScheduleExpression is not valid. Reason: exactly one of"
                        + " day-of-month and day-of-week must be '?'.");
        assertError(() -> events.putRule(r -> r.name(rule).eventPattern("{\"source\": \"not-a-list\"}")),
                "InvalidEventPatternException", "Event pattern is not valid. Reason: \"source\" must be an object or"
                        + " an array");
        assertError(() -> events.putRule(r -> r.name(rule).eventPattern("{not json")),
                "InvalidEventPatternException", null);
        assertError(() -> events.putRule(r -> r.name(rule)), "ValidationException",
                "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        assertError(() -> events.putRule(r -> r.name("no spaces allowed").eventPattern("{\"source\": [\"a\"]}")),
                "ValidationException", "1 validation error detected: Value 'no spaces allowed' at 'name' failed to"
                        + " satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
        String bus = unique("bus");
        events.createEventBus(r -> r.name(bus));
        assertError(() -> events.putRule(r -> r.name(rule).eventBusName(bus).scheduleExpression("rate(5 minutes)")),
                "ValidationException", "ScheduleExpression is supported only on the default event bus.");
        assertError(() -> events.putRule(r -> r.name(rule).eventBusName("missing-bus")
                .eventPattern("{\"source\": [\"a\"]}")), "ResourceNotFoundException",
                "Event bus missing-bus does not exist.");
        assertError(() -> events.createEventBus(r -> r.name(bus)), "ResourceAlreadyExistsException",
                "Event bus " + bus + " already exists.");
        assertError(() -> events.deleteEventBus(r -> r.name("default")), "ValidationException",
                "Cannot delete event bus default.");
        assertError(() -> events.describeRule(r -> r.name(rule)), "ResourceNotFoundException",
                "Rule " + rule + " does not exist on EventBus default.");

        events.putRule(r -> r.name(rule).eventPattern("{\"source\": [\"a\"]}"));
        String function = ServerFixture.ARN_PREFIX + "f";
        assertError(() -> events.putTargets(r -> r.rule(rule).targets(
                Target.builder().id("good").arn(function).build(),
                Target.builder().id("queue").arn("arn:aws:sqs:us-east-1:000000000000:q").build())),
                "ValidationException", null);
        assertError(() -> events.putTargets(r -> r.rule(rule).targets(Target.builder().id("t").arn(function)
                .input("{}").inputPath("$.detail").build())), "ValidationException",
                "Only one of Input, InputPath, or InputTransformer must be provided for target t.");
        assertError(() -> events.putTargets(r -> r.rule(rule).targets(Target.builder().id("t").arn(function)
                .inputTransformer(InputTransformer.builder().inputPathsMap(Map.of("a", "$.detail.a"))
                        .inputTemplate("{\"x\": <notdefinedkey>}").build()).build())), "ValidationException",
                "InputTemplate for target t contains invalid placeholder notdefinedkey.");
        assertError(() -> events.putTargets(r -> r.rule(rule).targets(Target.builder().id("!@#").arn(function)
                .build())), "ValidationException", "1 validation error detected: Value '!@#' at 'targets.1.member.id'"
                        + " failed to satisfy constraint: Member must satisfy regular expression pattern:"
                        + " [\\.\\-_A-Za-z0-9]+");
        assertError(() -> events.putTargets(r -> r.rule("no-such-rule").targets(Target.builder().id("t")
                .arn(function).build())), "ResourceNotFoundException",
                "Rule no-such-rule does not exist on EventBus default.");
        assertThat(events.listTargetsByRule(r -> r.rule(rule)).targets()).as("no target of a refused request")
                .isEmpty();

        PutEventsResponse put = events.putEvents(r -> r.entries(
                PutEventsRequestEntry.builder().detailType("t").detail("{}").build(),
                entry("s", "t", "[1, 2]"),
                entry("s", "t", "{}")));
        assertThat(put.failedEntryCount()).isEqualTo(2);
        assertThat(put.entries().get(0).errorCode()).isEqualTo("InvalidArgument");
        assertThat(put.entries().get(0).errorMessage())
                .isEqualTo("Parameter Source is not valid. Reason: Source is a required argument.");
        assertThat(put.entries().get(1).errorCode()).isEqualTo("MalformedDetail");
        assertThat(put.entries().get(1).errorMessage()).isEqualTo("Detail is malformed.");
        assertThat(put.entries().get(2).eventId()).hasSize(36);
        assertError(() -> events.putEvents(r -> r.entries(List.of())), "ValidationException", null);
    }

    @Test
    void aTargetWhoseFunctionDoesNotExistIsAFailedInvocation() {
        String rule = unique("to-nowhere");
        String ruleArn = events.putRule(r -> r.name(rule).eventPattern("{\"source\": [\"nowhere\"]}")).ruleArn();
        events.putTargets(r -> r.rule(rule).targets(Target.builder().id("gone")
                .arn(ServerFixture.ARN_PREFIX + "no-such-function").build()));
        PutEventsResponse put = events.putEvents(r -> r.entries(entry("nowhere", "x", "{}")));
        assertThat(put.failedEntryCount()).as("the event was accepted; its delivery failed").isZero();
        assertThat(invocationsCounted(ruleArn)).isZero();
        assertThat(metric(kindling.server(), "kindling_events_failed_invocations_total\\{reason=\"function-not-found\","
                + "rule=\"" + Pattern.quote(ruleArn) + "\"}")).isEqualTo(1);
    }

    @Test
    void aRuleInvokesOnlyFunctionsWhosePolicyAllowsIt() throws Exception {
        try (Inbox inbox = new Inbox()) {
            String function = recorder(kindling.lambda(), inbox);
            String rule = unique("unpermitted");
            String ruleArn = events.putRule(r -> r.name(rule).eventPattern("{\"source\": [\"guarded\"]}")).ruleArn();
            events.putTargets(r -> r.rule(rule).targets(Target.builder().id("fn").arn(function).build()));
            // a statement for another rule does not count
            allow(kindling.lambda(), function, RULE_ARN_PREFIX + "some-other-rule");

            events.putEvents(r -> r.entries(entry("guarded", "x", "{\"n\": 1}")));
            assertThat(invocationsCounted(ruleArn)).isZero();
            assertThat(metric(kindling.server(), "kindling_events_failed_invocations_total\\{reason=\"permission\","
                    + "rule=\"" + Pattern.quote(ruleArn) + "\"}")).isEqualTo(1);

            allow(kindling.lambda(), function, ruleArn);
            events.putEvents(r -> r.entries(entry("guarded", "x", "{\"n\": 2}")));
            assertThat(inbox.next("the permitted event").path("event").path("detail").path("n").asInt())
                    .as("the first event was never delivered").isEqualTo(2);
        }
    }

    @Test
    void rulesAndBusesAreTaggedAndTheirTagsGoWithThem() {
        String bus = unique("tagged-bus");
        String busArn = events.createEventBus(r -> r.name(bus).tags(tag("team", "a"))).eventBusArn();
        String rule = unique("tagged");
        String ruleArn = events.putRule(r -> r.name(rule).eventBusName(bus).eventPattern("{\"source\": [\"t\"]}")
                .tags(tag("env", "dev"))).ruleArn();
        events.tagResource(r -> r.resourceARN(ruleArn).tags(tag("owner", "me"), tag("env", "prod")));
        assertThat(events.listTagsForResource(r -> r.resourceARN(ruleArn)).tags())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("env=prod", "owner=me");
        events.untagResource(r -> r.resourceARN(ruleArn).tagKeys("owner", "not-there"));
        assertThat(events.listTagsForResource(r -> r.resourceARN(ruleArn)).tags())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("env=prod");
        assertThat(events.listTagsForResource(r -> r.resourceARN(busArn)).tags())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("team=a");

        events.deleteRule(r -> r.name(rule).eventBusName(bus));
        assertError(() -> events.listTagsForResource(r -> r.resourceARN(ruleArn)), "ResourceNotFoundException",
                "Rule " + rule + " does not exist on EventBus " + bus + ".");
        events.putRule(r -> r.name(rule).eventBusName(bus).eventPattern("{\"source\": [\"t\"]}"));
        assertThat(events.listTagsForResource(r -> r.resourceARN(ruleArn)).tags()).as("a new rule of the old name")
                .isEmpty();
        events.deleteRule(r -> r.name(rule).eventBusName(bus));
        events.deleteEventBus(r -> r.name(bus));
        assertError(() -> events.tagResource(r -> r.resourceARN(busArn).tags(tag("a", "b"))),
                "ResourceNotFoundException", "Event bus " + bus + " does not exist.");
    }

    private static software.amazon.awssdk.services.eventbridge.model.Tag tag(String key, String value) {
        return software.amazon.awssdk.services.eventbridge.model.Tag.builder().key(key).value(value).build();
    }

    @Test
    void testEventPatternMatchesAsEventBridgeDoes() {
        String event = "{\"id\": \"1\", \"account\": \"000000000000\", \"source\": \"my.app\", \"time\":"
                + " \"2026-01-01T00:00:00Z\", \"region\": \"us-east-1\", \"detail-type\": \"x\", \"resources\": [],"
                + " \"detail\": {\"size\": 12, \"name\": \"report.pdf\"}}";
        assertThat(events.testEventPattern(r -> r.event(event).eventPattern(
                "{\"detail\": {\"name\": [{\"suffix\": \".pdf\"}], \"size\": [{\"numeric\": [\">=\", 10]}]}}"))
                .result()).isTrue();
        assertThat(events.testEventPattern(r -> r.event(event).eventPattern(
                "{\"source\": [{\"anything-but\": \"my.app\"}]}")).result()).isFalse();
        assertError(() -> events.testEventPattern(r -> r.event("not json").eventPattern("{\"source\": [\"a\"]}")),
                "ValidationException", "Parameter Event is not valid.");
        assertError(() -> events.testEventPattern(r -> r.event(event).eventPattern("{\"source\": []}")),
                "InvalidEventPatternException", "Event pattern is not valid. Reason: Empty arrays are not allowed");
    }

    static PutEventsRequestEntry entry(String source, String detailType, String detail) {
        return PutEventsRequestEntry.builder().source(source).detailType(detailType).detail(detail).build();
    }

    /** The rule's Invocations counted on /metrics (deliveries handed to the queue, counted before PutEvents answers). */
    static long invocationsCounted(String ruleArn) {
        return invocationsCounted(kindling.server(), ruleArn);
    }

    static long invocationsCounted(KindlingServer server, String ruleArn) {
        return metric(server, "kindling_events_invocations_total\\{rule=\"" + Pattern.quote(ruleArn) + "\"}");
    }

    /** The value of the sample {@code regex} matches on /metrics; 0 when there is none. */
    static long metric(KindlingServer server, String regex) {
        String body = ServerFixture.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/metrics")).build())
                .body();
        Matcher m = Pattern.compile(regex + " (\\S+)").matcher(body);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    static void assertError(ThrowingCallable call, String code, String message) {
        EventBridgeException e = catchThrowableOfType(EventBridgeException.class, call);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as("error code; message: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(400);
        if (message != null) {
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        } else {
            assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
        }
    }
}
