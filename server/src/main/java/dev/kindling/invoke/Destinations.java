package dev.kindling.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.EventInvokeConfigService;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.MessageQueues;
import dev.kindling.store.AsyncEventRecord;
import dev.kindling.store.EventInvokeConfigRecord;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.AsyncEventObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivers the outcome of an asynchronous event where its configuration asks: the on-success or on-failure
 * destination receives AWS's invocation record (version, timestamp, requestContext, requestPayload,
 * responseContext, responsePayload). A destination is a function, invoked asynchronously with the record, or an SQS
 * queue, sent the record as a message's body, as AWS does. An event that failed also goes to the dead-letter queue of
 * the version that ran it (DeadLetterConfig), as AWS sends it: the event itself as the body, with the message
 * attributes RequestID, ErrorCode and ErrorMessage.
 */
final class Destinations implements EventDispatcher.Outcomes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Destinations.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Accepts an event for a function, as an Event Invoke does. */
    interface Enqueue {
        void event(String requestId, FunctionRef function, byte[] payload) throws InterruptedException;
    }

    private final EventInvokeConfigService configs;
    private final FunctionService functions;
    private final Enqueue enqueue;

    private final MessageQueues queues;
    private final AsyncEventObserver observer;

    Destinations(EventInvokeConfigService configs, FunctionService functions, Enqueue enqueue, MessageQueues queues,
            AsyncEventObserver observer) {
        this.configs = configs;
        this.functions = functions;
        this.enqueue = enqueue;
        this.queues = queues;
        this.observer = observer;
    }

    @Override
    public void settled(AsyncEventRecord event, FunctionRecord version, EventDispatcher.Settlement how,
            InvokeResult last, int attempts) {
        if (how != EventDispatcher.Settlement.SUCCESS) {
            version.deadLetterTarget().ifPresent(queue -> sendToDeadLetterQueue(queue, event, last));
        }
        FunctionRef invoked = new FunctionRef(event.functionName(), event.qualifier());
        Optional<EventInvokeConfigRecord> config = configs.forEvents(invoked);
        Optional<String> destination = config.flatMap(how == EventDispatcher.Settlement.SUCCESS
                ? EventInvokeConfigRecord::onSuccess : EventInvokeConfigRecord::onFailure);
        if (destination.isEmpty()) {
            return;
        }
        byte[] record = record(event, version, how, last, attempts);
        try {
            if (MessageQueues.isQueueArn(destination.get())) {
                queues.send(destination.get(), new String(record, StandardCharsets.UTF_8), Map.of());
            } else {
                FunctionRef target = functions.parseRef(destination.get(), "");
                functions.route(target); // a destination deleted since it was configured fails delivery, as on AWS
                enqueue.event(UUID.randomUUID().toString(), target, record);
            }
            observer.delivered(event.functionName(), condition(how));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("event {}: its {} destination {} could not be reached: {}", event.requestId(),
                    how == EventDispatcher.Settlement.SUCCESS ? "on-success" : "on-failure", destination.get(),
                    e.getMessage());
            observer.deliveryFailed(event.functionName());
        }
    }

    /**
     * The event as its body, and what AWS documents as the attributes: RequestID, ErrorCode (the status of the last
     * attempt's Invoke: 200 for a function error; Kindling gives 429 for an event that aged out before any attempt,
     * throttled) and ErrorMessage (the function's errorMessage, or its whole answer, at most 1 KB).
     */
    private void sendToDeadLetterQueue(String queue, AsyncEventRecord event, InvokeResult last) {
        Map<String, MessageQueues.Attribute> attributes = new LinkedHashMap<>();
        attributes.put("RequestID", MessageQueues.Attribute.string(event.requestId()));
        attributes.put("ErrorCode", MessageQueues.Attribute.number(last == null ? 429 : 200));
        attributes.put("ErrorMessage", MessageQueues.Attribute.string(last == null
                ? "The event was older than its maximum event age before it could run."
                : errorMessage(last.payload())));
        try {
            queues.send(queue, new String(event.payload(), StandardCharsets.UTF_8), attributes);
            observer.deadLettered(event.functionName(), true);
        } catch (RuntimeException e) {
            LOG.warn("event {}: its dead-letter queue {} could not be reached: {}", event.requestId(), queue,
                    e.getMessage());
            observer.deadLettered(event.functionName(), false);
        }
    }

    /** The errorMessage of a function's error answer, or the answer itself; cut to 1 KB as AWS cuts it. */
    static String errorMessage(byte[] payload) {
        String message = new String(payload, StandardCharsets.UTF_8);
        try {
            JsonNode answer = JSON.readTree(payload);
            if (answer != null && answer.path("errorMessage").isTextual()) {
                message = answer.path("errorMessage").asText();
            }
        } catch (IOException e) {
            // not JSON: the answer as it is
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 1024) {
            return message;
        }
        String cut = new String(bytes, 0, 1024, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut; // no half character at the end
    }

    /** AWS's invocation record. */
    private byte[] record(AsyncEventRecord event, FunctionRecord version, EventDispatcher.Settlement how,
            InvokeResult last, int attempts) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().toString());
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", event.requestId());
        request.put("functionArn", functions.arn(version.qualifiedName()));
        request.put("condition", condition(how));
        request.put("approximateInvokeCount", attempts);
        record.set("requestPayload", json(event.payload()));
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", version.version());
        if (last != null && !last.functionError().isEmpty()) {
            response.put("functionError", last.functionError());
        }
        record.set("responsePayload", last == null ? null : json(last.payload()));
        return record.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The record's condition, in AWS's words. */
    static String condition(EventDispatcher.Settlement how) {
        return switch (how) {
            case SUCCESS -> "Success";
            case RETRIES_EXHAUSTED -> "RetriesExhausted";
            case EVENT_AGE_EXCEEDED -> "EventAgeExceeded";
        };
    }

    /** A payload as JSON, or as a string when it is not JSON (a function may answer anything). */
    private static JsonNode json(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(payload, StandardCharsets.UTF_8));
        }
    }
}
