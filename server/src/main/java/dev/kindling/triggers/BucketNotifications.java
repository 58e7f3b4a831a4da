package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.control.AccessRequest;
import dev.kindling.control.FunctionPolicies;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.invoke.AsyncInvocations;
import dev.kindling.store.BucketNotificationRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 bucket notifications to Lambda functions and SQS queues. Put/GetBucketNotificationConfiguration store and answer
 * each bucket's LambdaFunctionConfigurations and QueueConfigurations (checked as S3 checks them: known event types,
 * prefix and suffix rules, no two configurations overlapping, every function one that S3 may invoke for this bucket
 * by its resource policy, every queue one that exists; a queue gets S3's test event). Then every object change the
 * S3 front door reports ({@link #changed}) invokes each function whose configuration matches, asynchronously through
 * the durable event queue, and sends each matching queue a message, both with S3's event record.
 *
 * <p>Configurations are cached in memory (read on every object change) and persisted, so they survive a restart.
 */
public final class BucketNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(BucketNotifications.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String S3_PRINCIPAL = "s3.amazonaws.com";
    private static final Pattern QUEUE_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]{1,80}");
    private static final Pattern FUNCTION_ARN =
            Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?");

    private final BucketNotificationRepository repository;
    private final FunctionService functions;
    private final FunctionPolicies policies;
    private final AsyncInvocations invocations;
    private final NotificationQueues queues;
    private final String region;
    private final String ownerId;
    private final Map<String, List<BucketNotification>> byBucket = new ConcurrentHashMap<>();
    /** Orders events: every change gets a greater sequencer than the one before. */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

    /** @param ownerId the principal id event records name as every bucket's owner */
    public BucketNotifications(BucketNotificationRepository repository, FunctionService functions,
            FunctionPolicies policies, AsyncInvocations invocations, NotificationQueues queues, String ownerId) {
        this.queues = queues;
        this.repository = repository;
        this.functions = functions;
        this.policies = policies;
        this.invocations = invocations;
        this.region = functions.region();
        this.ownerId = ownerId;
        for (String bucket : repository.buckets()) {
            repository.find(bucket).ifPresent(json -> byBucket.put(bucket, fromJson(json)));
        }
    }

    /** GetBucketNotificationConfiguration: the bucket's configuration document (empty when it has none). */
    public String configurationXml(String bucket) {
        return NotificationConfigurationXml.write(byBucket.getOrDefault(bucket, List.of()));
    }

    /**
     * PutBucketNotificationConfiguration: replaces the bucket's configuration with {@code xml} (an empty document
     * removes it). Throws S3's error for a document S3 would refuse; nothing is stored then.
     *
     * @param skipDestinationValidation the x-amz-skip-destination-validation header: functions are not checked
     */
    public void configure(String bucket, byte[] xml, boolean skipDestinationValidation) {
        List<BucketNotification> configurations = NotificationConfigurationXml.parse(xml);
        for (BucketNotification c : configurations) {
            boolean function = c.destination().kind() == BucketNotification.Kind.FUNCTION;
            if (!(function ? FUNCTION_ARN : QUEUE_ARN).matcher(c.destination().arn()).matches()) {
                throw InvalidNotificationException.invalidArgument("The ARN could not be parsed",
                        function ? "CloudFunction" : "Queue", c.destination().arn());
            }
        }
        requireNoOverlap(configurations);
        if (!skipDestinationValidation) {
            requireReachable(bucket, configurations);
            testQueues(bucket, configurations);
        }
        if (configurations.isEmpty()) {
            repository.put(bucket, Optional.empty());
            byBucket.remove(bucket);
        } else {
            repository.put(bucket, Optional.of(toJson(configurations)));
            byBucket.put(bucket, List.copyOf(configurations));
        }
    }

    /** The bucket is gone: so is its configuration (a new bucket of that name starts without one, as on S3). */
    public void bucketDeleted(String bucket) {
        if (byBucket.remove(bucket) != null) {
            repository.put(bucket, Optional.empty());
        }
    }

    /** Whether any change to the bucket may invoke a function: the front door skips the rest otherwise. */
    public boolean watches(String bucket) {
        return byBucket.containsKey(bucket);
    }

    /**
     * An object changed: each matching configuration invokes its function with one event, stored durably before
     * this returns.
     *
     * @param facts the created object's size and ETag, looked up only if some configuration matches
     */
    public void changed(ObjectChange change, S3Requester requester, Supplier<Optional<S3ObjectFacts>> facts)
            throws InterruptedException {
        List<BucketNotification> matching = byBucket.getOrDefault(change.bucket(), List.of()).stream()
                .filter(c -> c.matches(change.eventName(), change.key())).toList();
        if (matching.isEmpty()) {
            return;
        }
        Optional<S3ObjectFacts> objectFacts = change.created() ? facts.get() : Optional.empty();
        String sequencer = String.format("%018X", sequence.incrementAndGet());
        for (BucketNotification c : matching) {
            byte[] event = S3EventRecord.json(change, requester, objectFacts, region, c.id(), ownerId, sequencer);
            if (c.destination().kind() == BucketNotification.Kind.QUEUE) {
                send(c.destination().arn(), new String(event, java.nio.charset.StandardCharsets.UTF_8), change);
                continue;
            }
            Optional<FunctionRef> target = invocable(change.bucket(), c.destination().arn());
            if (target.isEmpty()) {
                LOG.warn("S3 event {} of s3://{}/{} not delivered: {} is gone or no longer lets S3 invoke it",
                        change.eventName(), change.bucket(), change.key(), c.destination().arn());
                continue;
            }
            invocations.accept(UUID.randomUUID().toString(), target.get(), event, Optional.empty());
        }
    }

    private void send(String queueArn, String body, ObjectChange change) {
        try {
            queues.send(queueArn, body);
        } catch (RuntimeException e) {
            LOG.warn("S3 event {} of s3://{}/{} not delivered to {}: {}", change.eventName(), change.bucket(),
                    change.key(), queueArn, e.toString());
        }
    }

    /** S3 sends each queue of a new configuration a test event, as it does on AWS. */
    private void testQueues(String bucket, List<BucketNotification> configurations) {
        configurations.stream().filter(c -> c.destination().kind() == BucketNotification.Kind.QUEUE)
                .map(c -> c.destination().arn()).distinct().forEach(queue -> queues.send(queue,
                        S3EventRecord.testEvent(bucket, java.time.Instant.now())));
    }

    private static void requireNoOverlap(List<BucketNotification> configurations) {
        for (int i = 0; i < configurations.size(); i++) {
            for (int j = i + 1; j < configurations.size(); j++) {
                if (configurations.get(i).overlaps(configurations.get(j))) {
                    throw new InvalidNotificationException("InvalidArgument", 400, "Configurations overlap."
                            + " Configurations on the same bucket cannot share a common event type.", List.of());
                }
            }
        }
    }

    /**
     * S3 checks that it may invoke each function and that each queue exists, and names every destination that
     * fails.
     */
    private void requireReachable(String bucket, List<BucketNotification> configurations) {
        List<Map.Entry<String, String>> refused = new ArrayList<>();
        for (BucketNotification c : configurations) {
            String arn = c.destination().arn();
            int n = refused.size() / 2 + 1;
            if (c.destination().kind() == BucketNotification.Kind.QUEUE) {
                if (!queues.exists(arn)) {
                    refused.add(Map.entry("ArgumentName" + n, arn));
                    refused.add(Map.entry("ArgumentValue" + n, "The destination queue does not exist"));
                }
            } else if (invocable(bucket, arn).isEmpty()) {
                refused.add(Map.entry("ArgumentName" + n, arn + ", null"));
                refused.add(Map.entry("ArgumentValue" + n, "Not authorized to invoke function [" + arn + "]"));
            }
        }
        if (!refused.isEmpty()) {
            throw new InvalidNotificationException("InvalidArgument", 400,
                    "Unable to validate the following destination configurations", refused);
        }
    }

    /** The function, if it exists here and its resource policy lets S3 invoke it for this bucket. */
    private Optional<FunctionRef> invocable(String bucket, String functionArn) {
        FunctionRef ref;
        try {
            ref = FunctionRef.parse(functionArn, "", region, functions.accountId());
            functions.get(ref);
        } catch (LambdaException e) {
            return Optional.empty(); // another region or account, or no such function: S3 may not invoke it
        }
        AccessRequest request = AccessRequest.byService(S3_PRINCIPAL, "arn:aws:s3:::" + bucket)
                .withSourceAccount(functions.accountId());
        return policies.allows(ref, request) ? Optional.of(ref) : Optional.empty();
    }

    private static String toJson(List<BucketNotification> configurations) {
        ArrayNode array = JSON.createArrayNode();
        for (BucketNotification c : configurations) {
            ObjectNode o = array.addObject();
            o.put("id", c.id());
            o.put(c.destination().kind() == BucketNotification.Kind.QUEUE ? "queueArn" : "functionArn",
                    c.destination().arn());
            c.events().forEach(o.putArray("events")::add);
            c.prefix().ifPresent(p -> o.put("prefix", p));
            c.suffix().ifPresent(s -> o.put("suffix", s));
        }
        return array.toString();
    }

    private static List<BucketNotification> fromJson(String json) {
        try {
            List<BucketNotification> configurations = new ArrayList<>();
            for (JsonNode o : JSON.readTree(json)) {
                List<String> events = new ArrayList<>();
                o.path("events").forEach(e -> events.add(e.asText()));
                BucketNotification.Destination destination = o.has("queueArn")
                        ? new BucketNotification.Destination(BucketNotification.Kind.QUEUE, o.path("queueArn").asText())
                        : new BucketNotification.Destination(BucketNotification.Kind.FUNCTION,
                                o.path("functionArn").asText());
                configurations.add(new BucketNotification(o.path("id").asText(), destination, List.copyOf(events), Optional.ofNullable(o.get("prefix")).map(JsonNode::asText),
                        Optional.ofNullable(o.get("suffix")).map(JsonNode::asText)));
            }
            return List.copyOf(configurations);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("corrupt bucket notification configuration: " + json, e);
        }
    }
}
