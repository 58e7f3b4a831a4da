package dev.kindling.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The event a bucket notification invokes a function with, as S3 sends it: {@code {"Records":[...]}} with one record
 * (eventVersion 2.1). The object key is URL-encoded as S3 encodes it (a space as {@code +}), so handlers decode it
 * with {@code unquote_plus} as AWS's examples do.
 */
final class S3EventRecord {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private S3EventRecord() {}

    /**
     * @param ownerId the bucket owner's principal id
     * @param sequencer orders the events of one key: a later change has a greater value (compared as hex strings of
     *     equal length)
     */
    static byte[] json(ObjectChange change, S3Requester requester, Optional<S3ObjectFacts> facts, String region,
            String configurationId, String ownerId, String sequencer) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(change.time()));
        record.put("eventName", change.eventName());
        record.putObject("userIdentity").put("principalId", requester.principalId());
        record.putObject("requestParameters").put("sourceIPAddress", requester.sourceIp());
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", requester.requestId());
        response.put("x-amz-id-2", requester.hostId());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", change.bucket());
        bucket.putObject("ownerIdentity").put("principalId", ownerId);
        bucket.put("arn", "arn:aws:s3:::" + change.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", encodeKey(change.key()));
        facts.ifPresent(f -> {
            object.put("size", f.size());
            object.put("eTag", f.eTag());
        });
        change.versionId().ifPresent(v -> object.put("versionId", v));
        object.put("sequencer", sequencer);
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        records.add(record);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message S3 sends a queue when a configuration names it: {@code s3:TestEvent}. */
    static String testEvent(String bucket, java.time.Instant time) {
        ObjectNode event = JSON.createObjectNode();
        event.put("Service", "Amazon S3");
        event.put("Event", "s3:TestEvent");
        event.put("Time", EVENT_TIME.format(time));
        event.put("Bucket", bucket);
        event.put("RequestId", java.util.HexFormat.of().withUpperCase().formatHex(
                java.nio.ByteBuffer.allocate(8).putLong(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                        .array()));
        event.put("HostId", java.util.Base64.getEncoder().encodeToString(
                java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)));
        return event.toString();
    }

    /** S3's encoding of a key in an event: form encoding (a space as +, '+' as %2B), the '/' between parts kept. */
    static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }
}
