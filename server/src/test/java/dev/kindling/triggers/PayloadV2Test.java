package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Payload format 2.0 both ways: the event built from a request, and the response mapped from a result. */
class PayloadV2Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void theEventIsBuiltAsAwsBuildsIt() throws Exception {
        HttpExchange exchange = HttpExchange.builder().method("POST").rawPath("/contact/a%20b")
                .rawQuery("tag=a&tag=b&q=x%2By&flag").header("Content-Type", "application/json")
                .header("X-Multi", "one").header("x-multi", "two").header("Cookie", "a=1; b=2")
                .header("User-Agent", "curl/8").body("{\"name\":\"Ann\"}".getBytes(StandardCharsets.UTF_8))
                .sourceIp("10.0.0.7").receivedAt(Instant.parse("2020-03-12T19:03:58.123Z")).requestId("req-1")
                .build();
        JsonNode event = PayloadV2Event.of(exchange).accountId("anonymous").apiId("abc")
                .domainName("abc.lambda-url.us-east-1.localhost").toNode();
        assertThat(event).isEqualTo(json("""
                {"version":"2.0","routeKey":"$default","rawPath":"/contact/a%20b","rawQueryString":"tag=a&tag=b&q=x%2By&flag",
                 "cookies":["a=1","b=2"],
                 "headers":{"content-type":"application/json","x-multi":"one,two","user-agent":"curl/8"},
                 "queryStringParameters":{"tag":"a,b","q":"x+y","flag":""},
                 "requestContext":{"accountId":"anonymous","apiId":"abc","domainName":"abc.lambda-url.us-east-1.localhost",
                   "domainPrefix":"abc","http":{"method":"POST","path":"/contact/a%20b","protocol":"HTTP/1.1",
                   "sourceIp":"10.0.0.7","userAgent":"curl/8"},"requestId":"req-1","routeKey":"$default",
                   "stage":"$default","time":"12/Mar/2020:19:03:58 +0000","timeEpoch":1584039838123},
                 "body":"{\\"name\\":\\"Ann\\"}","isBase64Encoded":false}"""));
    }

    @Test
    void binaryBodiesTravelInBase64AndEmptyOnesNotAtAll() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        JsonNode binary = PayloadV2Event.of(HttpExchange.builder().header("Content-Type", "image/png").body(png)
                .build()).toNode();
        assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(binary.path("body").asText())).isEqualTo(png);
        JsonNode badText = PayloadV2Event.of(HttpExchange.builder().header("Content-Type", "text/plain").body(png)
                .build()).toNode();
        assertThat(badText.path("isBase64Encoded").asBoolean()).as("not UTF-8").isTrue();
        JsonNode form = PayloadV2Event.of(HttpExchange.builder().header("Content-Type",
                "application/x-www-form-urlencoded").body("a=1".getBytes(StandardCharsets.UTF_8)).build()).toNode();
        assertThat(form.path("body").asText()).isEqualTo("YT0x");
        JsonNode empty = PayloadV2Event.of(HttpExchange.builder().build()).toNode();
        assertThat(empty.has("body")).isFalse();
        assertThat(empty.has("queryStringParameters")).isFalse();
        assertThat(empty.has("cookies")).isFalse();
        assertThat(empty.path("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void aStructuredResultSetsStatusHeadersCookiesAndBody() {
        HttpAnswer answer = PayloadV2Response.map("""
                {"statusCode":"201","headers":{"X-Id":7,"Content-Type":"text/plain"},"cookies":["a=1; Max-Age=60","b=2"],
                 "body":"created"}""".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers()).containsExactly(Map.entry("X-Id", "7"), Map.entry("Content-Type", "text/plain"),
                Map.entry("Set-Cookie", "a=1; Max-Age=60"), Map.entry("Set-Cookie", "b=2"));
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("created");

        HttpAnswer binary = PayloadV2Response.map(("{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\""
                + Base64.getEncoder().encodeToString(new byte[] {0, (byte) 255}) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(binary.body()).containsExactly(0, 255);
        assertThat(binary.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
    }

    @Test
    void otherResultsAreSentAsJson() {
        HttpAnswer object = PayloadV2Response.map("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(object.status()).isEqualTo(200);
        assertThat(new String(object.body(), StandardCharsets.UTF_8)).isEqualTo("{\"hello\":\"world\"}");
        assertThat(new String(PayloadV2Response.map("\"hello\"".getBytes(StandardCharsets.UTF_8)).body(),
                StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(new String(PayloadV2Response.map("[1,true]".getBytes(StandardCharsets.UTF_8)).body(),
                StandardCharsets.UTF_8)).isEqualTo("[1,true]");
        assertThat(PayloadV2Response.map("{\"statusCode\":1000}".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(502);
        assertThat(PayloadV2Response.map("{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"%%%\"}"
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(502);
    }
}
