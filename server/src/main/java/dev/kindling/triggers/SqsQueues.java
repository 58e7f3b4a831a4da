package dev.kindling.triggers;

import dev.kindling.control.EventSourceMappingService.QueueArn;
import dev.kindling.control.MessageQueues;
import dev.kindling.services.ElasticMq;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Kindling's own queues, reached through the SQS API of the embedded ElasticMQ on its loopback port (not through
 * Kindling's endpoint: no signature to check, no operator key used). Queues of this region and account only.
 */
public final class SqsQueues implements MessageQueues, NotificationQueues, AutoCloseable {
    /** Enough connections for every poller of every mapping at its highest concurrency. */
    private static final int MAX_CONNECTIONS = 2000;

    private final SqsClient client;
    private final ElasticMq elasticMq;
    private final String region;
    private final String accountId;

    public SqsQueues(ElasticMq elasticMq, String region, String accountId) {
        this.elasticMq = elasticMq;
        this.region = region;
        this.accountId = accountId;
        this.client = SqsClient.builder().endpointOverride(elasticMq.internalEndpoint()).region(Region.of(region))
                // ElasticMQ checks no signature; the SDK signs anyway, with a key that grants nothing elsewhere.
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("kindling", "poller")))
                .httpClient(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS).build())
                .build();
    }

    /** The SQS client the pollers use, ElasticMQ started for it if it was not. */
    public SqsClient client() {
        try {
            elasticMq.ensureStarted();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while SQS started", e);
        }
        return client;
    }

    @Override
    public boolean exists(String queueArn) {
        return queueUrl(queueArn).isPresent();
    }

    /** The queue's URL, if the ARN names one of Kindling's queues and it exists. */
    public Optional<String> queueUrl(String queueArn) {
        Optional<QueueArn> arn = QueueArn.parse(queueArn)
                .filter(q -> q.region().equals(region) && q.accountId().equals(accountId));
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(client().getQueueUrl(r -> r.queueName(arn.get().name())).queueUrl());
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** Sends a message to one of Kindling's queues (a bucket notification's event). */
    @Override
    public void send(String queueArn, String body) {
        send(queueArn, body, Map.of());
    }

    @Override
    public void send(String queueArn, String body, Map<String, Attribute> attributes) {
        String url = queueUrl(queueArn).orElseThrow(() -> new IllegalStateException("no queue " + queueArn));
        Map<String, MessageAttributeValue> values = new java.util.LinkedHashMap<>();
        attributes.forEach((name, a) -> values.put(name, MessageAttributeValue.builder().dataType(a.dataType())
                .stringValue(a.value()).build()));
        client().sendMessage(r -> r.queueUrl(url).messageBody(body).messageAttributes(values));
    }

    @Override
    public void close() {
        client.close();
    }
}
