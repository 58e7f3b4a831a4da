package dev.kindling;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code kindling} command line. */
@Command(name = "kindling", mixinStandardHelpOptions = true, version = "kindling 0.1.0",
        description = "AWS Lambda on your own machines.", subcommands = Main.Serve.class)
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Run the Kindling server: the Lambda API and the functions it runs.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "${env:KINDLING_PORT:-9000}", description = "port (env KINDLING_PORT, default 9000)")
        int port;

        @Option(names = "--bind", defaultValue = "${env:KINDLING_BIND:-127.0.0.1}", description = "address to listen on (env KINDLING_BIND, default 127.0.0.1)")
        String bind;

        @Option(names = "--data-dir", defaultValue = "${env:KINDLING_DATA_DIR:-kindling-data}", description = "data directory (env KINDLING_DATA_DIR, default ./kindling-data)")
        Path dataDir;

        @Option(names = "--access-key", defaultValue = "${env:KINDLING_ACCESS_KEY_ID:-test}", description = "access key id clients sign with (env KINDLING_ACCESS_KEY_ID, default test)")
        String accessKey;

        @Option(names = "--secret-key", defaultValue = "${env:KINDLING_SECRET_ACCESS_KEY:-test}", description = "its secret (env KINDLING_SECRET_ACCESS_KEY, default test)")
        String secretKey;

        @Option(names = "--concurrency-limit", defaultValue = "${env:KINDLING_CONCURRENCY_LIMIT:-1000}", description = "invocations in flight at once, account-wide (env KINDLING_CONCURRENCY_LIMIT, default 1000)")
        int concurrencyLimit;

        @Option(names = "--idle-timeout", defaultValue = "${env:KINDLING_IDLE_TIMEOUT:-600}", description = "seconds an idle environment stays warm (env KINDLING_IDLE_TIMEOUT, default 600)")
        long idleTimeoutSeconds;

        @Override
        public Integer call() throws Exception {
            ServerConfig config = new ServerConfig(bind, port, dataDir.toAbsolutePath(), "us-east-1", "000000000000",
                    Map.of(accessKey, secretKey), concurrencyLimit, Duration.ofSeconds(idleTimeoutSeconds));
            KindlingServer server;
            try {
                server = KindlingServer.start(config);
            } catch (IllegalArgumentException e) {
                System.err.println("kindling: " + e.getMessage());
                return 2;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("kindling: error while stopping: " + e);
                } finally {
                    stopped.countDown();
                }
            }, "shutdown"));
            System.out.printf("Kindling is ready at %s (data in %s)%n", server.endpoint(), config.dataDir());
            System.out.printf("  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s%n",
                    accessKey, accessKey.equals(ServerConfig.DEFAULT_ACCESS_KEY) ? secretKey : "<your secret>",
                    config.region());
            System.out.printf("  aws --endpoint-url %s lambda list-functions%n", server.endpoint());
            System.out.flush();
            stopped.await();
            return 0;
        }
    }
}
