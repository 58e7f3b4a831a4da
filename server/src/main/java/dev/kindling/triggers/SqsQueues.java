package dev.kindling.triggers;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.EventSourceMappingService.QueueArn;
import dev.kindling.control.MessageQueues;
import dev.kindling.services.ElasticMq;
import dev.kindling.services.RemoteSqsEndpoint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The SQS queues Kindling reaches, by ARN: its own, through the SQS API of the embedded ElasticMQ on its loopback
 * port (not through Kindling's endpoint: no signature to check, no operator key used), and those of the accounts and
 * regions the server was given other SQS endpoints for ({@link RemoteSqsEndpoint}), with their credentials. A queue
 * of any other account or region does not exist here.
 */
public final class SqsQueues implements MessageQueues, NotificationQueues, AutoCloseable {
    /** Enough connections for every poller of every mapping at its highest concurrency. */
    private static final int MAX_CONNECTIONS = 2000;

    private final SqsClient client;
    private final ElasticMq elasticMq;
    private final String region;
    private final String accountId;
    /** By {@link RemoteSqsEndpoint#key()}. */
    private final Map<String, Remote> remotes = new HashMap<>();

    private record Remote(RemoteSqsEndpoint endpoint, SqsClient client) {}

    /** A queue found: the client that reaches it, its URL, and the region it is in (records name it). */
    public record Location(SqsClient client, String url, String region) {}

    /**
     * @param others the other SQS endpoints, none for Kindling's own account and region
     * @throws IllegalArgumentException when one of {@code others} claims Kindling's own account and region
     */
    public SqsQueues(ElasticMq elasticMq, String region, String accountId, List<RemoteSqsEndpoint> others) {
        this.elasticMq = elasticMq;
        this.region = region;
        this.accountId = accountId;
        for (RemoteSqsEndpoint endpoint : others) {
            if (endpoint.key().equals(RemoteSqsEndpoint.key(accountId, region))) {
                throw new IllegalArgumentException("--sqs-endpoints: account " + accountId + " in region " + region
                        + " is Kindling's own, served by its own SQS; give other SQS endpoints other accounts or"
                        + " regions");
            }
        }
        this.client = SqsClient.builder().endpointOverride(elasticMq.internalEndpoint()).region(Region.of(region))
                // ElasticMQ checks no signature; the SDK signs anyway, with a key that grants nothing elsewhere.
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("kindling", "poller")))
                .httpClient(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS).build())
                .build();
        for (RemoteSqsEndpoint endpoint : others) {
            remotes.put(endpoint.key(), new Remote(endpoint, SqsClient.builder().endpointOverride(endpoint.url())
                    .region(Region.of(endpoint.region())).credentialsProvider(endpoint.credentials().provider())
                    .httpClient(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS).build()).build()));
        }
    }

    /** The SQS client of Kindling's own queues, ElasticMQ started for it if it was not. */
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

    /**
     * Where the queue with this ARN is, if it exists here or on the other endpoint of its account and region.
     *
     * @throws SdkException when that other endpoint cannot be reached or refuses Kindling's request
     */
    public Optional<Location> locate(String queueArn) {
        Optional<QueueArn> parsed = QueueArn.parse(queueArn);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        QueueArn arn = parsed.get();
        if (arn.region().equals(region) && arn.accountId().equals(accountId)) {
            return url(client(), arn, false).map(url -> new Location(client, url, region));
        }
        Remote remote = remotes.get(RemoteSqsEndpoint.key(arn.accountId(), arn.region()));
        if (remote == null) {
            return Optional.empty();
        }
        return url(remote.client(), arn, true).map(url -> new Location(remote.client(), url, arn.region()));
    }

    private static Optional<String> url(SqsClient sqs, QueueArn arn, boolean remote) {
        try {
            return Optional.of(sqs.getQueueUrl(r -> {
                r.queueName(arn.name());
                if (remote) { // the owner, for credentials of another account that the queue's policy lets in
                    r.queueOwnerAWSAccountId(arn.accountId());
                }
            }).queueUrl());
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the queue exists. An other endpoint that cannot be asked is InvalidParameterValueException, saying
     * which endpoint and why, rather than a queue said not to exist.
     */
    @Override
    public boolean exists(String queueArn) {
        try {
            return locate(queueArn).isPresent();
        } catch (SdkException e) {
            String key = QueueArn.parse(queueArn).map(a -> RemoteSqsEndpoint.key(a.accountId(), a.region())).orElse("");
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Kindling could not ask the SQS"
                    + " endpoint " + Optional.ofNullable(remotes.get(key)).map(r -> r.endpoint().url().toString())
                    .orElse("") + " about " + queueArn + ": " + e.getMessage());
        }
    }

    /** Sends a message to a queue (a bucket notification's event). */
    @Override
    public void send(String queueArn, String body) {
        send(queueArn, body, Map.of());
    }

    @Override
    public void send(String queueArn, String body, Map<String, Attribute> attributes) {
        Location queue = locate(queueArn).orElseThrow(() -> new IllegalStateException("no queue " + queueArn));
        Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
        attributes.forEach((name, a) -> values.put(name, MessageAttributeValue.builder().dataType(a.dataType())
                .stringValue(a.value()).build()));
        queue.client().sendMessage(r -> r.queueUrl(queue.url()).messageBody(body).messageAttributes(values));
    }

    @Override
    public void close() {
        client.close();
        remotes.values().forEach(remote -> remote.client().close());
    }
}
