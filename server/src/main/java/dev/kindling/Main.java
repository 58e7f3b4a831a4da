package dev.kindling;

import dev.kindling.sandbox.HostIsolation;
import dev.kindling.services.RemoteSqsEndpoint;
import dev.kindling.telemetry.LogGroups;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code kindling} command line. */
@Command(name = "kindling", mixinStandardHelpOptions = true, version = "kindling 0.1.0",
        description = "AWS Lambda on your own machines.",
        subcommands = {Main.Serve.class, Main.Doctor.class, UsageCommand.class})
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

        @Option(names = "--cpu-quota", defaultValue = "${env:KINDLING_CPU_QUOTA:-false}", description = "cap each environment's CPU at its memory's share (1,769 MB = one vCPU) even when the host is idle (env KINDLING_CPU_QUOTA, default false: shares count only under contention)")
        boolean hardCpuQuota;

        @Option(names = "--async-retry-delay", defaultValue = "${env:KINDLING_ASYNC_RETRY_DELAY:-60}", description = "seconds a failed asynchronous event waits before its first retry, twice that before its second (env KINDLING_ASYNC_RETRY_DELAY, default 60 as on AWS)")
        long asyncRetryDelaySeconds;

        @Option(names = "--metrics", arity = "1", defaultValue = "${env:KINDLING_METRICS:-true}", description = "serve GET /metrics for Prometheus, unsigned: function names and counts to whoever reaches the port (env KINDLING_METRICS, default true)")
        boolean metrics;

        @Option(names = "--metric-retention-days", defaultValue = "${env:KINDLING_METRIC_RETENTION_DAYS:-15}", description = "days CloudWatch's per-minute metrics are kept for GetMetricData (env KINDLING_METRIC_RETENTION_DAYS, default 15 as on AWS)")
        int metricRetentionDays;

        @Option(names = "--log-group-max-mb", defaultValue = "${env:KINDLING_LOG_GROUP_MAX_MB:-256}", description = "size cap of each log group in MB; its oldest events go first (env KINDLING_LOG_GROUP_MAX_MB, default 256)")
        long logGroupMaxMb;

        @Option(names = "--log-retention-days", defaultValue = "${env:KINDLING_LOG_RETENTION_DAYS:-0}", description = "retention of log groups without a retention policy, in days (env KINDLING_LOG_RETENTION_DAYS, default 0: until the size cap)")
        int logRetentionDays;

        @Option(names = "--strict-iam", arity = "0..1", defaultValue = "${env:KINDLING_STRICT_IAM:-false}", description = "refuse functions whose role is not in Kindling's IAM (env KINDLING_STRICT_IAM, default false: accepted with a warning)")
        boolean strictIam;

        @Option(names = "--java-home", paramLabel = "RUNTIME=JDK", description = "the JDK a Java runtime runs on, e.g."
                + " --java-home java21=/usr/lib/jvm/temurin-21-jdk-amd64 (repeatable; default: the installed JDK of the"
                + " lowest major not below the runtime's)")
        Map<String, Path> javaHomes = new java.util.HashMap<>();

        @Option(names = "--snapstart-latest", arity = "0..1", defaultValue = "${env:KINDLING_SNAPSTART_LATEST:-false}",
                description = "SnapStart (ApplyOn PublishedVersions) covers $LATEST too, not only published versions"
                + " (env KINDLING_SNAPSTART_LATEST, default false as on AWS)")
        boolean snapStartLatest;

        @Option(names = "--sqs-endpoints", description = "a JSON file naming other SQS endpoints (Amazon SQS or any"
                + " SQS-compatible service) and their credentials, each serving the queues of one account and region;"
                + " event source mappings, destinations and dead-letter queues reach those queues by ARN there (env"
                + " KINDLING_SQS_ENDPOINTS; see docs/sqs.md)")
        java.util.Optional<Path> sqsEndpoints;

        @Option(names = "--schedule-clock-start", hidden = true, description = "for tests: EventBridge schedules run by"
                + " a clock that reads this instant (e.g. 2030-01-01T11:59:55Z) when the server starts, then runs on")
        java.util.Optional<java.time.Instant> scheduleClockStart;

        @Override
        public Integer call() throws Exception {
            ServerConfig config = ServerConfig.defaults(dataDir.toAbsolutePath()).withPort(port)
                    .withListener(bind, Map.of(accessKey, secretKey)).withConcurrencyLimit(concurrencyLimit)
                    .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds)).withHardCpuQuota(hardCpuQuota)
                    .withAsyncRetryDelay(Duration.ofSeconds(asyncRetryDelaySeconds)).withMetricsEndpoint(metrics)
                    .withLogLimits(LogGroups.Limits.FUNCTIONS.withGroupBytes(logGroupMaxMb << 20)
                            .withDefaultRetentionDays(logRetentionDays > 0 ? OptionalInt.of(logRetentionDays)
                                    : OptionalInt.empty())).withStrictIam(strictIam)
                    .withMetricRetention(Duration.ofDays(metricRetentionDays))
                    .withJava(new dev.kindling.runtimes.JavaSettings(javaHomes, snapStartLatest));
            Optional<Path> endpointsFile = sqsEndpoints.or(() -> Optional.ofNullable(
                    System.getenv("KINDLING_SQS_ENDPOINTS")).filter(v -> !v.isBlank()).map(Path::of));
            if (endpointsFile.isPresent()) {
                try {
                    config = config.withSqsEndpoints(RemoteSqsEndpoint.read(endpointsFile.get()));
                } catch (IllegalArgumentException e) {
                    System.err.println("kindling: " + e.getMessage());
                    return 2;
                }
            }
            if (scheduleClockStart.isPresent()) {
                config = config.withScheduleClock(java.time.Clock.offset(java.time.Clock.systemUTC(),
                        Duration.between(java.time.Instant.now(), scheduleClockStart.get())));
            }
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
            System.out.printf("  console: %s%s%n", server.endpoint(), dev.kindling.api.ConsoleAssets.PATH);
            System.out.printf("  functions run %s%n", server.isolation().mode());
            System.out.printf("  Java: %s%n", dev.kindling.runtimes.Jdks.discover(javaHomes).describe());
            server.isolation().missingGuarantees().forEach(missing -> System.out.printf("  WARNING: %s%n", missing));
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "doctor", mixinStandardHelpOptions = true,
            description = "Say how functions would run on this host: the sandbox mode and what it cannot guarantee.")
    static final class Doctor implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "${env:KINDLING_DATA_DIR:-kindling-data}", description = "data directory (env KINDLING_DATA_DIR, default ./kindling-data)")
        Path dataDir;

        @Option(names = "--java-home", paramLabel = "RUNTIME=JDK", description = "as for the server")
        Map<String, Path> javaHomes = new java.util.HashMap<>();

        @Override
        public Integer call() {
            HostIsolation host = HostIsolation.detect();
            System.out.printf("Sandbox: functions run %s%n", host.mode());
            System.out.printf("  bubblewrap: %s%n", host.bubblewrap().map(Object::toString).orElse("not installed"));
            System.out.printf("  setpriv:    %s%n", host.setpriv().map(Object::toString).orElse("not installed"));
            System.out.printf("  root:       %s%n", host.root() ? "yes" : "no");
            System.out.printf("  cgroups:    %s%n", host.cgroups());
            System.out.printf("AWS SDKs for functions (cache %s): %s%n", dev.kindling.runtimes.SdkBundles.defaultCache(),
                    new dev.kindling.runtimes.SdkBundles(dataDir.resolve("runtimes"), dev.kindling.runtimes.SdkBundles.defaultCache()).describe());
            System.out.printf("Java runtimes: %s%n", dev.kindling.runtimes.Jdks.discover(javaHomes).describe());
            if (host.missingGuarantees().isEmpty()) {
                System.out.println("Every guarantee holds: sealed file system view, a user, PID and IPC namespace per"
                        + " environment, memory, process, open-file and CPU limits.");
                return 0;
            }
            host.missingGuarantees().forEach(missing -> System.out.printf("WARNING: %s%n", missing));
            return 1;
        }
    }
}
