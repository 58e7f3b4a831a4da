package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamCompleteEvent;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamRequest;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * InvokeWithResponseStream through the AWS SDK's async client: chunks reach the caller while the function still
 * runs, a mid-stream error ends the stream in InvokeComplete, and a buffered Invoke of a streaming function gets
 * the whole body, or the error.
 */
class StreamedResponseTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static LambdaAsyncClient lambda;

    @BeforeAll
    static void client() {
        lambda = LambdaAsyncClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().readTimeout(DEADLINE))
                .build();
    }

    @AfterAll
    static void close() {
        lambda.close();
    }

    /** Chunks and the completion event, each with when it arrived (System.nanoTime). */
    private record Streamed(List<String> chunks, List<Long> chunkTimes, InvokeWithResponseStreamCompleteEvent complete,
            long completedAt, String executedVersion) {
        String body() {
            return String.join("", chunks);
        }
    }

    @Test
    void theFirstChunkArrivesWhileTheFunctionStillRuns() throws Exception {
        String name = nodeFunction("""
                export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  responseStream.setContentType('text/plain');
                  responseStream.write('first ');
                  await new Promise((resolve) => setTimeout(resolve, 3000));
                  responseStream.write('second');
                  responseStream.end();
                });
                """);
        Streamed streamed = stream(r -> r.functionName(name));
        assertThat(streamed.body()).isEqualTo("first second");
        assertThat(streamed.complete().errorCode()).isNull();
        assertThat(streamed.executedVersion()).isEqualTo("$LATEST");
        long firstBeforeEndMillis = TimeUnit.NANOSECONDS.toMillis(streamed.completedAt() - streamed.chunkTimes().getFirst());
        // The function waits 3 s between its writes: the first chunk must not have waited for the second.
        assertThat(firstBeforeEndMillis).as("first chunk ahead of the end by").isGreaterThan(1_500);
    }

    @Test
    void anErrorMidStreamEndsTheStreamWithItsTypeAndABufferedInvokeReportsIt() throws Exception {
        String name = nodeFunction("""
                export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  responseStream.write('partial');
                  await new Promise((resolve) => setTimeout(resolve, 100));
                  throw new TypeError('broke halfway');
                });
                """);
        Streamed streamed = stream(r -> r.functionName(name).logType("Tail"));
        assertThat(streamed.body()).isEqualTo("partial");
        assertThat(streamed.complete().errorCode()).isEqualTo("TypeError");
        assertThat(streamed.complete().errorDetails()).contains("broke halfway");
        assertThat(new String(java.util.Base64.getDecoder().decode(streamed.complete().logResult()),
                StandardCharsets.UTF_8)).contains("REPORT RequestId:");

        var buffered = kindling.lambda().invoke(r -> r.functionName(name));
        assertThat(buffered.functionError()).isEqualTo("Unhandled");
        assertThat(buffered.payload().asUtf8String()).contains("TypeError").contains("broke halfway");
    }

    @Test
    void aBufferedInvokeOfAStreamingFunctionGetsTheWholeBody() {
        String name = nodeFunction("""
                export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  for (let i = 0; i < 5; i++) responseStream.write('part' + i + ' ');
                  responseStream.end();
                });
                """);
        var buffered = kindling.lambda().invoke(r -> r.functionName(name));
        assertThat(buffered.functionError()).isNull();
        assertThat(buffered.payload().asUtf8String()).isEqualTo("part0 part1 part2 part3 part4 ");
    }

    @Test
    void aFunctionThatDoesNotStreamSendsItsAnswerAsOneChunk() throws Exception {
        String name = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                def lambda_handler(event, context):
                    return {"echo": event["say"]}
                """))).build());
        Streamed streamed = stream(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{\"say\": \"hi\"}")));
        assertThat(streamed.chunks()).containsExactly("{\"echo\": \"hi\"}");
        assertThat(streamed.complete().errorCode()).isNull();
    }

    @Test
    void callsThatCannotRunAreRefusedBeforeAnyStream() {
        assertRefused(r -> r.functionName("missing-" + UUID.randomUUID()), 404, "ResourceNotFoundException");
        String name = nodeFunction("export const handler = async () => 'x';");
        kindling.lambda().putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(0));
        assertRefused(r -> r.functionName(name), 429, "TooManyRequestsException");
        assertRefused(r -> r.functionName(name).invocationType("Event"), 400, "InvalidParameterValueException");
    }

    private static void assertRefused(java.util.function.Consumer<InvokeWithResponseStreamRequest.Builder> request,
            int status, String code) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> lambda.invokeWithResponseStream(request, InvokeWithResponseStreamResponseHandler.builder()
                        .subscriber(event -> { }).build()).join());
        assertThat(e.getCause()).isInstanceOf(LambdaException.class);
        LambdaException refused = (LambdaException) e.getCause();
        assertThat(refused.statusCode()).isEqualTo(status);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo(code);
    }

    private static Streamed stream(java.util.function.Consumer<InvokeWithResponseStreamRequest.Builder> request)
            throws Exception {
        List<String> chunks = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        InvokeWithResponseStreamCompleteEvent[] complete = new InvokeWithResponseStreamCompleteEvent[1];
        long[] completedAt = new long[1];
        String[] version = new String[1];
        InvokeWithResponseStreamResponseHandler handler = InvokeWithResponseStreamResponseHandler.builder()
                .onResponse(response -> version[0] = response.executedVersion())
                .subscriber(InvokeWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadChunk(chunk -> {
                            synchronized (chunks) {
                                chunks.add(chunk.payload().asUtf8String());
                                times.add(System.nanoTime());
                            }
                        })
                        .onInvokeComplete(done -> {
                            complete[0] = done;
                            completedAt[0] = System.nanoTime();
                        })
                        .build())
                .build();
        lambda.invokeWithResponseStream(request, handler).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(complete[0]).as("InvokeComplete").isNotNull();
        synchronized (chunks) {
            return new Streamed(List.copyOf(chunks), List.copyOf(times), complete[0], completedAt[0], version[0]);
        }
    }

    private static String nodeFunction(String source) {
        String name = "stream-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("index.mjs", source)))
                .runtime(Runtime.NODEJS20_X).handler("index.handler").timeout(30).build());
        return name;
    }
}
