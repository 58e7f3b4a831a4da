package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseHandler;

/**
 * Live Tail (StartLiveTail) through the AWS SDK's async client, the way the console and `aws logs start-live-tail`
 * follow a function: lines written after the session began arrive within seconds, filtered as asked.
 */
class LiveTailTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static CloudWatchLogsAsyncClient logs;

    @BeforeAll
    static void client() {
        logs = CloudWatchLogsAsyncClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                // The SDK sends StartLiveTail to stream-<host>: with an IP endpoint, that must be switched off.
                .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION,
                        true))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }

    @AfterAll
    static void close() {
        logs.close();
    }

    @Test
    void newLinesOfAFunctionArriveWithinSecondsAndOldOnesDoNot() throws Exception {
        String name = function();
        invoke(name, "before the session");
        String group = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/" + name;
        BlockingQueue<LiveTailSessionLogEvent> received = new LinkedBlockingQueue<>();
        Session session = Session.start(r -> r.logGroupIdentifiers(group), received::add);
        try {
            long invoked = invoke(name, "during the session");
            LiveTailSessionLogEvent line = awaitLine(received, "line during the session");
            long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - invoked);
            System.out.println("Live Tail: a printed line arrived " + latencyMillis + " ms after its Invoke returned");
            // The aim is within two seconds (an update a second); the margin is for a loaded CI machine.
            assertThat(latencyMillis).isLessThan(5_000);
            assertThat(line.logGroupIdentifier()).isEqualTo(group);
            assertThat(line.logStreamName()).contains("[$LATEST]");
            assertThat(line.timestamp()).isPositive();
            awaitLine(received, "REPORT RequestId:");
            assertThat(received).noneMatch(e -> e.message().contains("before the session"));
        } finally {
            session.stop();
        }
    }

    @Test
    void aFilterPatternAndStreamPrefixChooseTheLines() throws Exception {
        String name = function();
        invoke(name, "first");
        String group = "/aws/lambda/" + name;
        BlockingQueue<LiveTailSessionLogEvent> received = new LinkedBlockingQueue<>();
        Session session = Session.start(r -> r.logGroupIdentifiers(group).logStreamNamePrefixes("20")
                .logEventFilterPattern("?ERROR ?second"), received::add);
        try {
            invoke(name, "second");
            awaitLine(received, "line second");
            awaitLine(received, "ERROR second");
            assertThat(received).allMatch(e -> e.message().contains("second"));
        } finally {
            session.stop();
        }
    }

    @Test
    void badSessionsAreRefusedWithTheLogsErrors() {
        assertRefused(r -> r.logGroupIdentifiers("/aws/lambda/" + UUID.randomUUID()), "ResourceNotFoundException");
        assertRefused(r -> r.logGroupIdentifiers("/a", "/b").logStreamNames("x"), "InvalidParameterException");
        assertRefused(r -> r.logGroupIdentifiers("arn:aws:logs:us-east-1:000000000000:log-group:/a:*"),
                "InvalidParameterException");
        assertRefused(r -> r.logGroupIdentifiers(List.of()), "InvalidParameterException");
    }

    private static void assertRefused(Consumer<StartLiveTailRequest.Builder> request, String code) {
        CompletableFuture<Void> call = logs.startLiveTail(request, StartLiveTailResponseHandler.builder()
                .subscriber(event -> { }).build());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> call.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(CloudWatchLogsException.class);
        assertThat(((CloudWatchLogsException) e.getCause()).awsErrorDetails().errorCode()).isEqualTo(code);
    }

    /** A session whose events go to {@code sink}; started once the server has sent its sessionStart. */
    private record Session(CompletableFuture<Void> call) {
        static Session start(Consumer<StartLiveTailRequest.Builder> request, Consumer<LiveTailSessionLogEvent> sink)
                throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            StartLiveTailResponseHandler handler = StartLiveTailResponseHandler.builder()
                    .subscriber(StartLiveTailResponseHandler.Visitor.builder()
                            .onSessionStart(s -> started.countDown())
                            .onSessionUpdate(u -> u.sessionResults().forEach(sink))
                            .build())
                    .build();
            CompletableFuture<Void> call = logs.startLiveTail(request, handler);
            if (!started.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                call.cancel(true);
                throw new AssertionError("no sessionStart within " + DEADLINE + ": " + call);
            }
            return new Session(call);
        }

        void stop() {
            call.cancel(true);
            try {
                call.join();
            } catch (CompletionException | java.util.concurrent.CancellationException ended) {
                // the client closed the session, as the console does
            }
        }
    }

    private static String function() {
        String name = "tail-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                import sys
                def lambda_handler(event, context):
                    print("line", event["say"])
                    print("ERROR", event["say"], file=sys.stderr)
                    return "ok"
                """))).build());
        return name;
    }

    /** Invokes the function to print {@code say}; returns when the Invoke returned (System.nanoTime). */
    private static long invoke(String name, String say) {
        var response = kindling.lambda().invoke(r -> r.functionName(name)
                .payload(SdkBytes.fromUtf8String("{\"say\": \"" + say + "\"}")));
        assertThat(response.functionError()).isNull();
        return System.nanoTime();
    }

    private static LiveTailSessionLogEvent awaitLine(BlockingQueue<LiveTailSessionLogEvent> received, String text)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (LiveTailSessionLogEvent e : received) {
            if (e.message().contains(text)) {
                return e;
            }
        }
        while (System.nanoTime() < deadline) {
            LiveTailSessionLogEvent e = received.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.message().contains(text)) {
                received.add(e); // kept for later checks
                return e;
            }
            if (e != null) {
                received.add(e);
            }
        }
        throw new AssertionError("no line containing '" + text + "' within " + DEADLINE + ": " + received);
    }
}
