package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Payload format 1.0 both ways: the REST-style proxy event built from a request, and the response mapped back. */
class PayloadV1Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theEventIsTheProxyEventTheGuidesRead() throws Exception {
        HttpExchange exchange = HttpExchange.builder().method("GET").rawPath("/prod/users/42").rawQuery("a=1&a=2&b")
                .header("Host", "abcdefghij.execute-api.localhost:9000").header("X-Multi", "one")
                .header("x-multi", "two").header("User-Agent", "curl/8").sourceIp("10.0.0.7")
                .receivedAt(Instant.parse("2020-03-04T19:15:17.135Z")).requestId("JVNGUi5GoAMEV6Q=").build();
        JsonNode event = PayloadV1Event.of(exchange).accountId("000000000000").apiId("abcdefghij")
                .domainName("abcdefghij.execute-api.localhost").route("GET /users/{id}", Optional.of("/users/{id}"))
                .stage("prod").pathParameters(Map.of("id", "42")).stageVariables(Map.of("table", "users"))
                .addedHeaders(List.of(Map.entry("X-Forwarded-For", "10.0.0.7"))).toNode();
        assertThat(event).isEqualTo(JSON.readTree("""
                {"version":"1.0","resource":"/users/{id}","path":"/prod/users/42","httpMethod":"GET",
                 "headers":{"Host":"abcdefghij.execute-api.localhost:9000","X-Multi":"two","User-Agent":"curl/8",
                            "X-Forwarded-For":"10.0.0.7"},
                 "multiValueHeaders":{"Host":["abcdefghij.execute-api.localhost:9000"],"X-Multi":["one","two"],
                            "User-Agent":["curl/8"],"X-Forwarded-For":["10.0.0.7"]},
                 "queryStringParameters":{"a":"2","b":""},
                 "multiValueQueryStringParameters":{"a":["1","2"],"b":[""]},
                 "requestContext":{"accountId":"000000000000","apiId":"abcdefghij",
                   "domainName":"abcdefghij.execute-api.localhost","domainPrefix":"abcdefghij",
                   "extendedRequestId":"JVNGUi5GoAMEV6Q=","httpMethod":"GET",
                   "identity":{"accessKey":null,"accountId":null,"caller":null,"cognitoAmr":null,
                     "cognitoAuthenticationProvider":null,
                     "cognitoAuthenticationType":null,"cognitoIdentityId":null,"cognitoIdentityPoolId":null,
                     "principalOrgId":null,"sourceIp":"10.0.0.7","user":null,"userAgent":"curl/8","userArn":null},
                   "path":"/prod/users/42","protocol":"HTTP/1.1","requestId":"JVNGUi5GoAMEV6Q=",
                   "requestTime":"04/Mar/2020:19:15:17 +0000","requestTimeEpoch":1583349317135,
                   "resourceId":"GET /users/{id}","resourcePath":"/users/{id}","stage":"prod"},
                 "pathParameters":{"id":"42"},"stageVariables":{"table":"users"},
                 "body":null,"isBase64Encoded":false}"""));
    }

    @Test
    void absentPartsAreNullAndTheDefaultRouteIsNamedAsSuch() {
        JsonNode event = PayloadV1Event.of(HttpExchange.builder().method("POST").rawPath("/anything")
                .header("Content-Type", "application/octet-stream").body(new byte[] {1, 2, (byte) 0xff}).build())
                .route("$default", Optional.empty()).toNode();
        assertThat(event.path("resource").asText()).isEqualTo("$default");
        assertThat(event.path("path").asText()).isEqualTo("/anything");
        assertThat(event.path("requestContext").path("resourceId").asText()).isEqualTo("$default");
        assertThat(event.path("requestContext").path("resourcePath").asText()).isEqualTo("$default");
        for (String absent : new String[] {"queryStringParameters", "multiValueQueryStringParameters",
                "pathParameters", "stageVariables"}) {
            assertThat(event.path(absent).isNull()).as(absent).isTrue();
        }
        assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(event.path("body").asText()).isEqualTo("AQL/");
    }

    @Test
    void aResponseMapsHeadersCookiesAndBodies() {
        HttpAnswer answer = PayloadV1Response.map(bytes("""
                {"statusCode": 201, "headers": {"X-One": "1", "Set-Cookie": "a=1", "X-Num": 5},
                 "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": "made"}""")).orElseThrow();
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers()).containsExactly(Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2"),
                Map.entry("X-One", "1"), Map.entry("X-Num", "5"), Map.entry("Content-Type", "application/json"));
        assertThat(answer.body()).isEqualTo(bytes("made"));

        HttpAnswer binary = PayloadV1Response.map(bytes("""
                {"statusCode": "200", "headers": {"content-type": "image/png"}, "body": "AQL/",
                 "isBase64Encoded": true}""")).orElseThrow();
        assertThat(binary.body()).containsExactly(1, 2, 0xff);
        assertThat(binary.headers()).containsExactly(Map.entry("content-type", "image/png"));
        assertThat(PayloadV1Response.map(bytes("{\"statusCode\": 204}")).orElseThrow().body()).isEmpty();
    }

    @Test
    void format10InfersNothing() {
        for (String malformed : new String[] {"\"hello\"", "{\"hello\": \"world\"}", "[1]", "not json",
                "{\"statusCode\": 99}", "{\"statusCode\": \"abc\"}", "{\"statusCode\": 200, \"body\": {\"a\": 1}}",
                "{\"statusCode\": 200, \"headers\": [\"x\"]}", "{\"statusCode\": 200, \"headers\": {\"a\": {}}}",
                "{\"statusCode\": 200, \"multiValueHeaders\": {\"a\": \"b\"}}",
                "{\"statusCode\": 200, \"body\": \"%%%\", \"isBase64Encoded\": true}"}) {
            assertThat(PayloadV1Response.map(bytes(malformed))).as(malformed).isEmpty();
        }
    }
}
