package dev.kindling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import dev.kindling.services.RemoteSqsEndpoint;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A second SQS endpoint, apart from Kindling's: a standalone ElasticMQ (in memory, on a loopback port of its own)
 * serving the queues of another account in another region, as Amazon SQS or a team's own queue service would.
 */
final class StandaloneSqs implements AutoCloseable {
    static final String ACCOUNT = "111111111111";
    static final String REGION = "eu-west-1";

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    StandaloneSqs() {
        this(freePort());
    }

    /** On a given port: a restart of an endpoint that went away (its queues, kept in memory, went with it). */
    StandaloneSqs(int port) {
        endpoint = URI.create("http://127.0.0.1:" + port);
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).withAWSAccountId(ACCOUNT)
                .withAWSRegion(REGION).withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
        server.waitUntilStarted();
        client = SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("other", "other")))
                .httpClient(ApacheHttpClient.builder().build()).build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** This endpoint as Kindling's --sqs-endpoints would name it, with keys of its own. */
    RemoteSqsEndpoint asRemote() {
        return new RemoteSqsEndpoint(ACCOUNT, REGION, endpoint,
                new RemoteSqsEndpoint.Keys("remote-key", "remote-secret", java.util.Optional.empty()));
    }

    /** A client of this endpoint, as a producer on the other side would use. */
    SqsClient client() {
        return client;
    }

    static String arn(String queue) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queue;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
