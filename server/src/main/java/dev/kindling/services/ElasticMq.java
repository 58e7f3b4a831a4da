package dev.kindling.services;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.elasticmq.server.ElasticMQServer;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;
import org.elasticmq.server.config.ElasticMQServerConfig;

/**
 * SQS, served by ElasticMQ running inside Kindling's process on a loopback-only port that only Kindling calls:
 * clients reach it through Kindling's one endpoint, which checks their signature first and forwards the request.
 * Queue URLs name Kindling's endpoint (ElasticMQ's node address). Queues and their messages are kept in an H2
 * database under {@code <data dir>/sqs}, so both survive a restart.
 */
public final class ElasticMq implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ElasticMq.class);
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final URI internalEndpoint;
    private final scala.Function0<?> shutdown;

    private ElasticMq(URI internalEndpoint, scala.Function0<?> shutdown) {
        this.internalEndpoint = internalEndpoint;
        this.shutdown = shutdown;
    }

    /**
     * Starts ElasticMQ and waits until it accepts connections.
     *
     * @param publicEndpoint Kindling's endpoint, which queue URLs name ({@code http://127.0.0.1:9000})
     * @param storage the directory of its database
     */
    public static ElasticMq start(URI publicEndpoint, Path storage, String region, String accountId)
            throws IOException, InterruptedException {
        Files.createDirectories(storage);
        int port = freeLoopbackPort();
        long started = System.nanoTime();
        String database = "jdbc:h2:" + storage.toAbsolutePath().resolve("elasticmq");
        useDatabase(database);
        ElasticMQServer server = new ElasticMQServer(new ElasticMQServerConfig(
                config(publicEndpoint, database, port, region, accountId)));
        scala.Function0<?> shutdown = server.start();
        ElasticMq mq = new ElasticMq(URI.create("http://127.0.0.1:" + port), shutdown);
        try {
            awaitListening(port);
        } catch (IOException | InterruptedException | RuntimeException e) {
            mq.close();
            throw e;
        }
        LOG.info("SQS (ElasticMQ) ready in {} ms", (System.nanoTime() - started) / 1_000_000);
        return mq;
    }

    /** Where Kindling itself reaches ElasticMQ: loopback only, no signature checked. */
    public URI internalEndpoint() {
        return internalEndpoint;
    }

    /**
     * Points ElasticMQ's database connections at {@code uri}. ElasticMQ opens its connection pool once per JVM (a
     * global of scalikejdbc) and would keep using the first server's database for every later one, as tests start
     * many servers in one JVM: the pool is replaced here before each start. Two Kindling servers running at once
     * in one JVM would share one database.
     */
    private static void useDatabase(String uri) {
        try {
            Class.forName("org.h2.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("H2, ElasticMQ's database driver, is missing from the class path", e);
        }
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        ConnectionPoolSettings settings = pools.singleton$default$4();
        pools.singleton(uri, "", "", settings, pools.singleton$default$5(uri, "", "", settings));
    }

    private static Config config(URI publicEndpoint, String database, int port, String region, String accountId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("node-address.protocol", publicEndpoint.getScheme());
        settings.put("node-address.host", publicEndpoint.getHost());
        settings.put("node-address.port", publicEndpoint.getPort());
        settings.put("node-address.context-path", "");
        settings.put("generate-node-address", false);
        settings.put("rest-sqs.enabled", true);
        settings.put("rest-sqs.bind-hostname", "127.0.0.1");
        settings.put("rest-sqs.bind-port", port);
        settings.put("rest-sqs.sqs-limits", "strict");
        settings.put("rest-stats.enabled", false);
        settings.put("aws.region", region);
        settings.put("aws.accountId", accountId);
        // Queues and messages in one H2 database: what a restart finds again.
        settings.put("messages-storage.enabled", true);
        settings.put("messages-storage.uri", database);
        settings.put("pekko.loglevel", "WARNING");
        settings.put("pekko.stdout-loglevel", "OFF");
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load(ElasticMq.class.getClassLoader()));
    }

    /** A port free now; ElasticMQ binds it a moment later (its server gives no way to learn a port it chose). */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("ElasticMQ did not start listening on 127.0.0.1:" + port + " within "
                            + START_LIMIT.toSeconds() + " s", e);
                }
                Thread.sleep(5);
            }
        }
    }

    @Override
    public void close() {
        shutdown.apply();
        ConnectionPool$.MODULE$.closeAll(); // H2 closes its files
    }
}
