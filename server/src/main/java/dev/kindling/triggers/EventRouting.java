package dev.kindling.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.store.EventRuleRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PutEvents: each entry checked as AWS checks it, made into the event EventBridge hands on, and delivered to the
 * targets of every enabled rule on its bus whose pattern it matches. An entry for a bus that does not exist is
 * accepted and goes nowhere, as on AWS.
 */
public final class EventRouting {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Compiled patterns by their text: a pattern is compiled once, not at every event. */
    private final Map<String, EventPattern> patterns = new ConcurrentHashMap<>();
    private final EventRules rules;
    private final EventDelivery delivery;
    private final Clock clock;

    public EventRouting(EventRules rules, EventDelivery delivery, Clock clock) {
        this.rules = rules;
        this.delivery = delivery;
        this.clock = clock;
    }

    /** One PutEvents entry as the request gave it. */
    public record Entry(Optional<String> source, Optional<String> detailType, Optional<String> detail,
            List<String> resources, Optional<Instant> time, String bus) {}

    /** An entry's result: its event's id, or the error that refused it. */
    public record Result(Optional<String> eventId, Optional<String> errorCode, Optional<String> errorMessage) {
        static Result accepted(String id) {
            return new Result(Optional.of(id), Optional.empty(), Optional.empty());
        }

        static Result refused(String code, String message) {
            return new Result(Optional.empty(), Optional.of(code), Optional.of(message));
        }
    }

    public Result put(Entry entry) throws InterruptedException {
        if (entry.source().isEmpty()) {
            return missing("Source");
        }
        if (entry.detailType().isEmpty()) {
            return missing("DetailType");
        }
        if (entry.detail().isEmpty()) {
            return missing("Detail");
        }
        if (entry.source().get().startsWith("aws.")) {
            return Result.refused("NotAuthorizedForSourceException", "Not authorized for the source.");
        }
        JsonNode detail;
        try {
            detail = JSON.readTree(entry.detail().get());
        } catch (JsonProcessingException e) {
            return Result.refused("MalformedDetail", "Detail is malformed.");
        }
        if (detail == null || !detail.isObject()) {
            return Result.refused("MalformedDetail", "Detail is malformed.");
        }
        String id = UUID.randomUUID().toString();
        ObjectNode event = EventEnvelope.of(id, entry.detailType().get(), entry.source().get(), rules.accountId(),
                entry.time().orElse(clock.instant()), rules.region(), entry.resources(), detail);
        String text = event.toString();
        for (EventRuleRecord rule : rules.rulesOn(entry.bus())) {
            if (rule.enabled() && rule.spec().eventPattern().isPresent()
                    && pattern(rule.spec().eventPattern().get()).matches(text)) {
                delivery.deliver(rule, event);
            }
        }
        return Result.accepted(id);
    }

    /** TestEventPattern: whether {@code event} (JSON text) matches {@code pattern}. */
    public boolean test(String pattern, String event) {
        return EventPattern.parse(pattern).matches(event);
    }

    private EventPattern pattern(String text) {
        if (patterns.size() > 10_000) {
            patterns.clear(); // patterns of rules since changed or deleted: start again rather than grow
        }
        return patterns.computeIfAbsent(text, EventPattern::parse);
    }

    private static Result missing(String parameter) {
        return Result.refused("InvalidArgument", "Parameter " + parameter + " is not valid. Reason: " + parameter
                + " is a required argument.");
    }
}
