package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lambda API over raw, SigV4-signed HTTP: what a test needs to see what the SDK hides (the exact members of a
 * response or error body) or to send what an SDK would refuse before sending.
 */
final class RawLambda {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunningServer kindling;

    RawLambda(RunningServer kindling) {
        this.kindling = kindling;
    }

    /** One answer: its status, x-amzn-ErrorType (empty on success) and JSON body (empty object if none). */
    record Answer(int status, String errorType, JsonNode body) {
        List<String> keys() {
            List<String> keys = new ArrayList<>();
            body.fieldNames().forEachRemaining(keys::add);
            return keys.stream().sorted().toList();
        }

        /** Asserts an AWS error: status, code, the exact members of the body and the whole message. */
        Answer assertError(int expectedStatus, String code, List<String> members, String message) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            assertThat(errorType).isEqualTo(code);
            assertThat(keys()).containsExactlyInAnyOrderElementsOf(members);
            String sent = body.has("message") ? body.get("message").asText() : body.path("Message").asText();
            assertThat(sent).isEqualTo(message);
            return this;
        }
    }

    Answer send(String method, String pathAndQuery, String body) {
        HttpResponse<String> response = ServerFixture.signed(kindling.server(), method, pathAndQuery, body, "test", "test");
        try {
            JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(""), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer get(String pathAndQuery) {
        return send("GET", pathAndQuery, null);
    }
}
