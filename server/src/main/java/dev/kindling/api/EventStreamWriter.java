package dev.kindling.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Writes AWS's event stream format ({@code application/vnd.amazon.eventstream}): each message a binary frame with
 * its headers ({@code :message-type}, {@code :event-type} or {@code :exception-type}, {@code :content-type}) and a
 * JSON payload, flushed so the client reads it at once.
 */
final class EventStreamWriter {
    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private final OutputStream out;

    EventStreamWriter(OutputStream out) {
        this.out = out;
    }

    /** An event of the stream's union ({@code sessionUpdate}, ...), or {@code initial-response} for the JSON protocol. */
    void event(String eventType, byte[] json) throws IOException {
        write(Map.of(":message-type", "event", ":event-type", eventType, ":content-type", "application/json"), json);
    }

    /** An event whose payload is raw bytes (a member the model marks eventpayload, such as PayloadChunk's). */
    void event(String eventType, String contentType, byte[] payload) throws IOException {
        write(Map.of(":message-type", "event", ":event-type", eventType, ":content-type", contentType), payload);
    }

    /** A modeled error that ends the stream ({@code SessionTimeoutException}, ...). */
    void exception(String exceptionType, byte[] json) throws IOException {
        write(Map.of(":message-type", "exception", ":exception-type", exceptionType,
                ":content-type", "application/json"), json);
    }

    private void write(Map<String, String> headers, byte[] payload) throws IOException {
        Map<String, HeaderValue> values = new LinkedHashMap<>();
        headers.forEach((name, value) -> values.put(name, HeaderValue.fromString(value)));
        new Message(values, payload).encode(out);
        out.flush();
    }
}
