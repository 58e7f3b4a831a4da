package dev.kindling.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** AWS's SQS event: the {@code Records} a function polled from a queue receives, one per message. */
final class SqsRecords {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The system attributes a record carries, in AWS's order (the FIFO ones only for FIFO queues). */
    private static final List<String> ATTRIBUTES = List.of("ApproximateReceiveCount", "SentTimestamp", "SenderId",
            "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageGroupId", "MessageDeduplicationId",
            "AWSTraceHeader");

    private SqsRecords() {}

    static ObjectNode record(Message message, String queueArn, String region) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("messageId", message.messageId());
        r.put("receiptHandle", message.receiptHandle());
        r.put("body", message.body());
        ObjectNode attributes = r.putObject("attributes");
        Map<String, String> system = message.attributesAsStrings();
        for (String name : ATTRIBUTES) {
            if (system.containsKey(name)) {
                attributes.put(name, system.get(name));
            }
        }
        ObjectNode messageAttributes = r.putObject("messageAttributes");
        message.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
        if (message.md5OfMessageAttributes() != null) {
            r.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        } else {
            r.putNull("md5OfMessageAttributes");
        }
        r.put("md5OfBody", message.md5OfBody());
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", queueArn);
        r.put("awsRegion", region);
        return r;
    }

    /** The event of one batch: {@code {"Records": [...]}}. */
    static byte[] event(List<ObjectNode> records) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        ArrayNode list = event.putArray("Records");
        records.forEach(list::add);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode attribute(MessageAttributeValue value) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        if (value.stringValue() != null) {
            a.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            a.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        ArrayNode strings = a.putArray("stringListValues");
        value.stringListValues().forEach(strings::add);
        ArrayNode binaries = a.putArray("binaryListValues");
        value.binaryListValues().forEach(b -> binaries.add(Base64.getEncoder().encodeToString(b.asByteArray())));
        a.put("dataType", value.dataType());
        return a;
    }

    /** The size a message adds to an invocation's payload, near enough to keep a batch under 6 MB. */
    static int size(Message message) {
        return message.body().getBytes(StandardCharsets.UTF_8).length + 1024;
    }
}
