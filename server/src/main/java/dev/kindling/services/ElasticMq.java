package dev.kindling.services;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

/**
 * SQS, served by ElasticMQ running inside Kindling's process on a loopback-only port that only Kindling calls:
 * clients reach it through Kindling's one endpoint, which checks their signature first and forwards the request.
 * Queue URLs name Kindling's endpoint (ElasticMQ's node address). Queues and their messages are kept in an H2
 * database under {@code <data dir>/sqs}, so both survive a restart.
 *
 * <p>ElasticMQ takes 1.5-3 s and about 100 MB to start, so it starts when SQS is first used ({@link #ensureStarted}),
 * or in the background at the server's start when the data directory already holds queues: a server whose users
 * never touch SQS never pays for it.
 */
public final class ElasticMq implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ElasticMq.class);
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final String DATABASE_FILE = "elasticmq.mv.db";

    private final URI publicEndpoint;
    private final Path storage;
    private final String region;
    private final String accountId;
    private final int port;
    private volatile scala.Function0<?> shutdown; // once started
    private boolean closed; // guarded by this

    private ElasticMq(URI publicEndpoint, Path storage, String region, String accountId, int port) {
        this.publicEndpoint = publicEndpoint;
        this.storage = storage;
        this.region = region;
        this.accountId = accountId;
        this.port = port;
    }

    /**
     * ElasticMQ for this server, its port chosen but not started.
     *
     * @param publicEndpoint Kindling's endpoint, which queue URLs name ({@code http://127.0.0.1:9000})
     * @param storage the directory of its database
     */
    public static ElasticMq onDemand(URI publicEndpoint, Path storage, String region, String accountId)
            throws IOException {
        return new ElasticMq(publicEndpoint, storage, region, accountId, freeLoopbackPort());
    }

    /** Starts it now in the background if the data directory holds queues from an earlier run (mappings poll them). */
    public void startInBackgroundIfUsed() {
        if (Files.exists(storage.resolve(DATABASE_FILE))) {
            Thread.ofVirtual().name("sqs-start").start(() -> {
                try {
                    ensureStarted();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("SQS (ElasticMQ) could not start: {}", e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Starts ElasticMQ unless it runs already, and waits until it accepts connections. */
    public void ensureStarted() throws IOException, InterruptedException {
        if (shutdown != null) {
            return;
        }
        synchronized (this) {
            if (shutdown != null) {
                return;
            }
            if (closed) {
                throw new IOException("the server is stopping");
            }
            Files.createDirectories(storage);
            long started = System.nanoTime();
            String database = "jdbc:h2:" + storage.toAbsolutePath().resolve("elasticmq");
            useDatabase(database);
            int storedQueues = storedQueues(database);
            ElasticMQServer server = new ElasticMQServer(new ElasticMQServerConfig(
                    config(publicEndpoint, database, port, region, accountId)));
            scala.Function0<?> stop = server.start();
            try {
                awaitListening(port);
                awaitRestored(storedQueues);
            } catch (IOException | InterruptedException | RuntimeException e) {
                stop.apply();
                throw e;
            }
            shutdown = stop;
            LOG.info("SQS (ElasticMQ) ready in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Where Kindling itself reaches ElasticMQ once started: loopback only, no signature checked. */
    public URI internalEndpoint() {
        return URI.create("http://127.0.0.1:" + port);
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

    /** How many queues an earlier run left in the database (none if there is no database). */
    private int storedQueues(String database) {
        if (!Files.exists(storage.resolve(DATABASE_FILE))) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM QUEUE")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            return 0; // no queue table yet: nothing to wait for
        }
    }

    /**
     * Waits until ElasticMQ lists the queues it restores from its database: it restores them after it starts
     * listening, and a request in between would find no queue.
     */
    private void awaitRestored(int storedQueues) throws IOException, InterruptedException {
        if (storedQueues == 0) {
            return;
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest list = HttpRequest.newBuilder(
                internalEndpoint().resolve("/?Action=ListQueues")).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            String answer = http.send(list, HttpResponse.BodyHandlers.ofString()).body();
            if (answer.split("<QueueUrl>", -1).length - 1 >= storedQueues) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("ElasticMQ did not restore its " + storedQueues + " queues within "
                + START_LIMIT.toSeconds() + " s");
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
    public synchronized void close() {
        closed = true;
        if (shutdown != null) {
            shutdown.apply();
            ConnectionPool$.MODULE$.closeAll(); // H2 closes its files
        }
    }
}
