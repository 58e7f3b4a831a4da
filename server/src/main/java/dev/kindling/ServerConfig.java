package dev.kindling;

import dev.kindling.telemetry.LogGroups;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a Kindling server is started with.
 *
 * @param credentials access key id to secret access key; every API request must be signed by one of them
 * @param concurrencyLimit the account's limit of invocations in flight at once (AWS's default is 1000)
 * @param idleTimeout how long an idle execution environment is kept warm before it is reaped
 * @param hardCpuQuota whether each environment's CPU is capped at its memory's share even on an idle host (else the
 *     share is a weight that only counts under contention)
 * @param credentialLifetime how long the credentials an environment starts with are accepted
 * @param logLimits each log group's size cap and default retention, and how often they are enforced
 */
public record ServerConfig(
        String bind,
        int port,
        Path dataDir,
        String region,
        String accountId,
        Map<String, String> credentials,
        int concurrencyLimit,
        Duration idleTimeout,
        boolean hardCpuQuota,
        Duration credentialLifetime,
        LogGroups.Limits logLimits) {

    public static final String DEFAULT_ACCESS_KEY = "test";
    public static final String DEFAULT_SECRET_KEY = "test";

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig("127.0.0.1", 9000, dataDir, "us-east-1", "000000000000",
                Map.of(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY), 1000, Duration.ofMinutes(10), false,
                Duration.ofHours(12), LogGroups.Limits.FUNCTIONS);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bind, newPort, dataDir, region, accountId, credentials, concurrencyLimit, idleTimeout,
                hardCpuQuota, credentialLifetime, logLimits);
    }

    public ServerConfig withListener(String newBind, Map<String, String> keys) {
        return new ServerConfig(newBind, port, dataDir, region, accountId, keys, concurrencyLimit, idleTimeout,
                hardCpuQuota, credentialLifetime, logLimits);
    }

    public ServerConfig withConcurrencyLimit(int limit) {
        return new ServerConfig(bind, port, dataDir, region, accountId, credentials, limit, idleTimeout,
                hardCpuQuota, credentialLifetime, logLimits);
    }

    public ServerConfig withIdleTimeout(Duration timeout) {
        return new ServerConfig(bind, port, dataDir, region, accountId, credentials, concurrencyLimit, timeout,
                hardCpuQuota, credentialLifetime, logLimits);
    }

    public ServerConfig withHardCpuQuota(boolean hard) {
        return new ServerConfig(bind, port, dataDir, region, accountId, credentials, concurrencyLimit, idleTimeout,
                hard, credentialLifetime, logLimits);
    }

    public ServerConfig withCredentialLifetime(Duration lifetime) {
        return new ServerConfig(bind, port, dataDir, region, accountId, credentials, concurrencyLimit, idleTimeout,
                hardCpuQuota, lifetime, logLimits);
    }

    public ServerConfig withLogLimits(LogGroups.Limits limits) {
        return new ServerConfig(bind, port, dataDir, region, accountId, credentials, concurrencyLimit, idleTimeout,
                hardCpuQuota, credentialLifetime, limits);
    }

    public boolean isLoopback() {
        return bind.equals("127.0.0.1") || bind.equals("localhost") || bind.equals("::1") || bind.startsWith("127.");
    }
}
