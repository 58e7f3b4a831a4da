package dev.kindling;

import dev.kindling.telemetry.LogGroups;
import dev.kindling.telemetry.MetricStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a Kindling server is started with: {@link #defaults} and then the {@code with...} changes a caller
 * wants, each made through one {@link Builder}, so a new setting touches one place and no call site.
 *
 * @param credentials access key id to secret access key; every API request must be signed by one of them
 * @param concurrencyLimit the account's limit of invocations in flight at once (AWS's default is 1000)
 * @param idleTimeout how long an idle execution environment is kept warm before it is reaped
 * @param hardCpuQuota whether each environment's CPU is capped at its memory's share even on an idle host (else the
 *     share is a weight that only counts under contention)
 * @param credentialLifetime how long the credentials an environment starts with are accepted
 * @param asyncRetryDelay how long a failed asynchronous event waits before its first retry (AWS: about a minute),
 *     twice that before its second
 * @param metricsEndpoint whether GET /metrics serves the server's metrics (unsigned, as Prometheus scrapes)
 * @param logLimits each log group's size cap and default retention, and how often they are enforced
 * @param asyncMaxRunning how many asynchronous events run at once, at most (one function at most half of them):
 *     each holds its payload (up to 1 MB) in memory, so this bounds the queue's memory however many events wait
 * @param strictIam whether a function's role must exist in Kindling's IAM (else an unknown role ARN is accepted with
 *     a warning)
 * @param scheduleClock the clock EventBridge schedules run by: the system's UTC clock; tests move one of their own
 *     to see a rate or cron rule fire without waiting for its minute
 * @param sqsEndpoints other SQS endpoints, each serving the queues of one account and region (none by default)
 * @param metricRetention how long CloudWatch's per-minute metrics are kept (AWS keeps 1-minute data 15 days)
 * @param javaSettings which JDK serves which Java runtime, and whether SnapStart covers $LATEST (docs/java.md)
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
        Duration asyncRetryDelay,
        boolean metricsEndpoint,
        LogGroups.Limits logLimits,
        int asyncMaxRunning,
        boolean strictIam,
        java.time.Clock scheduleClock,
        java.util.List<dev.kindling.services.RemoteSqsEndpoint> sqsEndpoints,
        Duration metricRetention,
        dev.kindling.runtimes.JavaSettings javaSettings) {

    public static final String DEFAULT_ACCESS_KEY = "test";
    public static final String DEFAULT_SECRET_KEY = "test";

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig("127.0.0.1", 9000, dataDir, "us-east-1", "000000000000",
                Map.of(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY), 1000, Duration.ofMinutes(10), false,
                Duration.ofHours(12), Duration.ofMinutes(1), true, LogGroups.Limits.FUNCTIONS, 256, false,
                java.time.Clock.systemUTC(), java.util.List.of(),
                MetricStore.AWS_RETENTION, dev.kindling.runtimes.JavaSettings.DEFAULTS);
    }

    public ServerConfig withPort(int newPort) {
        return copy(b -> b.port = newPort);
    }

    public ServerConfig withListener(String newBind, Map<String, String> keys) {
        return copy(b -> {
            b.bind = newBind;
            b.credentials = keys;
        });
    }

    public ServerConfig withConcurrencyLimit(int limit) {
        return copy(b -> b.concurrencyLimit = limit);
    }

    public ServerConfig withIdleTimeout(Duration timeout) {
        return copy(b -> b.idleTimeout = timeout);
    }

    public ServerConfig withHardCpuQuota(boolean hard) {
        return copy(b -> b.hardCpuQuota = hard);
    }

    public ServerConfig withCredentialLifetime(Duration lifetime) {
        return copy(b -> b.credentialLifetime = lifetime);
    }

    public ServerConfig withAsyncRetryDelay(Duration delay) {
        return copy(b -> b.asyncRetryDelay = delay);
    }

    public ServerConfig withMetricsEndpoint(boolean served) {
        return copy(b -> b.metricsEndpoint = served);
    }

    public ServerConfig withLogLimits(LogGroups.Limits limits) {
        return copy(b -> b.logLimits = limits);
    }

    public ServerConfig withAsyncMaxRunning(int maxRunning) {
        return copy(b -> b.asyncMaxRunning = maxRunning);
    }

    public ServerConfig withStrictIam(boolean strict) {
        return copy(b -> b.strictIam = strict);
    }

    public ServerConfig withScheduleClock(java.time.Clock clock) {
        return copy(b -> b.scheduleClock = clock);
    }

    public ServerConfig withSqsEndpoints(java.util.List<dev.kindling.services.RemoteSqsEndpoint> endpoints) {
        return copy(b -> b.sqsEndpoints = java.util.List.copyOf(endpoints));
    }

    public ServerConfig withMetricRetention(Duration retention) {
        return copy(b -> b.metricRetention = retention);
    }

    public ServerConfig withJava(dev.kindling.runtimes.JavaSettings settings) {
        return copy(b -> b.javaSettings = settings);
    }

    public boolean isLoopback() {
        return bind.equals("127.0.0.1") || bind.equals("localhost") || bind.equals("::1") || bind.startsWith("127.");
    }

    private ServerConfig copy(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** This configuration's fields, to change by name before {@link #build}. */
    private static final class Builder {
        String bind;
        int port;
        Path dataDir;
        String region;
        String accountId;
        Map<String, String> credentials;
        int concurrencyLimit;
        Duration idleTimeout;
        boolean hardCpuQuota;
        Duration credentialLifetime;
        Duration asyncRetryDelay;
        boolean metricsEndpoint;
        LogGroups.Limits logLimits;
        int asyncMaxRunning;
        boolean strictIam;
        java.time.Clock scheduleClock;
        dev.kindling.runtimes.JavaSettings javaSettings;
        java.util.List<dev.kindling.services.RemoteSqsEndpoint> sqsEndpoints;
        Duration metricRetention;

        Builder(ServerConfig c) {
            bind = c.bind;
            port = c.port;
            dataDir = c.dataDir;
            region = c.region;
            accountId = c.accountId;
            credentials = c.credentials;
            concurrencyLimit = c.concurrencyLimit;
            idleTimeout = c.idleTimeout;
            hardCpuQuota = c.hardCpuQuota;
            credentialLifetime = c.credentialLifetime;
            asyncRetryDelay = c.asyncRetryDelay;
            metricsEndpoint = c.metricsEndpoint;
            logLimits = c.logLimits;
            asyncMaxRunning = c.asyncMaxRunning;
            strictIam = c.strictIam;
            scheduleClock = c.scheduleClock;
            javaSettings = c.javaSettings;
            sqsEndpoints = c.sqsEndpoints;
            metricRetention = c.metricRetention;
        }

        ServerConfig build() {
            return new ServerConfig(bind, port, dataDir, region, accountId, credentials, concurrencyLimit, idleTimeout,
                    hardCpuQuota, credentialLifetime, asyncRetryDelay, metricsEndpoint, logLimits, asyncMaxRunning,
                    strictIam, scheduleClock, sqsEndpoints,
                    metricRetention, javaSettings);
        }
    }
}
