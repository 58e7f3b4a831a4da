package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.telemetry.FilterPattern;
import dev.kindling.telemetry.LiveTail;
import dev.kindling.telemetry.LogEvent;
import dev.kindling.telemetry.LogsException;
import dev.kindling.telemetry.LogsService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs (JSON 1.1, {@code X-Amz-Target: Logs_20140328.<Operation>}): each operation's request and
 * response shapes as the service model has them, and the model's constraints checked with AWS's messages before
 * {@link LogsService} runs it.
 */
public final class LogsApi implements ApiServer.Service {
    /** How long AWS keeps a Live Tail session open, and how often it sends an update. */
    private static final Duration LIVE_TAIL_SESSION = java.time.Duration.ofHours(3);
    private static final Duration LIVE_TAIL_UPDATE_INTERVAL = java.time.Duration.ofSeconds(1);
    private static final Pattern GROUP_NAME = Pattern.compile("[\\.\\-_/#A-Za-z0-9]+");
    private static final Pattern STREAM_NAME = Pattern.compile("[^:*]*");

    private final LogsService logs;
    private final JsonProtocolRouter router = new JsonProtocolRouter("logs", "Logs_20140328.", "1.1");

    public LogsApi(LogsService logs) {
        this.logs = logs;
        add("CreateLogGroup", this::createLogGroup);
        add("DeleteLogGroup", this::deleteLogGroup);
        add("DescribeLogGroups", this::describeLogGroups);
        add("PutRetentionPolicy", this::putRetentionPolicy);
        add("DeleteRetentionPolicy", this::deleteRetentionPolicy);
        add("CreateLogStream", this::createLogStream);
        add("DeleteLogStream", this::deleteLogStream);
        add("DescribeLogStreams", this::describeLogStreams);
        add("GetLogEvents", this::getLogEvents);
        add("FilterLogEvents", this::filterLogEvents);
        add("PutLogEvents", this::putLogEvents);
        router.add("StartLiveTail", request -> {
            try {
                return startLiveTail(body(request), request.requestId());
            } catch (LogsException e) {
                return router.error(e.status(), e.code(), e.getMessage());
            }
        });
    }

    @Override
    public ServiceRoutes routes() {
        return router;
    }

    @FunctionalInterface
    private interface Operation {
        ObjectNode run(JsonNode request);
    }

    private void add(String name, Operation operation) {
        router.add(name, request -> {
            try {
                return router.ok(operation.run(body(request)));
            } catch (LogsException e) {
                return router.error(e.status(), e.code(), e.getMessage());
            }
        });
    }

    private static JsonNode body(ApiRequest request) {
        try {
            return Json.parseObject(request.body());
        } catch (LambdaException e) {
            throw new LogsException("SerializationException", e.getMessage());
        }
    }

    private ObjectNode createLogGroup(JsonNode r) {
        logs.createLogGroup(groupName(r, "logGroupName"));
        return Json.object();
    }

    private ObjectNode deleteLogGroup(JsonNode r) {
        logs.deleteLogGroup(groupName(r, "logGroupName"));
        return Json.object();
    }

    private ObjectNode putRetentionPolicy(JsonNode r) {
        String group = groupName(r, "logGroupName");
        int days = (int) requiredLong(r, "retentionInDays");
        if (!LogsService.RETENTION_DAYS.contains(days)) {
            throw LogsException.invalidParameter("1 validation error detected: Value '" + days
                    + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: "
                    + new TreeSet<>(LogsService.RETENTION_DAYS));
        }
        logs.putRetentionPolicy(group, days);
        return Json.object();
    }

    private ObjectNode deleteRetentionPolicy(JsonNode r) {
        logs.deleteRetentionPolicy(groupName(r, "logGroupName"));
        return Json.object();
    }

    private ObjectNode describeLogGroups(JsonNode r) {
        Optional<String> prefix = text(r, "logGroupNamePrefix");
        Optional<String> pattern = text(r, "logGroupNamePattern");
        prefix.ifPresent(p -> checkName(p, "logGroupNamePrefix", GROUP_NAME));
        if (prefix.isPresent() && pattern.isPresent()) {
            throw LogsException.invalidParameter(
                    "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        int limit = limit(r, 50);
        LogsService.Page<LogsService.GroupInfo> page = logs.describeLogGroups(prefix, pattern, text(r, "nextToken"),
                limit);
        ObjectNode out = Json.object();
        ArrayNode groups = out.putArray("logGroups");
        for (LogsService.GroupInfo g : page.items()) {
            ObjectNode group = groups.addObject().put("logGroupName", g.name()).put("creationTime", g.creationTime());
            g.retentionDays().ifPresent(days -> group.put("retentionInDays", days));
            group.put("metricFilterCount", 0).put("arn", g.arn() + ":*").put("storedBytes", g.storedBytes())
                    .put("logGroupClass", "STANDARD").put("logGroupArn", g.arn());
        }
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    private ObjectNode createLogStream(JsonNode r) {
        logs.createLogStream(groupName(r, "logGroupName"), streamName(r));
        return Json.object();
    }

    private ObjectNode deleteLogStream(JsonNode r) {
        logs.deleteLogStream(groupName(r, "logGroupName"), streamName(r));
        return Json.object();
    }

    private ObjectNode describeLogStreams(JsonNode r) {
        String group = groupOrIdentifier(r);
        Optional<String> prefix = text(r, "logStreamNamePrefix");
        String orderBy = text(r, "orderBy").orElse("LogStreamName");
        if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
            throw LogsException.invalidParameter("1 validation error detected: Value '" + orderBy + "' at 'orderBy'"
                    + " failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName,"
                    + " LastEventTime]");
        }
        if (prefix.isPresent() && orderBy.equals("LastEventTime")) {
            throw LogsException.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        int limit = limit(r, 50);
        LogsService.Page<LogsService.StreamInfo> page = logs.describeLogStreams(group, prefix,
                orderBy.equals("LastEventTime"), r.path("descending").asBoolean(false), text(r, "nextToken"), limit);
        ObjectNode out = Json.object();
        ArrayNode streams = out.putArray("logStreams");
        for (LogsService.StreamInfo s : page.items()) {
            ObjectNode stream = streams.addObject().put("logStreamName", s.name()).put("creationTime", s.creationTime());
            s.firstEventTimestamp().ifPresent(t -> stream.put("firstEventTimestamp", t));
            s.lastEventTimestamp().ifPresent(t -> stream.put("lastEventTimestamp", t));
            s.lastIngestionTime().ifPresent(t -> stream.put("lastIngestionTime", t));
            stream.put("uploadSequenceToken", "1").put("arn", s.arn()).put("storedBytes", s.storedBytes());
        }
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    private ObjectNode getLogEvents(JsonNode r) {
        String group = groupOrIdentifier(r);
        String stream = streamName(r);
        OptionalLong start = time(r, "startTime");
        OptionalLong end = time(r, "endTime");
        int limit = limit(r, 10_000);
        LogsService.StreamEvents events = logs.getLogEvents(group, stream, start, end, text(r, "nextToken"), limit,
                r.path("startFromHead").asBoolean(false));
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("events");
        for (LogEvent e : events.events()) {
            list.addObject().put("timestamp", e.timestamp()).put("message", e.message())
                    .put("ingestionTime", e.ingestionTime());
        }
        out.put("nextForwardToken", events.nextForwardToken()).put("nextBackwardToken", events.nextBackwardToken());
        return out;
    }

    private ObjectNode filterLogEvents(JsonNode r) {
        String group = groupOrIdentifier(r);
        Optional<List<String>> names = stringList(r, "logStreamNames", 100);
        Optional<String> prefix = text(r, "logStreamNamePrefix");
        if (names.isPresent() && prefix.isPresent()) {
            throw LogsException.invalidParameter(
                    "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        OptionalLong start = time(r, "startTime");
        OptionalLong end = time(r, "endTime");
        if (start.isPresent() && end.isPresent() && start.getAsLong() > end.getAsLong()) {
            throw LogsException.invalidParameter("startTime must be less than or equal to endTime");
        }
        FilterPattern pattern = filterPattern(text(r, "filterPattern").orElse(""), "filterPattern");
        int limit = limit(r, 10_000);
        LogsService.Page<LogsService.FilteredEvent> page = logs.filterLogEvents(group, names, prefix, start, end,
                pattern, text(r, "nextToken"), limit);
        ObjectNode out = Json.object();
        ArrayNode events = out.putArray("events");
        TreeSet<String> searched = new TreeSet<>();
        for (LogsService.FilteredEvent e : page.items()) {
            events.addObject().put("logStreamName", e.streamName()).put("timestamp", e.event().timestamp())
                    .put("message", e.event().message()).put("ingestionTime", e.event().ingestionTime())
                    .put("eventId", e.eventId());
            searched.add(e.streamName());
        }
        ArrayNode streams = out.putArray("searchedLogStreams");
        searched.forEach(s -> streams.addObject().put("logStreamName", s).put("searchedCompletely", true));
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    private ObjectNode putLogEvents(JsonNode r) {
        String group = groupName(r, "logGroupName");
        String stream = streamName(r);
        JsonNode list = r.path("logEvents");
        if (!list.isArray() || list.isEmpty() || list.size() > 10_000) {
            throw LogsException.invalidParameter("1 validation error detected: Value at 'logEvents' failed to satisfy"
                    + " constraint: Member must have length between 1 and 10000");
        }
        List<LogsService.InputEvent> events = new ArrayList<>();
        long batchBytes = 0;
        for (JsonNode e : list) {
            String message = e.path("message").asText("");
            if (!e.path("timestamp").canConvertToLong() || message.isEmpty()) {
                throw LogsException.invalidParameter("1 validation error detected: Value at 'logEvents' failed to"
                        + " satisfy constraint: each event needs a timestamp and a message of at least 1 character");
            }
            long timestamp = e.path("timestamp").asLong();
            if (!events.isEmpty() && timestamp < events.getLast().timestamp()) {
                throw LogsException.invalidParameter(
                        "Log events in a single PutLogEvents request must be in chronological order.");
            }
            int bytes = message.getBytes(StandardCharsets.UTF_8).length + LogsService.EVENT_OVERHEAD_BYTES;
            if (bytes > 256 * 1024) {
                throw LogsException.invalidParameter("Log event too large: " + bytes + " bytes exceeds the limit of "
                        + 256 * 1024);
            }
            batchBytes += bytes;
            events.add(new LogsService.InputEvent(timestamp, message));
        }
        if (batchBytes > LogsService.MAX_BATCH_BYTES) {
            throw LogsException.invalidParameter("Upload too large: " + batchBytes + " bytes exceeds limit of "
                    + LogsService.MAX_BATCH_BYTES);
        }
        if (events.getLast().timestamp() - events.getFirst().timestamp() > 24 * 3_600_000L) {
            throw LogsException.invalidParameter(
                    "A batch of log events in a single request cannot span more than 24 hours.");
        }
        LogsService.Rejected rejected = logs.putLogEvents(group, stream, events);
        ObjectNode out = Json.object().put("nextSequenceToken", Long.toString(System.nanoTime()));
        if (rejected.any()) {
            ObjectNode info = out.putObject("rejectedLogEventsInfo");
            rejected.tooNewStartIndex().ifPresent(i -> info.put("tooNewLogEventStartIndex", i));
            rejected.tooOldEndIndex().ifPresent(i -> info.put("tooOldLogEventEndIndex", i));
            rejected.expiredEndIndex().ifPresent(i -> info.put("expiredLogEventEndIndex", i));
        }
        return out;
    }

    /**
     * A Live Tail session, streamed as AWS streams it: the JSON protocol's initial response, a sessionStart, then a
     * sessionUpdate every second (empty when nothing new was written) until the client goes or three hours pass.
     */
    private ApiResponse startLiveTail(JsonNode r, String requestId) {
        List<String> identifiers = stringList(r, "logGroupIdentifiers", 10).orElseThrow(() ->
                LogsException.invalidParameter("1 validation error detected: Value null at 'logGroupIdentifiers'"
                        + " failed to satisfy constraint: Member must not be null"));
        List<String> groups = new ArrayList<>();
        for (String identifier : identifiers) {
            if (identifier.endsWith("*")) {
                throw LogsException.invalidParameter("LogGroup ARN must not end with '*': " + identifier);
            }
            groups.add(groupNameOf(identifier, "logGroupIdentifiers"));
        }
        Optional<List<String>> names = stringList(r, "logStreamNames", 100);
        Optional<List<String>> prefixes = stringList(r, "logStreamNamePrefixes", 100);
        if (names.isPresent() && prefixes.isPresent()) {
            throw LogsException.invalidParameter(
                    "logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.");
        }
        if ((names.isPresent() || prefixes.isPresent()) && groups.size() > 1) {
            throw LogsException.invalidParameter("logStreamNames and logStreamNamePrefixes can only be specified"
                    + " with exactly one log group in logGroupIdentifiers.");
        }
        String patternText = text(r, "logEventFilterPattern").orElse("");
        LiveTail tail = logs.startLiveTail(new LiveTail.Query(groups, names.orElse(List.of()),
                prefixes.orElse(List.of()), filterPattern(patternText, "logEventFilterPattern")));
        ObjectNode start = Json.object().put("requestId", requestId).put("sessionId", UUID.randomUUID().toString());
        identifiers.forEach(start.putArray("logGroupIdentifiers")::add);
        names.ifPresent(list -> list.forEach(start.putArray("logStreamNames")::add));
        prefixes.ifPresent(list -> list.forEach(start.putArray("logStreamNamePrefixes")::add));
        start.put("logEventFilterPattern", patternText);
        Map<String, String> identifierOf = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            identifierOf.put(groups.get(i), identifiers.get(i));
        }
        return ApiResponse.streamed(200, EventStreamWriter.CONTENT_TYPE, out -> {
            EventStreamWriter events = new EventStreamWriter(out);
            events.event("initial-response", Json.bytes(Json.object()));
            events.event("sessionStart", Json.bytes(start));
            long endsAt = System.nanoTime() + LIVE_TAIL_SESSION.toNanos();
            while (System.nanoTime() < endsAt) {
                try {
                    Thread.sleep(LIVE_TAIL_UPDATE_INTERVAL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                events.event("sessionUpdate", Json.bytes(update(tail.poll(), identifierOf)));
            }
            events.exception("SessionTimeoutException", Json.bytes(Json.object().put("message",
                    "Session timed out after " + LIVE_TAIL_SESSION.toHours() + " hours")));
        });
    }

    private static ObjectNode update(LiveTail.Update update, Map<String, String> identifierOf) {
        ObjectNode out = Json.object();
        out.putObject("sessionMetadata").put("sampled", update.sampled());
        ArrayNode results = out.putArray("sessionResults");
        for (LiveTail.TailedEvent e : update.events()) {
            results.addObject().put("logStreamName", e.streamName())
                    .put("logGroupIdentifier", identifierOf.get(e.groupName()))
                    .put("message", e.event().message()).put("timestamp", e.event().timestamp())
                    .put("ingestionTime", e.event().ingestionTime());
        }
        return out;
    }

    private static Optional<List<String>> stringList(JsonNode r, String field, int max) {
        if (!r.has(field)) {
            return Optional.empty();
        }
        List<String> list = new ArrayList<>();
        r.path(field).forEach(n -> list.add(n.asText()));
        if (list.isEmpty() || list.size() > max) {
            throw LogsException.invalidParameter("1 validation error detected: Value at '" + field + "' failed"
                    + " to satisfy constraint: Member must have length between 1 and " + max);
        }
        return Optional.of(list);
    }

    private static FilterPattern filterPattern(String text, String field) {
        if (text.length() > 1024) {
            throw LogsException.invalidParameter("1 validation error detected: Value at '" + field + "' failed to"
                    + " satisfy constraint: Member must have length less than or equal to 1024");
        }
        try {
            return FilterPattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw LogsException.invalidParameter("Invalid filter pattern: " + e.getMessage());
        }
    }

    /** The group a request names by logGroupName or by logGroupIdentifier (its name or ARN), never both. */
    private static String groupOrIdentifier(JsonNode r) {
        Optional<String> identifier = text(r, "logGroupIdentifier");
        if (identifier.isPresent() && r.has("logGroupName")) {
            throw new LogsException("ValidationException",
                    "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (identifier.isPresent()) {
            return groupNameOf(identifier.get(), "logGroupIdentifier");
        }
        return groupName(r, "logGroupName");
    }

    /** The name of the group a log group identifier (its name, or its ARN) names. */
    private static String groupNameOf(String identifier, String field) {
        int at = identifier.indexOf(":log-group:");
        String name = at < 0 ? identifier
                : identifier.substring(at + ":log-group:".length()).replaceFirst(":\\*$", "");
        checkName(name, field, GROUP_NAME);
        return name;
    }

    private static String groupName(JsonNode r, String field) {
        String name = text(r, field).orElseThrow(() -> LogsException.invalidParameter(
                "1 validation error detected: Value null at '" + field + "' failed to satisfy constraint: Member must"
                        + " not be null"));
        checkName(name, field, GROUP_NAME);
        return name;
    }

    private static String streamName(JsonNode r) {
        String name = text(r, "logStreamName").orElseThrow(() -> LogsException.invalidParameter(
                "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must"
                        + " not be null"));
        checkName(name, "logStreamName", STREAM_NAME);
        return name;
    }

    private static void checkName(String name, String field, Pattern pattern) {
        if (name.isEmpty() || name.length() > 512) {
            throw LogsException.invalidParameter("1 validation error detected: Value '" + name + "' at '" + field
                    + "' failed to satisfy constraint: Member must have length between 1 and 512");
        }
        if (!pattern.matcher(name).matches()) {
            throw LogsException.invalidParameter("1 validation error detected: Value '" + name + "' at '" + field
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + pattern.pattern());
        }
    }

    private static int limit(JsonNode r, int max) {
        if (!r.has("limit")) {
            return max;
        }
        long limit = requiredLong(r, "limit");
        if (limit < 1) {
            throw LogsException.invalidParameter("1 validation error detected: Value '" + limit + "' at 'limit'"
                    + " failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        if (limit > max) {
            throw LogsException.invalidParameter("1 validation error detected: Value '" + limit + "' at 'limit'"
                    + " failed to satisfy constraint: Member must have value less than or equal to " + max);
        }
        return (int) limit;
    }

    private static OptionalLong time(JsonNode r, String field) {
        if (!r.has(field) || r.get(field).isNull()) {
            return OptionalLong.empty();
        }
        long value = requiredLong(r, field);
        if (value < 0) {
            throw LogsException.invalidParameter("1 validation error detected: Value '" + value + "' at '" + field
                    + "' failed to satisfy constraint: Member must have value greater than or equal to 0");
        }
        return OptionalLong.of(value);
    }

    private static long requiredLong(JsonNode r, String field) {
        JsonNode value = r.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw LogsException.invalidParameter("1 validation error detected: Value at '" + field + "' failed to"
                    + " satisfy constraint: Member must be a number");
        }
        return value.asLong();
    }

    private static Optional<String> text(JsonNode r, String field) {
        JsonNode value = r.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
