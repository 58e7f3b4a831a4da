package dev.kindling.triggers;

import dev.kindling.control.EventSourceMappingService.QueueArn;
import dev.kindling.control.QueueLookup;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Kindling's own queues, reached through the SQS API of the embedded ElasticMQ on its loopback port (not through
 * Kindling's endpoint: no signature to check, no operator key used). Queues of this region and account only.
 */
public final class SqsQueues implements QueueLookup, AutoCloseable {
    /** Enough connections for every poller of every mapping at its highest concurrency. */
    private static final int MAX_CONNECTIONS = 2000;

    private final SqsClient client;
    private final String region;
    private final String accountId;

    public SqsQueues(URI elasticMq, String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
        this.client = SqsClient.builder().endpointOverride(elasticMq).region(Region.of(region))
                // ElasticMQ checks no signature; the SDK signs anyway, with a key that grants nothing elsewhere.
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("kindling", "poller")))
                .httpClient(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS).build())
                .build();
    }

    /** The SQS client the pollers use. */
    public SqsClient client() {
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
            return Optional.of(client.getQueueUrl(r -> r.queueName(arn.get().name())).queueUrl());
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
