package dev.kindling.invoke;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kindling.ServerConfig;
import dev.kindling.code.CodeStore;
import dev.kindling.pool.Environment;
import dev.kindling.pool.EnvironmentPool;
import dev.kindling.runtimeapi.RuntimeApiServer;
import dev.kindling.runtimeapi.RuntimeOutcome;
import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.runtimes.RuntimeCatalog;
import dev.kindling.sandbox.MemoryUsage;
import dev.kindling.sandbox.ProcessLauncher;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.LogGroups;
import dev.kindling.telemetry.LogStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Starts an execution environment: opens its Runtime API port, sets the environment variables AWS sets, and
 * launches the runtime in the function's unpacked code with its output going to the environment's log stream.
 */
final class EnvironmentStarter implements EnvironmentPool.Starter, AutoCloseable {
    /** A function keeps 256 MB of logs, its oldest streams going first; a stream's file is moved aside at 16 MB. */
    private static final LogGroups.Limits LOG_LIMITS = new LogGroups.Limits(256L << 20, 16L << 20,
            Duration.ofSeconds(5), Duration.ofSeconds(1));
    private final ServerConfig config;
    private final CodeStore code;
    private final RuntimeCatalog runtimes;
    private final RuntimeApiServer runtimeApi;
    private final ProcessLauncher launcher = new ProcessLauncher();
    private final LogGroups logs;
    private final Path environmentsDir;

    EnvironmentStarter(ServerConfig config, CodeStore code, RuntimeCatalog runtimes, RuntimeApiServer runtimeApi) {
        this.config = config;
        this.code = code;
        this.runtimes = runtimes;
        this.runtimeApi = runtimeApi;
        this.logs = new LogGroups(config.dataDir().resolve("logs"), LOG_LIMITS);
        this.environmentsDir = config.dataDir().resolve("environments");
        deleteQuietly(environmentsDir); // scratch space of environments a crash left behind
    }

    @Override
    public Environment start(FunctionRecord f) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path taskRoot = code.taskRoot(f.codeSha256Hex());
        RuntimeCatalog.Launch launch = runtimes.launch(f.runtime(), taskRoot);
        Path scratch = environmentsDir.resolve(id);
        Path tmp = Files.createDirectories(scratch.resolve("tmp"));
        LogStream log = logs.open(f.name(), "$LATEST", id);
        if (!launch.note().isEmpty()) {
            log.line(launch.note());
        }
        RuntimeSession session = new RuntimeSession();
        RuntimeApiServer.Endpoint endpoint = runtimeApi.open(session);
        Process process = null;
        try {
            process = launcher.launch(launch.command(), variables(f, log.name(), endpoint.address(), taskRoot, launch,
                    tmp), taskRoot, log.file());
            Process started = process;
            process.onExit().thenRun(() -> session.ended(new RuntimeOutcome(RuntimeOutcome.Kind.EXITED,
                    "Runtime.ExitError", ("exit status " + started.exitValue()).getBytes(StandardCharsets.UTF_8))));
        } catch (IOException | RuntimeException e) { // the environment exists and fails its invocation
            String error = JsonNodeFactory.instance.objectNode()
                    .put("errorMessage", "Couldn't start the runtime: " + e.getMessage())
                    .put("errorType", "Runtime.InvalidEntrypoint").toString();
            session.ended(new RuntimeOutcome(RuntimeOutcome.Kind.INIT_ERROR, "Runtime.InvalidEntrypoint",
                    error.getBytes(StandardCharsets.UTF_8)));
        }
        Process running = process;
        LongSupplier peakMemory = () -> running == null ? 0 : MemoryUsage.peakMegabytes(running.pid());
        return new Environment(id, f.name(), f.revisionId(), session, log, peakMemory, () -> {
            if (running != null) {
                ProcessLauncher.killTree(running);
            }
            endpoint.close();
            log.close();
            deleteQuietly(scratch);
        });
    }

    /**
     * The variables AWS sets, then the function's own: validation refuses the reserved ones, and the rest (PATH,
     * LANG, TZ, LD_LIBRARY_PATH, ...) are the function's to change, as on AWS. What the runtime itself needs comes
     * first in a path-like variable the function also sets.
     */
    private Map<String, String> variables(FunctionRecord f, String stream, String runtimeApi, Path taskRoot,
            RuntimeCatalog.Launch launch, Path tmp) {
        Map<String, String> env = new HashMap<>();
        String access = config.credentials().keySet().iterator().next();
        env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", f.logging().logGroup());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", stream);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", config.region());
        env.put("AWS_DEFAULT_REGION", config.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + f.runtime());
        env.put("AWS_ACCESS_KEY_ID", access);
        env.put("AWS_SECRET_ACCESS_KEY", config.credentials().get(access));
        env.put("AWS_SESSION_TOKEN", "kindling");
        env.put("_HANDLER", f.handler());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", launch.runtimeDir().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("LD_LIBRARY_PATH", "/lib64:/usr/lib64:" + taskRoot + ":" + taskRoot + "/lib:/opt/lib");
        env.put("TMPDIR", tmp.toString());
        env.putAll(f.environment());
        launch.environment().forEach((name, value) -> env.merge(name, value, (own, needed) -> needed + ":" + own));
        return env;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a leftover temp directory is harmless and goes with the data directory
        }
    }

    @Override
    public void close() {
        logs.close();
    }
}
