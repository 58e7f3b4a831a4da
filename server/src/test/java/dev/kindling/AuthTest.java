package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

class AuthTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertDoesNotExist(String name) {
        assertLambdaError(() -> kindling.lambda().getFunction(r -> r.functionName(name)), "ResourceNotFoundException", 404);
        assertThat(kindling.lambda().listFunctions().functions()).extracting(FunctionConfiguration::functionName)
                .doesNotContain(name);
    }

    @Test
    void wrongSecretIsInvalidSignature() {
        String name = unique("badsig");
        try (LambdaClient wrong = ServerFixture.client(kindling.server(), "test", "not-the-secret")) {
            var e = assertLambdaError(() -> wrong.createFunction(ServerFixture.create(name, ServerFixture.zip("x"))
                    .build()), "InvalidSignatureException", 403);
            assertThat(ServerFixture.message(e)).isNotBlank();
            assertLambdaError(() -> wrong.listFunctions(), "InvalidSignatureException", 403);
        }
        assertDoesNotExist(name);
    }

    @Test
    void wrongSecretCannotDeleteOrUpdate() {
        String name = unique("keep");
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("keep")).build());
        String before = kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)).revisionId();
        try (LambdaClient wrong = ServerFixture.client(kindling.server(), "test", "not-the-secret")) {
            assertLambdaError(() -> wrong.deleteFunction(r -> r.functionName(name)), "InvalidSignatureException", 403);
            assertLambdaError(() -> wrong.updateFunctionConfiguration(r -> r.functionName(name).timeout(60)),
                    "InvalidSignatureException", 403);
        }
        var now = kindling.lambda().getFunctionConfiguration(r -> r.functionName(name));
        assertThat(now.revisionId()).isEqualTo(before);
        assertThat(now.timeout()).isEqualTo(3);
    }

    @Test
    void unknownAccessKeyIsUnrecognizedClient() {
        String name = unique("unknownkey");
        try (LambdaClient stranger = ServerFixture.client(kindling.server(), "AKIDSTRANGER", "test")) {
            var e = assertLambdaError(() -> stranger.createFunction(ServerFixture.create(name, ServerFixture.zip("x"))
                    .build()), "UnrecognizedClientException", 403);
            assertThat(ServerFixture.message(e)).isNotBlank();
        }
        assertDoesNotExist(name);
    }

    @Test
    void unsignedRequestIsMissingAuthenticationToken() {
        HttpResponse<String> response = ServerFixture.send(HttpRequest.newBuilder(
                URI.create(kindling.server().endpoint() + "/2015-03-31/functions")).GET().build());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        assertThat(response.body()).doesNotContain("FunctionArn");
    }

    @Test
    void unsignedCreateCreatesNothing() {
        String name = unique("unsigned");
        HttpResponse<String> response = ServerFixture.send(HttpRequest.newBuilder(
                URI.create(kindling.server().endpoint() + "/2015-03-31/functions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"FunctionName\":\"" + name + "\",\"Runtime\":\"python3.12\","
                        + "\"Role\":\"" + ServerFixture.ROLE + "\",\"Handler\":\"lambda_function.lambda_handler\","
                        + "\"Code\":{\"ZipFile\":\"" + java.util.Base64.getEncoder().encodeToString(
                                ServerFixture.zip("u")) + "\"}}"))
                .build());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        assertDoesNotExist(name);
    }

    @Test
    void rawRequestSignedWithWrongSecretIsRefused() {
        HttpResponse<String> response = ServerFixture.signed(kindling.server(), "GET", "/2015-03-31/functions", null,
                "test", "wrong");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
    }

    @Test
    void aSignatureOlderThanFifteenMinutesHasExpired() {
        Clock twentyMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
        HttpResponse<String> response = ServerFixture.signed(kindling.server(), "GET", "/2015-03-31/functions", null,
                "test", "test", twentyMinutesAgo, Map.of());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidSignatureException");
        assertThat(response.body()).contains("Signature expired");
        Clock tenMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
        assertThat(ServerFixture.signed(kindling.server(), "GET", "/2015-03-31/functions", null, "test", "test",
                tenMinutesAhead, Map.of()).statusCode()).as("within AWS's 15 minutes of skew").isEqualTo(200);
    }

    @Test
    void aMalformedSigningDateIsRefused() {
        for (String date : new String[] {"2026-12-05T05:00:00Z", "20261305T050000Z", "20261205T250000Z",
                "20261205T0500001", "2026120AT050000Z", ""}) {
            HttpResponse<String> response = ServerFixture.signed(kindling.server(), "GET", "/2015-03-31/functions",
                    null, "test", "test", Clock.systemUTC(), Map.of("X-Amz-Date", date));
            assertThat(response.statusCode()).as(date).isEqualTo(403);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).as(date)
                    .hasValue("InvalidSignatureException");
        }
    }

    @Test
    void nonLoopbackBindWithDefaultKeyIsRefused(@TempDir Path otherDir) {
        Path dir = otherDir.resolve("data");
        ServerConfig config = ServerConfig.defaults(dir).withPort(0).withListener("0.0.0.0",
                Map.of(ServerConfig.DEFAULT_ACCESS_KEY, ServerConfig.DEFAULT_SECRET_KEY));
        assertThatThrownBy(() -> KindlingServer.start(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KINDLING_ACCESS_KEY_ID")
                .hasMessageContaining("0.0.0.0");
        assertThat(Files.exists(dir)).as("nothing is created before refusing").isFalse();
    }

    @Test
    void nonLoopbackBindWithOwnKeyStarts(@TempDir Path otherDir) throws Exception {
        ServerConfig config = ServerConfig.defaults(otherDir).withPort(0).withListener("0.0.0.0",
                Map.of("AKIDMINE", "my-secret"));
        try (KindlingServer own = KindlingServer.start(config)) {
            assertThat(own.port()).isPositive();
        }
    }
}
