package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.store.EventBusRecord;
import dev.kindling.store.EventRuleRecord;
import dev.kindling.store.EventTargetRecord;
import dev.kindling.triggers.EventRouting;
import dev.kindling.triggers.EventRules;
import dev.kindling.triggers.EventsException;
import dev.kindling.triggers.RuleTarget;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Amazon EventBridge (JSON 1.1, {@code X-Amz-Target: AWSEvents.<Operation>}): event buses, rules, targets,
 * PutEvents and TestEventPattern, with the request and response shapes of the service model, its constraints
 * checked with AWS's messages before {@link EventRules} or {@link EventRouting} runs the operation.
 */
public final class EventsApi implements ApiServer.Service {
    private static final Set<String> STATES = Set.of("ENABLED", "DISABLED",
            "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    /** AWS's limit for a PutEvents request's entries, counted as AWS counts them. */
    private static final int MAX_PUT_EVENTS_BYTES = 256 * 1024;

    private final EventRules rules;
    private final EventRouting routing;
    private final JsonProtocolRouter router = new JsonProtocolRouter("events", "AWSEvents.", "1.1");

    public EventsApi(EventRules rules, EventRouting routing) {
        this.rules = rules;
        this.routing = routing;
        add("CreateEventBus", this::createEventBus);
        add("DeleteEventBus", this::deleteEventBus);
        add("DescribeEventBus", this::describeEventBus);
        add("ListEventBuses", this::listEventBuses);
        add("PutRule", this::putRule);
        add("DescribeRule", this::describeRule);
        add("ListRules", this::listRules);
        add("EnableRule", r -> setState(r, "ENABLED"));
        add("DisableRule", r -> setState(r, "DISABLED"));
        add("DeleteRule", this::deleteRule);
        add("PutTargets", this::putTargets);
        add("RemoveTargets", this::removeTargets);
        add("ListTargetsByRule", this::listTargetsByRule);
        add("ListRuleNamesByTarget", this::listRuleNamesByTarget);
        add("PutEvents", this::putEvents);
        add("TestEventPattern", this::testEventPattern);
        add("TagResource", this::tagResource);
        add("UntagResource", this::untagResource);
        add("ListTagsForResource", this::listTagsForResource);
    }

    @Override
    public ServiceRoutes routes() {
        return router;
    }

    @FunctionalInterface
    private interface Operation {
        ObjectNode run(EventsRequest request) throws Exception;
    }

    private void add(String name, Operation operation) {
        router.add(name, request -> {
            try {
                return router.ok(operation.run(new EventsRequest(body(request))));
            } catch (EventsException e) {
                return router.error(e.status(), e.code(), e.getMessage());
            }
        });
    }

    private static JsonNode body(ApiRequest request) {
        try {
            return Json.parseObject(request.body());
        } catch (LambdaException e) {
            throw new EventsException("SerializationException", e.getMessage());
        }
    }

    // ---- event buses

    private ObjectNode createEventBus(EventsRequest r) {
        String name = r.required("Name", "name", 1, 256, EventsRequest.BUS_NAME);
        Optional<String> description = r.optional("Description", "description", 0, 512, null);
        r.optional("EventSourceName", "eventSourceName", 1, 256, "aws\\.partner(/[\\.\\-_A-Za-z0-9]+){2,}");
        r.check();
        if (r.text("EventSourceName").isPresent()) {
            throw EventsException.validation("Kindling has no partner event sources: create the bus without an"
                    + " EventSourceName.");
        }
        Map<String, String> tags = tags(r);
        r.check();
        EventBusRecord bus = rules.createBus(name, description, tags);
        ObjectNode out = Json.object().put("EventBusArn", rules.busArn(bus.name()));
        description.ifPresent(d -> out.put("Description", d));
        return out;
    }

    private ObjectNode deleteEventBus(EventsRequest r) {
        String name = r.required("Name", "name", 1, 256, EventsRequest.BUS_NAME);
        r.check();
        rules.deleteBus(name);
        return Json.object();
    }

    private ObjectNode describeEventBus(EventsRequest r) {
        String name = rules.busName(r.optional("Name", "name", 1, 1600, EventsRequest.BUS_NAME_OR_ARN));
        r.check();
        return busShape(rules.bus(name));
    }

    private ObjectNode listEventBuses(EventsRequest r) {
        Optional<String> prefix = r.optional("NamePrefix", "namePrefix", 1, 256, EventsRequest.BUS_NAME);
        Optional<String> token = r.optional("NextToken", "nextToken", 1, 2048, null);
        int limit = r.limit();
        r.check();
        EventRules.Page<EventBusRecord> page = rules.buses(prefix, token, limit);
        ObjectNode out = Json.object();
        ArrayNode buses = out.putArray("EventBuses");
        page.items().forEach(b -> buses.add(busShape(b)));
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private ObjectNode busShape(EventBusRecord bus) {
        ObjectNode out = Json.object().put("Name", bus.name()).put("Arn", rules.busArn(bus.name()));
        bus.description().ifPresent(d -> out.put("Description", d));
        double created = bus.created().toEpochMilli() / 1000.0;
        return out.put("CreationTime", created).put("LastModifiedTime", created);
    }

    // ---- rules

    private ObjectNode putRule(EventsRequest r) {
        String name = r.required("Name", "name", 1, 64, EventsRequest.RULE_NAME);
        Optional<String> schedule = r.optional("ScheduleExpression", "scheduleExpression", 0, 256, null);
        Optional<String> pattern = r.optional("EventPattern", "eventPattern", 0, 4096, null);
        Optional<String> state = r.oneOf("State", "state", STATES);
        Optional<String> description = r.optional("Description", "description", 0, 512, null);
        Optional<String> roleArn = r.optional("RoleArn", "roleArn", 1, 1600, null);
        String bus = busName(r);
        Map<String, String> tags = tags(r);
        r.check();
        EventRuleRecord.Spec spec = new EventRuleRecord.Spec(pattern.filter(p -> !p.isEmpty()),
                schedule.filter(s -> !s.isEmpty()), state.orElse("ENABLED"), description, roleArn);
        return Json.object().put("RuleArn", rules.putRule(new EventRuleRecord.Key(bus, name), spec, tags));
    }

    private ObjectNode describeRule(EventsRequest r) {
        EventRuleRecord rule = rules.rule(ruleKey(r, "Name"));
        ObjectNode out = ruleShape(rule);
        return out.put("CreatedBy", rules.accountId());
    }

    private ObjectNode listRules(EventsRequest r) {
        Optional<String> prefix = r.optional("NamePrefix", "namePrefix", 1, 64, EventsRequest.RULE_NAME);
        Optional<String> token = r.optional("NextToken", "nextToken", 1, 2048, null);
        int limit = r.limit();
        String bus = busName(r);
        r.check();
        EventRules.Page<EventRuleRecord> page = rules.rules(bus, prefix, token, limit);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Rules");
        page.items().forEach(rule -> list.add(ruleShape(rule)));
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private ObjectNode ruleShape(EventRuleRecord rule) {
        ObjectNode out = Json.object().put("Name", rule.key().name()).put("Arn", rules.ruleArn(rule.key()));
        rule.spec().eventPattern().ifPresent(p -> out.put("EventPattern", p));
        rule.spec().scheduleExpression().ifPresent(s -> out.put("ScheduleExpression", s));
        out.put("State", rule.spec().state());
        rule.spec().description().ifPresent(d -> out.put("Description", d));
        rule.spec().roleArn().ifPresent(a -> out.put("RoleArn", a));
        return out.put("EventBusName", rule.key().bus());
    }

    private ObjectNode setState(EventsRequest r, String state) {
        rules.setState(ruleKey(r, "Name"), state);
        return Json.object();
    }

    private ObjectNode deleteRule(EventsRequest r) {
        rules.deleteRule(ruleKey(r, "Name"));
        return Json.object();
    }

    // ---- targets

    private ObjectNode putTargets(EventsRequest r) {
        EventRuleRecord.Key key = ruleKeyUnchecked(r, "Rule");
        List<JsonNode> items = r.list("Targets", "targets", 1, 100);
        for (int i = 0; i < items.size(); i++) {
            checkTargetShape(r, items.get(i), "targets." + (i + 1) + ".member.");
        }
        r.check();
        List<RuleTarget> targets = new ArrayList<>();
        for (JsonNode t : items) {
            targets.add(RuleTarget.parse((ObjectNode) t, rules.region(), rules.accountId()));
        }
        rules.putTargets(key, targets);
        ObjectNode out = Json.object().put("FailedEntryCount", 0);
        out.putArray("FailedEntries");
        return out;
    }

    /** The model's constraints on one target of PutTargets, its members named from {@code at}. */
    private static void checkTargetShape(EventsRequest r, JsonNode t, String at) {
        if (!t.isObject()) {
            throw new EventsException("SerializationException", "Each of Targets must be an object");
        }
        Optional<String> id = EventsRequest.text(t, "Id");
        Optional<String> arn = EventsRequest.text(t, "Arn");
        if (id.isEmpty()) {
            r.violation("Value null at '" + at + "id' failed to satisfy constraint: Member must not be null");
        }
        id.ifPresent(v -> r.constrain(v, at + "id", 1, 64, EventsRequest.TARGET_ID));
        if (arn.isEmpty()) {
            r.violation("Value null at '" + at + "arn' failed to satisfy constraint: Member must not be null");
        }
        arn.ifPresent(v -> r.constrain(v, at + "arn", 1, 1600, null));
        EventsRequest.text(t, "Input").ifPresent(v -> r.constrain(v, at + "input", 0, 8192, null));
        EventsRequest.text(t, "InputPath").ifPresent(v -> r.constrain(v, at + "inputPath", 0, 256, null));
        JsonNode transformer = t.get("InputTransformer");
        if (transformer != null && !transformer.isNull()) {
            Optional<String> template = EventsRequest.text(transformer, "InputTemplate");
            if (template.isEmpty()) {
                r.violation("Value null at '" + at + "inputTransformer.inputTemplate' failed to satisfy constraint:"
                        + " Member must not be null");
            }
            template.ifPresent(v -> r.constrain(v, at + "inputTransformer.inputTemplate", 1, 8192, null));
            transformer.path("InputPathsMap").properties().forEach(e -> r.constrain(e.getKey(),
                    at + "inputTransformer.inputPathsMap", 1, 256, "[A-Za-z0-9\\_\\-]+"));
        }
        JsonNode retry = t.path("RetryPolicy");
        constrainInt(r, retry.get("MaximumRetryAttempts"), at + "retryPolicy.maximumRetryAttempts", 0, 185);
        constrainInt(r, retry.get("MaximumEventAgeInSeconds"), at + "retryPolicy.maximumEventAgeInSeconds", 60, 86400);
        EventsRequest.text(t.path("DeadLetterConfig"), "Arn").ifPresent(v -> r.constrain(v,
                at + "deadLetterConfig.arn", 1, 1600, null));
    }

    /** The model's range of an integer member, when it was sent. */
    private static void constrainInt(EventsRequest r, JsonNode value, String field, int min, int max) {
        if (value == null || !value.canConvertToInt()) {
            return;
        }
        int n = value.asInt();
        if (n < min || n > max) {
            r.violation("Value '" + n + "' at '" + field + "' failed to satisfy constraint: Member must have value "
                    + (n < min ? "greater than or equal to " + min : "less than or equal to " + max));
        }
    }

    private ObjectNode removeTargets(EventsRequest r) {
        EventRuleRecord.Key key = ruleKeyUnchecked(r, "Rule");
        List<String> ids = new ArrayList<>();
        List<JsonNode> items = r.list("Ids", "ids", 1, 100);
        for (int i = 0; i < items.size(); i++) {
            String id = items.get(i).asText();
            r.constrain(id, "ids." + (i + 1) + ".member", 1, 64, EventsRequest.TARGET_ID);
            ids.add(id);
        }
        r.check();
        rules.removeTargets(key, ids);
        ObjectNode out = Json.object().put("FailedEntryCount", 0);
        out.putArray("FailedEntries");
        return out;
    }

    private ObjectNode listTargetsByRule(EventsRequest r) {
        EventRuleRecord.Key key = ruleKeyUnchecked(r, "Rule");
        Optional<String> token = r.optional("NextToken", "nextToken", 1, 2048, null);
        int limit = r.limit();
        r.check();
        EventRules.Page<EventTargetRecord> page = rules.targets(key, token, limit);
        ObjectNode out = Json.object();
        ArrayNode targets = out.putArray("Targets");
        for (EventTargetRecord t : page.items()) {
            targets.add(parseStored(t.definition()));
        }
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private ObjectNode listRuleNamesByTarget(EventsRequest r) {
        String arn = r.required("TargetArn", "targetArn", 1, 1600, null);
        Optional<String> token = r.optional("NextToken", "nextToken", 1, 2048, null);
        int limit = r.limit();
        String bus = busName(r);
        r.check();
        EventRules.Page<String> page = rules.ruleNamesByTarget(bus, arn, token, limit);
        ObjectNode out = Json.object();
        page.items().forEach(out.putArray("RuleNames")::add);
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    // ---- events

    private ObjectNode putEvents(EventsRequest r) throws InterruptedException {
        List<JsonNode> items = r.list("Entries", "entries", 1, 10);
        r.check();
        long size = 0;
        List<EventRouting.Entry> entries = new ArrayList<>();
        for (JsonNode e : items) {
            List<String> resources = new ArrayList<>();
            e.path("Resources").forEach(resource -> resources.add(resource.asText()));
            Optional<String> source = EventsRequest.text(e, "Source");
            Optional<String> detailType = EventsRequest.text(e, "DetailType");
            Optional<String> detail = EventsRequest.text(e, "Detail");
            Optional<Instant> time = e.hasNonNull("Time")
                    ? Optional.of(Instant.ofEpochMilli((long) (e.get("Time").asDouble() * 1000))) : Optional.empty();
            size += (time.isPresent() ? 14 : 0) + bytes(source) + bytes(detailType) + bytes(detail)
                    + resources.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
            entries.add(new EventRouting.Entry(source, detailType, detail, resources, time,
                    rules.busName(EventsRequest.text(e, "EventBusName"))));
        }
        if (size > MAX_PUT_EVENTS_BYTES) {
            throw EventsException.validation("Total size of the entries in the request is over the limit.");
        }
        ObjectNode out = Json.object();
        ArrayNode results = Json.MAPPER.createArrayNode();
        int failed = 0;
        for (EventRouting.Entry entry : entries) {
            EventRouting.Result result = routing.put(entry);
            ObjectNode shape = results.addObject();
            result.eventId().ifPresent(id -> shape.put("EventId", id));
            result.errorCode().ifPresent(code -> shape.put("ErrorCode", code));
            result.errorMessage().ifPresent(message -> shape.put("ErrorMessage", message));
            failed += result.errorCode().isPresent() ? 1 : 0;
        }
        out.put("FailedEntryCount", failed);
        out.set("Entries", results);
        return out;
    }

    private ObjectNode testEventPattern(EventsRequest r) {
        String pattern = r.required("EventPattern", "eventPattern", 0, 4096, null);
        String event = r.required("Event", "event", 0, Integer.MAX_VALUE, null);
        r.check();
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(event);
        } catch (Exception e) {
            throw EventsException.validation("Parameter Event is not valid.");
        }
        for (String field : List.of("id", "account", "source", "time", "region", "detail-type")) {
            if (parsed == null || !parsed.isObject() || !parsed.hasNonNull(field)) {
                throw EventsException.validation("Parameter Event is not valid. Reason: an event needs the fields"
                        + " id, account, source, time, region and detail-type; '" + field + "' is missing.");
            }
        }
        return Json.object().put("Result", routing.test(pattern, event));
    }

    // ---- tags

    private ObjectNode tagResource(EventsRequest r) {
        String arn = r.required("ResourceARN", "resourceARN", 1, 1600, null);
        if (!r.body().has("Tags")) {
            r.violation("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }
        Map<String, String> tags = tags(r);
        r.check();
        rules.tag(arn, tags);
        return Json.object();
    }

    private ObjectNode untagResource(EventsRequest r) {
        String arn = r.required("ResourceARN", "resourceARN", 1, 1600, null);
        List<String> keys = new ArrayList<>();
        for (JsonNode key : r.list("TagKeys", "tagKeys", 0, Integer.MAX_VALUE)) {
            r.constrain(key.asText(), "tagKeys.member", 1, 128, null);
            keys.add(key.asText());
        }
        r.check();
        rules.untag(arn, keys);
        return Json.object();
    }

    private ObjectNode listTagsForResource(EventsRequest r) {
        String arn = r.required("ResourceARN", "resourceARN", 1, 1600, null);
        r.check();
        ObjectNode out = Json.object();
        ArrayNode tags = out.putArray("Tags");
        rules.tags(arn).forEach((key, value) -> tags.addObject().put("Key", key).put("Value", value));
        return out;
    }

    /** The request's Tags ([{Key, Value}]), none when absent. */
    private static Map<String, String> tags(EventsRequest r) {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode list = r.body().get("Tags");
        if (list == null || list.isNull()) {
            return tags;
        }
        if (!list.isArray()) {
            throw new EventsException("SerializationException", "Member Tags must be a list");
        }
        int i = 0;
        for (JsonNode tag : list) {
            i++;
            Optional<String> key = EventsRequest.text(tag, "Key");
            Optional<String> value = EventsRequest.text(tag, "Value");
            if (key.isEmpty() || value.isEmpty()) {
                r.violation("Value null at 'tags." + i + ".member." + (key.isEmpty() ? "key" : "value")
                        + "' failed to satisfy constraint: Member must not be null");
                continue;
            }
            r.constrain(key.get(), "tags." + i + ".member.key", 1, 128, null);
            r.constrain(value.get(), "tags." + i + ".member.value", 0, 256, null);
            tags.put(key.get(), value.get());
        }
        return tags;
    }

    // ---- names

    private String busName(EventsRequest r) {
        return rules.busName(r.optional("EventBusName", "eventBusName", 1, 1600, EventsRequest.BUS_NAME_OR_ARN));
    }

    private EventRuleRecord.Key ruleKey(EventsRequest r, String member) {
        EventRuleRecord.Key key = ruleKeyUnchecked(r, member);
        r.check();
        return key;
    }

    private EventRuleRecord.Key ruleKeyUnchecked(EventsRequest r, String member) {
        String name = r.required(member, member.toLowerCase(java.util.Locale.ROOT), 1, 64, EventsRequest.RULE_NAME);
        return new EventRuleRecord.Key(busName(r), name);
    }

    private static ObjectNode parseStored(String definition) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(definition);
        } catch (Exception e) {
            throw new IllegalStateException("stored target is not JSON: " + definition, e);
        }
    }

    private static long bytes(Optional<String> text) {
        return text.map(t -> (long) t.getBytes(StandardCharsets.UTF_8).length).orElse(0L);
    }
}
