package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * What a target receives for a matched event: the event itself (no input given), a constant {@code Input}, the part
 * of the event an {@code InputPath} selects, or what an {@link InputTransformer} makes of it.
 */
public sealed interface TargetInput permits TargetInput.WholeEvent, TargetInput.Constant, TargetInput.Path,
        InputTransformer {
    /** The payload for {@code event}, matched by {@code rule}. */
    byte[] render(ObjectNode event, MatchedRule rule);

    /** The rule an event matched, for the transformer's predefined variables. */
    record MatchedRule(String name, String arn) {}

    record WholeEvent() implements TargetInput {
        @Override
        public byte[] render(ObjectNode event, MatchedRule rule) {
            return event.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code Input}: valid JSON text, sent unchanged whatever the event. */
    record Constant(String json) implements TargetInput {
        @Override
        public byte[] render(ObjectNode event, MatchedRule rule) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code InputPath}: the part of the event at the path ({@code null} when the event has nothing there). */
    record Path(JsonPath path) implements TargetInput {
        @Override
        public byte[] render(ObjectNode event, MatchedRule rule) {
            return path.select(event).map(JsonNode::toString).orElse("null").getBytes(StandardCharsets.UTF_8);
        }
    }
}
