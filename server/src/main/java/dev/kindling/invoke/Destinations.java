package dev.kindling.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.EventInvokeConfigService;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.store.AsyncEventRecord;
import dev.kindling.store.EventInvokeConfigRecord;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.AsyncEventObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivers the outcome of an asynchronous event where its configuration asks: the on-success or on-failure
 * destination receives AWS's invocation record (version, timestamp, requestContext, requestPayload,
 * responseContext, responsePayload). A destination is a function, invoked asynchronously with the record, as AWS
 * does.
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

    private final AsyncEventObserver observer;

    Destinations(EventInvokeConfigService configs, FunctionService functions, Enqueue enqueue,
            AsyncEventObserver observer) {
        this.configs = configs;
        this.functions = functions;
        this.enqueue = enqueue;
        this.observer = observer;
    }

    @Override
    public void settled(AsyncEventRecord event, FunctionRecord version, EventDispatcher.Settlement how,
            InvokeResult last, int attempts) {
        FunctionRef invoked = new FunctionRef(event.functionName(), event.qualifier());
        Optional<EventInvokeConfigRecord> config = configs.forEvents(invoked);
        Optional<String> destination = config.flatMap(how == EventDispatcher.Settlement.SUCCESS
                ? EventInvokeConfigRecord::onSuccess : EventInvokeConfigRecord::onFailure);
        if (destination.isEmpty()) {
            return;
        }
        byte[] record = record(event, version, how, last, attempts);
        try {
            FunctionRef target = functions.parseRef(destination.get(), "");
            functions.route(target); // a destination deleted since it was configured fails delivery, as on AWS
            enqueue.event(UUID.randomUUID().toString(), target, record);
            observer.delivered(event.functionName(), condition(how));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            observer.deliveryFailed(event.functionName());
            LOG.warn("event {}: its {} destination {} could not be reached: {}", event.requestId(),
                    how == EventDispatcher.Settlement.SUCCESS ? "on-success" : "on-failure", destination.get(),
                    e.getMessage());
        }
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
