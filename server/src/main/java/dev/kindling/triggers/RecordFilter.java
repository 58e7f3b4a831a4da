package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import software.amazon.event.ruler.Machine;

/**
 * A mapping's FilterCriteria, matched by AWS's own event-ruler as Lambda matches them: a record passes if any
 * pattern matches it, with a body that is a JSON object matched as JSON (patterns name {@code body.<field>}) and
 * any other body as a plain string. No patterns: every record passes.
 */
final class RecordFilter {
    private final Machine machine;
    private final boolean everything;

    RecordFilter(List<String> patterns) {
        this.everything = patterns.isEmpty();
        this.machine = new Machine();
        for (int i = 0; i < patterns.size(); i++) {
            try {
                machine.addRule("filter-" + i, patterns.get(i));
            } catch (Exception e) {
                throw new IllegalArgumentException("Invalid filter pattern definition.", e); // checked at creation
            }
        }
    }

    boolean passes(ObjectNode record) {
        if (everything) {
            return true;
        }
        ObjectNode matched = record.deepCopy();
        String body = record.path("body").asText();
        try {
            JsonNode parsed = SqsRecords.JSON.readTree(body);
            if (parsed != null && parsed.isObject()) {
                matched.set("body", parsed);
            }
        } catch (Exception notJson) {
            // matched as the plain string it is
        }
        try {
            return !machine.rulesForJSONEvent(SqsRecords.JSON.writeValueAsString(matched)).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
