package dev.kindling;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a Kindling server is started with.
 *
 * @param credentials access key id to secret access key; every API request must be signed by one of them
 * @param concurrencyLimit the account's limit of invocations in flight at once (AWS's default is 1000)
 * @param idleTimeout how long an idle execution environment is kept warm before it is reaped
 */
public record ServerConfig(
        String bind,
        int port,
        Path dataDir,
        String region,
        String accountId,
        Map<String, String> credentials,
        int concurrencyLimit,
        Duration idleTimeout) {

    public static final String DEFAULT_ACCESS_KEY = "test";
    public static final String DEFAULT_SECRET_KEY = "test";

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig("127.0.0.1", 9000, dataDir, "us-east-1", "000000000000",
                Map.of(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY), 1000, Duration.ofMinutes(10));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bind, newPort, dataDir, region, accountId, credentials, concurrencyLimit, idleTimeout);
    }

    public ServerConfig withConcurrencyLimit(int limit) {
        return new ServerConfig(bind, port, dataDir, region, accountId, credentials, limit, idleTimeout);
    }

    public ServerConfig withIdleTimeout(Duration timeout) {
        return new ServerConfig(bind, port, dataDir, region, accountId, credentials, concurrencyLimit, timeout);
    }

    public boolean isLoopback() {
        return bind.equals("127.0.0.1") || bind.equals("localhost") || bind.equals("::1") || bind.startsWith("127.");
    }
}
