package dev.kindling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A real Kindling server for one test class, on a free port with a fresh data directory, and an AWS SDK client
 * for it. Register it with {@code @RegisterExtension static final RunningServer kindling = new RunningServer();}.
 */
final class RunningServer implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<ServerConfig> settings;
    private Path root;
    private KindlingServer server;
    private LambdaClient lambda;

    RunningServer() {
        this(UnaryOperator.identity());
    }

    /** A server whose configuration {@code settings} adjusts from the defaults (port and data directory are set). */
    RunningServer(UnaryOperator<ServerConfig> settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        root = Files.createTempDirectory("kindling-test");
        server = KindlingServer.start(settings.apply(ServerConfig.defaults(dataDir()).withPort(0)));
        lambda = ServerFixture.client(server);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            lambda.close();
            server.close();
        } finally {
            deleteTree(root);
        }
    }

    KindlingServer server() {
        return server;
    }

    LambdaClient lambda() {
        return lambda;
    }

    /** A directory of the test's own; the server's data directory is {@code root()/data}. */
    Path root() {
        return root;
    }

    Path dataDir() {
        return root.resolve("data");
    }

    /** Every message in a function's log group so far, one per line: its log streams one after another. */
    String logGroup(String functionName) {
        return dev.kindling.telemetry.LogGroups.text(dataDir().resolve("logs"), "/aws/lambda/" + functionName);
    }

    /** Deletes the test's files, including the task roots the code store made read-only. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.peek(p -> p.toFile().setWritable(true)).sorted(Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
