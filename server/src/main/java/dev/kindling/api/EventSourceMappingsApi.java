package dev.kindling.api;

import static dev.kindling.api.RequestFields.optionalInt;
import static dev.kindling.api.RequestFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.EventSourceMappingService;
import dev.kindling.control.EventSourceMappingSettings;
import dev.kindling.store.EventSourceMappingRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The event source mapping operations of the Lambda API (SQS sources), in the shapes of botocore's service model:
 * the model's ranges are checked here (ValidationException), Lambda's own rules by
 * {@link EventSourceMappingService}.
 */
public final class EventSourceMappingsApi implements ApiServer.Operations {
    private static final String PATH = "/2015-03-31/event-source-mappings";
    private static final int DEFAULT_LIST_ITEMS = 100;
    /** Members of the model that configure other kinds of sources (streams, Kafka, MQ): refused for a queue. */
    private static final List<String> NOT_FOR_SQS = List.of("StartingPosition", "StartingPositionTimestamp",
            "ParallelizationFactor", "DestinationConfig", "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError",
            "MaximumRetryAttempts", "TumblingWindowInSeconds", "Topics", "Queues", "SelfManagedEventSource",
            "AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig", "DocumentDBEventSourceConfig");

    private final EventSourceMappingService mappings;
    private final String region;
    private final String accountId;

    public EventSourceMappingsApi(EventSourceMappingService mappings, String region, String accountId) {
        this.mappings = mappings;
        this.region = region;
        this.accountId = accountId;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("CreateEventSourceMapping", "POST", PATH, this::create)
                .add("ListEventSourceMappings", "GET", PATH, this::list)
                .add("GetEventSourceMapping", "GET", PATH + "/{UUID}", this::get)
                .add("UpdateEventSourceMapping", "PUT", PATH + "/{UUID}", this::update)
                .add("DeleteEventSourceMapping", "DELETE", PATH + "/{UUID}", this::delete);
    }

    private ApiResponse create(ApiRequest request) {
        return ApiResponse.json(202, shape(mappings.create(settings(request, true))));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, shape(mappings.get(request.pathParam("UUID"))));
    }

    private ApiResponse update(ApiRequest request) {
        return ApiResponse.json(202, shape(mappings.update(request.pathParam("UUID"), settings(request, false))));
    }

    private ApiResponse delete(ApiRequest request) {
        return ApiResponse.json(202, shape(mappings.delete(request.pathParam("UUID"))));
    }

    private ApiResponse list(ApiRequest request) {
        Integer maxItems = ListParameters.maxItems(request);
        int limit = maxItems == null ? DEFAULT_LIST_ITEMS : maxItems;
        int from = request.queryParam("Marker").map(EventSourceMappingsApi::offset).orElse(0);
        List<EventSourceMappingRecord> all = mappings.list(request.queryParam("FunctionName"),
                request.queryParam("EventSourceArn"));
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("EventSourceMappings");
        all.stream().skip(from).limit(limit).forEach(m -> list.add(shape(m)));
        if (from + limit < all.size()) {
            body.put("NextMarker", Integer.toString(from + limit));
        }
        return ApiResponse.json(200, body);
    }

    /** EventSourceMappingConfiguration as AWS returns it for an SQS source. */
    private ObjectNode shape(EventSourceMappingRecord m) {
        ObjectNode c = Json.object();
        c.put("UUID", m.uuid());
        c.put("BatchSize", m.batching().size());
        c.put("MaximumBatchingWindowInSeconds", m.batching().windowSeconds());
        c.put("EventSourceArn", m.eventSourceArn());
        if (!m.filterPatterns().isEmpty()) {
            ArrayNode filters = c.putObject("FilterCriteria").putArray("Filters");
            m.filterPatterns().forEach(p -> filters.addObject().put("Pattern", p));
        }
        c.put("FunctionArn", m.functionArn());
        c.put("LastModified", m.lastModified().toEpochMilli() / 1000.0);
        c.put("State", m.state());
        c.put("StateTransitionReason", m.stateTransitionReason());
        ArrayNode types = c.putArray("FunctionResponseTypes");
        if (m.reportBatchItemFailures()) {
            types.add("ReportBatchItemFailures");
        }
        m.maximumConcurrency().ifPresent(n -> c.putObject("ScalingConfig").put("MaximumConcurrency", n));
        c.put("EventSourceMappingArn", "arn:aws:lambda:" + region + ":" + accountId + ":event-source-mapping:"
                + m.uuid());
        return c;
    }

    private static EventSourceMappingSettings settings(ApiRequest request, boolean create) {
        JsonNode body = Json.parseObject(request.body());
        for (String member : NOT_FOR_SQS) {
            if (body.hasNonNull(member)) {
                throw new LambdaException(ErrorType.InvalidParameterValueException,
                        "Unsupported " + member + " parameter for given event source mapping type.");
            }
        }
        ConstraintViolations violations = new ConstraintViolations();
        Optional<String> functionName = Optional.ofNullable(optionalText(body, "FunctionName"));
        if (create && functionName.isEmpty()) {
            violations.missing("functionName");
        }
        Optional<Integer> batchSize = range(violations, optionalInt(body, "BatchSize"), "batchSize", 1, 10000);
        Optional<Integer> window = range(violations, optionalInt(body, "MaximumBatchingWindowInSeconds"),
                "maximumBatchingWindowInSeconds", 0, 300);
        Optional<EventSourceMappingSettings.Scaling> scaling = Optional.empty();
        if (body.hasNonNull("ScalingConfig")) {
            scaling = Optional.of(new EventSourceMappingSettings.Scaling(range(violations,
                    optionalInt(body.get("ScalingConfig"), "MaximumConcurrency"), "scalingConfig.maximumConcurrency",
                    2, 1000)));
        }
        Optional<List<String>> patterns = filterPatterns(body, violations);
        Optional<List<String>> types = body.hasNonNull("FunctionResponseTypes")
                ? Optional.of(RequestFields.strings(body, "FunctionResponseTypes")) : Optional.empty();
        violations.throwIfAny();
        Optional<Boolean> enabled = body.hasNonNull("Enabled")
                ? Optional.of(RequestFields.optionalBoolean(body, "Enabled")) : Optional.empty();
        return new EventSourceMappingSettings(functionName, Optional.ofNullable(optionalText(body, "EventSourceArn")),
                batchSize, window, enabled, patterns, types, scaling);
    }

    private static Optional<List<String>> filterPatterns(JsonNode body, ConstraintViolations violations) {
        JsonNode criteria = body.path("FilterCriteria");
        if (criteria.isMissingNode() || criteria.isNull()) {
            return Optional.empty();
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode filter : criteria.path("Filters")) {
            String pattern = optionalText(filter, "Pattern");
            if (pattern == null) {
                continue;
            }
            if (pattern.length() > 4096) {
                violations.add(pattern, "filterCriteria.filters.member.pattern",
                        "Member must have length less than or equal to 4096");
            }
            patterns.add(pattern);
        }
        return Optional.of(patterns);
    }

    private static Optional<Integer> range(ConstraintViolations violations, Integer value, String field, int least,
            int most) {
        if (value != null && value < least) {
            violations.add(value.toString(), field, "Member must have value greater than or equal to " + least);
        } else if (value != null && value > most) {
            violations.add(value.toString(), field, "Member must have value less than or equal to " + most);
        }
        return Optional.ofNullable(value);
    }

    private static int offset(String marker) {
        try {
            return Math.max(0, Integer.parseInt(marker));
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Invalid Marker '" + marker
                    + "': pass the NextMarker of a previous ListEventSourceMappings response.");
        }
    }
}
