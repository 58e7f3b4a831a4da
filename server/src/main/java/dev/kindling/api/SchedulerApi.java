package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.ScheduleRecord;
import dev.kindling.triggers.ScheduleSpec;
import dev.kindling.triggers.SchedulerException;
import dev.kindling.triggers.Schedules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Amazon EventBridge Scheduler (REST-JSON, signing name {@code scheduler}): CreateSchedule, GetSchedule,
 * ListSchedules, UpdateSchedule and DeleteSchedule on {@code /schedules}, with the model's shapes and constraints
 * checked with AWS's messages before {@link Schedules} runs them. Errors are {@code {"Message": ...}} with the
 * model's status (ValidationException 400, ResourceNotFoundException 404, ConflictException 409).
 */
public final class SchedulerApi implements ApiServer.Service {
    private static final String NAME = "^[0-9a-zA-Z-_.]+$";
    private static final String ROLE_ARN = "^arn:aws(-[a-z]+)?:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+$";
    private final Schedules schedules;
    private final Router router = new Router("scheduler", SchedulerApi::error);

    public SchedulerApi(Schedules schedules) {
        this.schedules = schedules;
        add("ListSchedules", "GET", "/schedules", this::list);
        add("CreateSchedule", "POST", "/schedules/{Name}", r -> put(r, true));
        add("UpdateSchedule", "PUT", "/schedules/{Name}", r -> put(r, false));
        add("GetSchedule", "GET", "/schedules/{Name}", this::get);
        add("DeleteSchedule", "DELETE", "/schedules/{Name}", this::delete);
    }

    @Override
    public ServiceRoutes routes() {
        return router;
    }

    @FunctionalInterface
    private interface Operation {
        ObjectNode run(ApiRequest request);
    }

    private void add(String name, String method, String path, Operation operation) {
        router.add(name, method, path, request -> {
            try {
                return ApiResponse.json(200, operation.run(request));
            } catch (SchedulerException e) {
                return error(e.status(), e.code(), e.getMessage());
            }
        });
    }

    private static ApiResponse error(LambdaException e) {
        int status = e.type() == ErrorType.UnknownOperationException ? 404 : e.type().status();
        String code = e.type() == ErrorType.InvalidRequestContentException ? "ValidationException" : e.type().name();
        return error(status, code, e.getMessage());
    }

    private static ApiResponse error(int status, String code, String message) {
        return ApiResponse.json(status, Json.object().put("Message", message)).withHeader("x-amzn-ErrorType", code);
    }

    private ObjectNode put(ApiRequest request, boolean create) {
        JsonNode body = Json.parseObject(request.body());
        Violations v = new Violations();
        String name = v.text(request.pathParam("Name"), "name", 1, 64, NAME);
        String group = v.optional(body, "GroupName", "groupName", 1, 64, NAME).orElse(Schedules.DEFAULT_GROUP);
        v.required(body, "ScheduleExpression", "scheduleExpression", 1, 256, null);
        v.optional(body, "ScheduleExpressionTimezone", "scheduleExpressionTimezone", 1, 50, null);
        v.optional(body, "Description", "description", 0, 512, null);
        v.oneOf(body, "State", "state", List.of("ENABLED", "DISABLED"));
        v.oneOf(body, "ActionAfterCompletion", "actionAfterCompletion", List.of("NONE", "DELETE"));
        JsonNode window = body.path("FlexibleTimeWindow");
        if (!window.isObject()) {
            v.add("Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null");
        } else {
            String mode = v.oneOf(window, "Mode", "flexibleTimeWindow.mode", List.of("OFF", "FLEXIBLE")).orElse("");
            if (mode.isEmpty()) {
                v.add("Value null at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must not be null");
            }
            JsonNode minutes = window.get("MaximumWindowInMinutes");
            if (minutes != null && (!minutes.canConvertToInt() || minutes.asInt() < 1 || minutes.asInt() > 1440)) {
                v.add("Value '" + minutes + "' at 'flexibleTimeWindow.maximumWindowInMinutes' failed to satisfy"
                        + " constraint: Member must have value between 1 and 1440");
            }
            v.check();
            if (mode.equals("FLEXIBLE") && minutes == null) {
                throw SchedulerException.validation("MaximumWindowInMinutes must be specified when the"
                        + " FlexibleTimeWindow's Mode is FLEXIBLE.");
            }
            if (mode.equals("OFF") && minutes != null) {
                throw SchedulerException.validation("MaximumWindowInMinutes must not be specified when the"
                        + " FlexibleTimeWindow's Mode is OFF.");
            }
        }
        JsonNode target = body.path("Target");
        if (!target.isObject()) {
            v.add("Value null at 'target' failed to satisfy constraint: Member must not be null");
        } else {
            v.required(target, "Arn", "target.arn", 1, 1600, null);
            v.required(target, "RoleArn", "target.roleArn", 1, 1600, ROLE_ARN);
            v.optional(target, "Input", "target.input", 1, Integer.MAX_VALUE, null);
        }
        v.timestamp(body, "StartDate");
        v.timestamp(body, "EndDate");
        v.check();
        ObjectNode definition = ((ObjectNode) body).deepCopy();
        definition.remove(List.of("Name", "GroupName", "ClientToken"));
        ScheduleSpec spec = new ScheduleSpec(definition);
        ScheduleRecord.Key key = new ScheduleRecord.Key(group, name);
        String arn = create ? schedules.create(key, spec) : schedules.update(key, spec);
        return Json.object().put("ScheduleArn", arn);
    }

    private ObjectNode get(ApiRequest request) {
        ScheduleRecord schedule = schedules.get(key(request, "groupName"));
        JsonNode definition = parse(schedule.definition());
        ObjectNode out = Json.object();
        definition.fieldNames().forEachRemaining(field -> out.set(field, definition.get(field)));
        out.put("Arn", schedules.arn(schedule.key())).put("Name", schedule.key().name())
                .put("GroupName", schedule.key().group()).put("State", schedule.state())
                .put("ScheduleExpressionTimezone", schedule.timing().timezone())
                .put("ActionAfterCompletion", definition.path("ActionAfterCompletion").asText("NONE"))
                .put("CreationDate", seconds(schedule.created()))
                .put("LastModificationDate", seconds(schedule.modified()));
        return out;
    }

    private ObjectNode delete(ApiRequest request) {
        schedules.delete(key(request, "groupName"));
        return Json.object();
    }

    private ObjectNode list(ApiRequest request) {
        Violations v = new Violations();
        String group = request.queryParam("ScheduleGroup").map(g -> v.text(g, "groupName", 1, 64, NAME))
                .orElse(Schedules.DEFAULT_GROUP);
        Optional<String> prefix = request.queryParam("NamePrefix").map(p -> v.text(p, "namePrefix", 1, 64, NAME));
        Optional<String> state = request.queryParam("State");
        state.filter(s -> !s.equals("ENABLED") && !s.equals("DISABLED")).ifPresent(s -> v.add("Value '" + s
                + "' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"));
        Optional<String> token = request.queryParam("NextToken");
        int max = 100;
        if (request.queryParam("MaxResults").isPresent()) {
            String text = request.queryParam("MaxResults").get();
            max = text.matches("\\d{1,4}") ? Integer.parseInt(text) : 0;
            if (max < 1 || max > 100) {
                v.add("Value '" + text + "' at 'maxResults' failed to satisfy constraint: Member must have value"
                        + " between 1 and 100");
            }
        }
        v.check();
        Schedules.Page page = schedules.list(group, prefix, state, token, max);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Schedules");
        for (ScheduleRecord s : page.schedules()) {
            ObjectNode summary = list.addObject().put("Arn", schedules.arn(s.key())).put("Name", s.key().name())
                    .put("GroupName", s.key().group()).put("State", s.state())
                    .put("CreationDate", seconds(s.created())).put("LastModificationDate", seconds(s.modified()));
            summary.putObject("Target").put("Arn", parse(s.definition()).path("Target").path("Arn").asText());
        }
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    private static ScheduleRecord.Key key(ApiRequest request, String groupParameter) {
        Violations v = new Violations();
        String name = v.text(request.pathParam("Name"), "name", 1, 64, NAME);
        String group = request.queryParam(groupParameter).map(g -> v.text(g, "groupName", 1, 64, NAME))
                .orElse(Schedules.DEFAULT_GROUP);
        v.check();
        return new ScheduleRecord.Key(group, name);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("stored schedule is not JSON: " + json, e);
        }
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    /** The model's constraint violations of one request, thrown together as AWS words them. */
    private static final class Violations {
        private final List<String> found = new ArrayList<>();

        void add(String violation) {
            found.add(violation);
        }

        String text(String value, String field, int min, int max, String pattern) {
            if (value.length() < min || value.length() > max) {
                add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: Member must have length"
                        + " between " + min + " and " + max);
            } else if (pattern != null && !Pattern.compile(pattern).matcher(value).matches()) {
                add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: Member must satisfy"
                        + " regular expression pattern: " + pattern);
            }
            return value;
        }

        Optional<String> optional(JsonNode body, String member, String field, int min, int max, String pattern) {
            JsonNode value = body.get(member);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isTextual()) {
                throw SchedulerException.validation("Member " + member + " must be a string.");
            }
            return Optional.of(text(value.asText(), field, min, max, pattern));
        }

        String required(JsonNode body, String member, String field, int min, int max, String pattern) {
            Optional<String> value = optional(body, member, field, min, max, pattern);
            if (value.isEmpty()) {
                add("Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
            }
            return value.orElse("");
        }

        Optional<String> oneOf(JsonNode body, String member, String field, List<String> values) {
            Optional<String> value = optional(body, member, field, 0, Integer.MAX_VALUE, null);
            if (value.isPresent() && !values.contains(value.get())) {
                add("Value '" + value.get() + "' at '" + field + "' failed to satisfy constraint: Member must satisfy"
                        + " enum value set: " + values);
            }
            return value;
        }

        /** A timestamp member must be epoch seconds, as REST-JSON bodies carry them. */
        void timestamp(JsonNode body, String member) {
            JsonNode value = body.get(member);
            if (value != null && !value.isNull() && !value.isNumber()) {
                throw SchedulerException.validation("Member " + member + " must be a timestamp (epoch seconds).");
            }
        }

        void check() {
            if (!found.isEmpty()) {
                throw SchedulerException.validation(found.size() + " validation error" + (found.size() > 1 ? "s" : "")
                        + " detected: " + String.join("; ", found));
            }
        }
    }
}
