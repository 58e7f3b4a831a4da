package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.lambda.model.ApplicationLogLevel;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.LogFormat;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SystemLogLevel;

/**
 * The CloudWatch Logs API through the AWS SDK for Java v2: every operation and its errors, and real functions
 * (Python, Node.js, a custom runtime) whose output is read back with the times it was written, in Text and JSON
 * format, in their own group or a custom one, with the group's size cap and retention enforced while one prints.
 */
class LogsApiTest {
    /** Groups of 1 MB, segments of 256 KB, pruned every half second: small enough to fill within a test. */
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(config -> config.withLogLimits(
            new dev.kindling.telemetry.LogGroups.Limits(1L << 20, 256L << 10, Duration.ofHours(1),
                    Duration.ofMillis(500), Duration.ofMillis(200), java.util.OptionalInt.empty())));
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void client() {
        logs = CloudWatchLogsClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.builder().socketTimeout(ServerFixture.INVOCATION_READ_TIMEOUT).build())
                .build();
    }

    @AfterAll
    static void close() {
        logs.close();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void groupsAreCreatedListedByPrefixAndPatternPagedAndDeleted() {
        String base = unique("/test/groups-");
        for (String suffix : List.of("a", "b", "c")) {
            logs.createLogGroup(r -> r.logGroupName(base + "/" + suffix));
        }
        assertLogsError(() -> logs.createLogGroup(r -> r.logGroupName(base + "/a")), "ResourceAlreadyExistsException",
                "The specified log group already exists");
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(base)).logGroups())
                .extracting(LogGroup::logGroupName).containsExactly(base + "/a", base + "/b", base + "/c");
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePattern(base.substring(13).toUpperCase())).logGroups())
                .hasSize(3);
        List<String> paged = new ArrayList<>();
        logs.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(base).limit(1))
                .forEach(page -> page.logGroups().forEach(g -> paged.add(g.logGroupName())));
        assertThat(paged).containsExactly(base + "/a", base + "/b", base + "/c");
        LogGroup a = logs.describeLogGroups(r -> r.logGroupNamePrefix(base + "/a")).logGroups().getFirst();
        assertThat(a.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:" + base + "/a:*");
        assertThat(a.creationTime()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

        logs.putRetentionPolicy(r -> r.logGroupName(base + "/a").retentionInDays(7));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(base + "/a")).logGroups().getFirst()
                .retentionInDays()).isEqualTo(7);
        logs.deleteRetentionPolicy(r -> r.logGroupName(base + "/a"));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(base + "/a")).logGroups().getFirst()
                .retentionInDays()).isNull();
        assertLogsError(() -> logs.putRetentionPolicy(r -> r.logGroupName(base + "/a").retentionInDays(2)),
                "InvalidParameterException", "at 'retentionInDays' failed to satisfy constraint");

        logs.deleteLogGroup(r -> r.logGroupName(base + "/b"));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(base)).logGroups())
                .extracting(LogGroup::logGroupName).containsExactly(base + "/a", base + "/c");
        assertLogsError(() -> logs.deleteLogGroup(r -> r.logGroupName(base + "/b")), "ResourceNotFoundException",
                "The specified log group does not exist.");
        assertLogsError(() -> logs.describeLogGroups(r -> r.logGroupNamePrefix("/x").logGroupNamePattern("x")),
                "InvalidParameterException", "mutually exclusive");
        assertLogsError(() -> logs.describeLogGroups(r -> r.limit(51)), "InvalidParameterException",
                "Member must have value less than or equal to 50");
        assertLogsError(() -> logs.createLogGroup(r -> r.logGroupName("bad:name")), "InvalidParameterException",
                "regular expression pattern");
    }

    @Test
    void eventsArePutAndReadBackByStreamWithTokensBothWays() {
        String group = unique("/test/events-");
        logs.createLogGroup(r -> r.logGroupName(group));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName("s1"));
        assertLogsError(() -> logs.createLogStream(r -> r.logGroupName(group).logStreamName("s1")),
                "ResourceAlreadyExistsException", "The specified log stream already exists");
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            events.add(InputLogEvent.builder().timestamp(now - 5000 + n * 1000L).message("event " + n + "\nline two")
                    .build());
        }
        PutLogEventsResponse put = logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s1").logEvents(events));
        assertThat(put.rejectedLogEventsInfo()).isNull();

        GetLogEventsResponse head = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1")
                .startFromHead(true).limit(2));
        assertThat(head.events()).extracting(OutputLogEvent::message).containsExactly("event 0\nline two",
                "event 1\nline two");
        assertThat(head.events().getFirst().timestamp()).isEqualTo(now - 5000);
        GetLogEventsResponse next = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1")
                .nextToken(head.nextForwardToken()).limit(2));
        assertThat(next.events()).extracting(OutputLogEvent::message).containsExactly("event 2\nline two",
                "event 3\nline two");
        GetLogEventsResponse tail = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1").limit(2));
        assertThat(tail.events()).extracting(OutputLogEvent::message).containsExactly("event 3\nline two",
                "event 4\nline two");
        GetLogEventsResponse back = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1")
                .nextToken(tail.nextBackwardToken()).limit(2));
        assertThat(back.events()).extracting(OutputLogEvent::message).containsExactly("event 1\nline two",
                "event 2\nline two");
        GetLogEventsResponse end = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1")
                .nextToken(tail.nextForwardToken()));
        assertThat(end.events()).isEmpty();
        assertThat(end.nextForwardToken()).as("the same token at the end").isEqualTo(tail.nextForwardToken());
        assertThat(logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1").startTime(now - 3000)
                .endTime(now - 1000)).events()).extracting(OutputLogEvent::timestamp)
                .containsExactly(now - 3000, now - 2000);

        assertThat(logs.describeLogStreams(r -> r.logGroupName(group)).logStreams().getFirst().lastEventTimestamp())
                .isEqualTo(now - 1000);
        assertLogsError(() -> logs.getLogEvents(r -> r.logGroupName(group).logStreamName("nope")),
                "ResourceNotFoundException", "The specified log stream does not exist.");
        assertLogsError(() -> logs.getLogEvents(r -> r.logGroupName(group + "-nope").logStreamName("s1")),
                "ResourceNotFoundException", "The specified log group does not exist.");
        assertLogsError(() -> logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1").limit(10_001)),
                "InvalidParameterException", "less than or equal to 10000");
        assertLogsError(() -> logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s1").nextToken("x/1")),
                "InvalidParameterException", "The specified nextToken is invalid.");
        logs.deleteLogStream(r -> r.logGroupName(group).logStreamName("s1"));
        assertLogsError(() -> logs.deleteLogStream(r -> r.logGroupName(group).logStreamName("s1")),
                "ResourceNotFoundException", "The specified log stream does not exist.");
    }

    @Test
    void badBatchesAreRefusedWholeAndOldOrFutureEventsAreRejectedByIndex() {
        String group = unique("/test/batches-");
        logs.createLogGroup(r -> r.logGroupName(group));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName("s"));
        long now = System.currentTimeMillis();
        assertLogsError(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(
                event(now, "b"), event(now - 1, "a"))), "InvalidParameterException",
                "Log events in a single PutLogEvents request must be in chronological order.");
        String big = "x".repeat(200_000);
        List<InputLogEvent> tooMuch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tooMuch.add(event(now, big));
        }
        assertLogsError(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(tooMuch)),
                "InvalidParameterException", "Upload too large");
        assertLogsError(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("nope").logEvents(
                event(now, "a"))), "ResourceNotFoundException", "The specified log stream does not exist.");
        assertThat(logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s")).events())
                .as("nothing stored from the refused batches").isEmpty();

        assertLogsError(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(
                event(now - Duration.ofDays(2).toMillis(), "a"), event(now, "b"))), "InvalidParameterException",
                "cannot span more than 24 hours");
        long fifteenDaysAgo = now - Duration.ofDays(15).toMillis();
        PutLogEventsResponse old = logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(
                event(fifteenDaysAgo, "too old"), event(fifteenDaysAgo + 1, "too old too")));
        assertThat(old.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        PutLogEventsResponse put = logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(
                event(now - 1000, "kept"), event(now + Duration.ofHours(3).toMillis(), "too new")));
        assertThat(put.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(1);
        assertThat(logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s")).events())
                .extracting(OutputLogEvent::message).containsExactly("kept");
    }

    @Test
    void filterPatternsMatchTermsPhrasesAlternativesExclusionsAndJson() {
        String group = unique("/test/filter-");
        logs.createLogGroup(r -> r.logGroupName(group));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName("app/1"));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName("other"));
        long now = System.currentTimeMillis();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("app/1").logEvents(
                event(now - 4000, "ERROR disk full"), event(now - 3000, "WARN disk at 90%"),
                event(now - 2000, "ERROR timeout talking to db"),
                event(now - 1000, "{\"level\":\"ERROR\",\"latency\":250,\"user\":{\"id\":\"u-1\"}}")));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("other").logEvents(
                event(now - 3500, "INFO all good"), event(now - 500, "{\"level\":\"INFO\",\"latency\":20}")));

        assertThat(filter(group, "ERROR")).containsExactly("ERROR disk full", "ERROR timeout talking to db",
                "{\"level\":\"ERROR\",\"latency\":250,\"user\":{\"id\":\"u-1\"}}");
        assertThat(filter(group, "ERROR disk")).containsExactly("ERROR disk full");
        assertThat(filter(group, "\"timeout talking\"")).containsExactly("ERROR timeout talking to db");
        assertThat(filter(group, "?WARN ?INFO")).containsExactly("INFO all good", "WARN disk at 90%",
                "{\"level\":\"INFO\",\"latency\":20}");
        assertThat(filter(group, "ERROR -timeout -latency")).containsExactly("ERROR disk full");
        assertThat(filter(group, "{ $.level = \"ERROR\" }")).hasSize(1);
        assertThat(filter(group, "{ $.latency > 100 || $.level = \"INF*\" }")).hasSize(2);
        assertThat(filter(group, "{ ($.level = \"ERROR\") && ($.user.id = \"u-1\") }")).hasSize(1);
        assertThat(filter(group, "{ $.missing NOT EXISTS && $.latency < 100 }")).hasSize(1);
        assertThat(logs.filterLogEvents(r -> r.logGroupName(group).logStreamNamePrefix("app")).events())
                .extracting(FilteredLogEvent::logStreamName).containsOnly("app/1").hasSize(4);
        assertThat(logs.filterLogEvents(r -> r.logGroupName(group).logStreamNames("other").startTime(now - 1000))
                .events()).hasSize(1);
        List<String> paged = new ArrayList<>();
        logs.filterLogEventsPaginator(r -> r.logGroupName(group).limit(2))
                .forEach(page -> page.events().forEach(e -> paged.add(e.message())));
        assertThat(paged).hasSize(6);

        for (String malformed : List.of("{ $.level = ", "\"unclosed", "{ level = \"x\" }", "ERROR ?")) {
            assertLogsError(() -> logs.filterLogEvents(r -> r.logGroupName(group).filterPattern(malformed)),
                    "InvalidParameterException", "Invalid filter pattern");
        }
        assertLogsError(() -> logs.filterLogEvents(r -> r.logGroupName(group).logStreamNames("a")
                .logStreamNamePrefix("a")), "InvalidParameterException", "mutually exclusive");
        assertLogsError(() -> logs.filterLogEvents(r -> r.logGroupName(group).startTime(-1L)),
                "InvalidParameterException", "greater than or equal to 0");
    }

    @Test
    void anUnknownOperationAnswersInTheLogsProtocol() throws Exception {
        HttpResponse<String> response = logsRequest("Logs_20140328.StartQuery", "{}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(response.body()).contains("\"__type\":\"UnknownOperationException\"")
                .contains("Kindling does not implement the logs operation StartQuery");
    }

    @Test
    void pythonNodeAndCustomRuntimeOutputIsReadBackWithTheTimesItWasWritten() {
        String python = function(Runtime.PYTHON3_12, "lambda_function.handler", Map.of("lambda_function.py", """
                import sys, time
                def handler(event, context):
                    print("python first")
                    time.sleep(0.3)
                    print("ERROR python second", file=sys.stderr)
                    return "ok"
                """));
        String node = function(Runtime.NODEJS20_X, "index.handler", Map.of("index.mjs", """
                export const handler = async () => {
                  console.log("node first");
                  await new Promise(r => setTimeout(r, 300));
                  console.error("ERROR node second");
                  return "ok";
                };
                """));
        String custom = unique("logs-custom-");
        kindling.lambda().createFunction(ServerFixture.create(custom, ServerFixture.customRuntime("""
                #!/usr/bin/python3
                import os, sys, time, urllib.request
                api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
                while True:
                    with urllib.request.urlopen(api + "next") as r:
                        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                    print("custom first", flush=True)
                    time.sleep(0.3)
                    print("ERROR custom second", flush=True)
                    urllib.request.urlopen(urllib.request.Request(api + rid + "/response", data=b'"ok"',
                        method="POST")).read()
                """)).runtime(Runtime.PROVIDED_AL2023).handler("ignored").build());
        for (String[] f : List.of(new String[] {python, "python"}, new String[] {node, "node"},
                new String[] {custom, "custom"})) {
            String group = "/aws/lambda/" + f[0];
            long before = System.currentTimeMillis();
            invoke(f[0]);
            long after = System.currentTimeMillis();
            List<OutputLogEvent> events = await(() -> streamEvents(group),
                    e -> e.stream().anyMatch(x -> x.message().startsWith("REPORT")));
            OutputLogEvent first = find(events, f[1] + " first");
            OutputLogEvent second = find(events, "ERROR " + f[1] + " second");
            assertThat(first.timestamp()).isBetween(before, after);
            assertThat(second.timestamp() - first.timestamp()).as("each line stamped when written")
                    .isBetween(250L, 10_000L);
            List<String> platform = events.stream().map(OutputLogEvent::message)
                    .filter(m -> !m.startsWith("Kindling: ")).limit(2).toList();
            assertThat(platform.getFirst()).as("a cold stream begins as AWS's does")
                    .matches("INIT_START Runtime Version: [a-z]+:[0-9a-z.]+\\.kindling\tRuntime Version ARN: "
                            + "arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}");
            assertThat(platform.get(1)).startsWith("START RequestId: ");
            assertThat(events.stream().map(OutputLogEvent::message).toList()).containsSubsequence(
                    first.message(), second.message()).last().asString().startsWith("REPORT RequestId: ");
            assertThat(filter(group, "ERROR")).singleElement().asString().endsWith("ERROR " + f[1] + " second");
            assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups()).hasSize(1);
        }
    }

    @Test
    void jsonLogFormatGoesToACustomGroupWithLevelsAppliedAndTextFormatDoesNot() {
        String group = unique("/custom/json-");
        String name = unique("logs-json-");
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                import logging
                logger = logging.getLogger()
                def handler(event, context):
                    logger.debug("hidden debug")
                    logger.warning("visible warning")
                    return "ok"
                """))).handler("lambda_function.handler").loggingConfig(c -> c.logFormat(LogFormat.JSON)
                .applicationLogLevel(ApplicationLogLevel.WARN).systemLogLevel(SystemLogLevel.INFO).logGroup(group))
                .build());
        invoke(name);
        List<OutputLogEvent> events = await(() -> streamEvents(group),
                e -> e.stream().anyMatch(x -> x.message().contains("platform.report")));
        List<String> messages = events.stream().map(OutputLogEvent::message).toList();
        List<String> platform = messages.stream().filter(m -> !m.startsWith("Kindling: ")).limit(2).toList();
        assertThat(platform.getFirst()).contains("\"type\":\"platform.initStart\"",
                "\"initializationType\":\"on-demand\"", "\"runtimeVersion\":\"python:3.12.kindling\"",
                "\"functionName\":\"" + name + "\"");
        assertThat(platform.get(1)).contains("\"type\":\"platform.start\"");
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("\"level\": \"WARNING\"", "visible warning"));
        assertThat(messages).noneSatisfy(m -> assertThat(m).contains("hidden debug"));
        assertThat(filter(group, "{ $.type = \"platform.report\" && $.record.metrics.memorySizeMB = 128 }")).hasSize(1);
        assertThat(kindling.logGroup(name)).as("nothing in the default group").isEmpty();

        kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).loggingConfig(c -> c
                .logFormat(LogFormat.TEXT).logGroup("/aws/lambda/" + name)));
        awaitUpdated(name);
        invoke(name);
        String text = await(() -> kindling.logGroup(name), t -> t.contains("REPORT RequestId"));
        assertThat(text).contains("START RequestId: ").doesNotContain("platform.start");
    }

    @Test
    void aGroupsSizeCapAndRetentionHoldWhileAFunctionPrintsWithoutPause() throws Exception {
        String group = unique("/custom/chatty-");
        String name = unique("logs-chatty-");
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                import time
                def handler(event, context):
                    end = time.time() + 8
                    n = 0
                    while time.time() < end:
                        print("line %d %s" % (n, "y" * 200))
                        n += 1
                    return n
                """))).handler("lambda_function.handler").timeout(60)
                .loggingConfig(c -> c.logGroup(group)).build());
        logs.createLogGroup(r -> r.logGroupName(group));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName("old"));
        long now = System.currentTimeMillis();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("old").logEvents(
                event(now - Duration.ofDays(3).toMillis(), "three days old")));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("old").logEvents(
                event(now - 60_000, "a minute old")));
        logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(1));
        assertThat(filter(group, "old")).as("retention hides what is older at once").containsExactly("a minute old");
        kindling.lambda().invoke(r -> r.functionName(name).invocationType(InvocationType.EVENT));
        await(() -> filter(group, "line"), lines -> lines.size() > 100);

        Path groupDir = kindling.dataDir().resolve("logs").resolve(group.replace("/", "%2F"));
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        long cap = 1L << 20;
        while (System.nanoTime() < deadline) {
            // The cap, plus the segment being written: it closes past 256 KB, checked every 200 ms.
            assertThat(bytesUnder(groupDir)).as("the group stays near its 1 MB cap while the function prints")
                    .isLessThanOrEqualTo(2 * cap);
            Thread.sleep(100);
        }
        List<String> lines = filter(group, "line");
        assertThat(lines).isNotEmpty();
        assertThat(lines.getFirst()).as("the oldest lines went first").doesNotStartWith("line 0 ");
    }

    private static long bytesUnder(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return 0; // a segment deleted while the tree was walked
        }
    }

    private static String function(Runtime runtime, String handler, Map<String, String> files) {
        String name = unique("logs-" + runtime.toString().replaceAll("[^a-z]", "") + "-");
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(files)).runtime(runtime)
                .handler(handler).build());
        return name;
    }

    private static void invoke(String name) {
        var response = kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).as("function error: %s", response.payload().asUtf8String()).isNull();
    }

    private static void awaitUpdated(String name) {
        await(() -> kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)).lastUpdateStatusAsString(),
                "Successful"::equals);
    }

    /** Every event of every stream of a group, oldest stream first. */
    private static List<OutputLogEvent> streamEvents(String group) {
        List<OutputLogEvent> all = new ArrayList<>();
        try {
            logs.describeLogStreams(r -> r.logGroupName(group)).logStreams().forEach(s -> all.addAll(
                    logs.getLogEvents(r -> r.logGroupName(group).logStreamName(s.logStreamName()).startFromHead(true))
                            .events()));
        } catch (CloudWatchLogsException e) {
            return List.of(); // the group is made at the function's first log
        }
        return all;
    }

    private static List<String> filter(String group, String pattern) {
        return logs.filterLogEvents(r -> r.logGroupName(group).filterPattern(pattern)).events().stream()
                .map(FilteredLogEvent::message).toList();
    }

    private static OutputLogEvent find(List<OutputLogEvent> events, String message) {
        // Node.js prefixes its lines with the time, request id and level, as on AWS
        return events.stream().filter(e -> e.message().endsWith(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no event '" + message + "' in " + events));
    }

    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + DEADLINE + ": " + value);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    private static void assertLogsError(ThrowingCallable call, String code, String messagePart) {
        CloudWatchLogsException e = catchThrowableOfType(CloudWatchLogsException.class, call);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as("error code; message: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).contains(messagePart);
    }

    private static HttpResponse<String> logsRequest(String target, String body) throws Exception {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(kindling.server().endpoint() + "/");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", target).build();
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create("test", "test"))
                .request(request).payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "logs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        signed.request().forEachHeader((name, values) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase())) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return ServerFixture.HTTP.send(out.build(), HttpResponse.BodyHandlers.ofString());
    }
}
