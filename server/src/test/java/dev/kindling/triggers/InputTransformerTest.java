package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Input, InputPath and InputTransformer as EventBridge applies them to an event. */
class InputTransformerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TargetInput.MatchedRule RULE = new TargetInput.MatchedRule("my-rule",
            "arn:aws:events:us-east-1:000000000000:rule/my-rule");

    private static ObjectNode event() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"version": "0", "id": "e1", "detail-type": "EC2 Instance State-change Notification",
                 "source": "aws.ec2", "account": "000000000000", "time": "2026-03-01T10:00:00Z",
                 "region": "us-east-1", "resources": ["arn:aws:ec2:us-east-1:000000000000:instance/i-1"],
                 "detail": {"instance": "i-1", "state": "running", "count": 3, "tags": {"a": "b"},
                            "items": [{"n": 1}, {"n": 2}], "quote": "say \\"hi\\""}}
                """);
    }

    private static String render(TargetInput input) throws Exception {
        return new String(input.render(event(), RULE), StandardCharsets.UTF_8);
    }

    private static InputTransformer transformer(String template, String... paths) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < paths.length; i += 2) {
            map.put(paths[i], paths[i + 1]);
        }
        return InputTransformer.of("t1", map, template);
    }

    @Test
    void inAJsonTemplateAVariableOutsideQuotesIsItsJsonValue() throws Exception {
        String out = render(transformer("{\"instance\": <instance>, \"count\": <count>, \"tags\": <tags>,"
                + " \"second\": <second>, \"all\": <all>}", "instance", "$.detail.instance", "count",
                "$.detail.count", "tags", "$.detail.tags", "second", "$.detail.items[1].n", "all",
                "$.detail.items[*].n"));
        assertThat(JSON.readTree(out)).isEqualTo(JSON.readTree(
                "{\"instance\": \"i-1\", \"count\": 3, \"tags\": {\"a\": \"b\"}, \"second\": 2, \"all\": [1, 2]}"));
    }

    @Test
    void insideQuotesAVariableIsItsTextEscapedSoTheStringStaysValid() throws Exception {
        String out = render(transformer("{\"message\": \"<instance> is <state> (<quote>) by <aws.events.rule-name>\"}",
                "instance", "$.detail.instance", "state", "$.detail.state", "quote", "$.detail.quote"));
        assertThat(JSON.readTree(out).path("message").asText()).isEqualTo("i-1 is running (say \"hi\") by my-rule");
    }

    @Test
    void aStringTemplateAndPredefinedVariables() throws Exception {
        assertThat(render(transformer("\"<instance> is in state <state>\"", "instance", "$.detail.instance", "state",
                "$.detail.state"))).isEqualTo("\"i-1 is in state running\"");
        String out = render(transformer("{\"rule\": <aws.events.rule-arn>, \"event\": <aws.events.event>,"
                + " \"full\": <aws.events.event.json>}"));
        assertThat(JSON.readTree(out).path("rule").asText()).isEqualTo(RULE.arn());
        assertThat(JSON.readTree(out).path("event").has("detail")).isFalse();
        assertThat(JSON.readTree(out).path("event").path("id").asText()).isEqualTo("e1");
        assertThat(JSON.readTree(out).path("full").path("detail").path("count").asInt()).isEqualTo(3);
    }

    @Test
    void aPathTheEventLacksIsNullOutsideQuotesAndEmptyInside() throws Exception {
        String out = render(transformer("{\"a\": <missing>, \"b\": \"[<missing>]\"}", "missing", "$.detail.nope"));
        assertThat(JSON.readTree(out)).isEqualTo(JSON.readTree("{\"a\": null, \"b\": \"[]\"}"));
    }

    @Test
    void inputAndInputPath() throws Exception {
        assertThat(render(new TargetInput.Constant("{\"fixed\": true}"))).isEqualTo("{\"fixed\": true}");
        assertThat(JSON.readTree(render(new TargetInput.Path(JsonPath.parse("$.detail.tags")))))
                .isEqualTo(JSON.readTree("{\"a\": \"b\"}"));
        assertThat(JSON.readTree(render(new TargetInput.WholeEvent()))).isEqualTo(event());
    }

    @Test
    void aPlaceholderWithoutAVariableIsRefusedWithAwsMessage() {
        assertThatThrownBy(() -> transformer("{\"a\": <notdefinedkey>}", "instance", "$.detail.instance"))
                .isInstanceOf(EventsException.class)
                .hasMessage("InputTemplate for target t1 contains invalid placeholder notdefinedkey.");
        assertThatThrownBy(() -> transformer("<a>", "a", "detail.x")).isInstanceOf(EventsException.class)
                .hasMessageContaining("starts with $");
        assertThatThrownBy(() -> transformer("<aws.x>", "aws.x", "$.detail")).isInstanceOf(EventsException.class)
                .hasMessageContaining("reserved");
    }
}
