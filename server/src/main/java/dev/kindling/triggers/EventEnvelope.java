package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The event EventBridge hands targets: {@code version} "0", {@code id}, {@code detail-type}, ..., {@code detail}. */
final class EventEnvelope {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private EventEnvelope() {}

    static ObjectNode of(String id, String detailType, String source, String account, Instant time, String region,
            List<String> resources, JsonNode detail) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("version", "0").put("id", id).put("detail-type", detailType).put("source", source)
                .put("account", account).put("time", TIME.format(time)).put("region", region);
        resources.forEach(event.putArray("resources")::add);
        event.set("detail", detail);
        return event;
    }
}
