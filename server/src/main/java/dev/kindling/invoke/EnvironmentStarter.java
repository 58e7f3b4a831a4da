package dev.kindling.invoke;

import dev.kindling.ServerConfig;
import dev.kindling.code.CodeStore;
import dev.kindling.pool.Environment;
import dev.kindling.pool.EnvironmentPool;
import dev.kindling.runtimeapi.RuntimeApiServer;
import dev.kindling.runtimeapi.RuntimeOutcome;
import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.runtimes.RuntimeCatalog;
import dev.kindling.sandbox.ProcessLauncher;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.LogStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Starts an execution environment: opens its Runtime API port, sets the environment variables AWS sets, and
 * launches the runtime in the function's unpacked code with its output going to the environment's log stream.
 */
final class EnvironmentStarter implements EnvironmentPool.Starter {
    private final ServerConfig config;
    private final CodeStore code;
    private final RuntimeCatalog runtimes;
    private final RuntimeApiServer runtimeApi;
    private final ProcessLauncher launcher = new ProcessLauncher();
    private final Path logDir;

    EnvironmentStarter(ServerConfig config, CodeStore code, RuntimeCatalog runtimes, RuntimeApiServer runtimeApi) {
        this.config = config;
        this.code = code;
        this.runtimes = runtimes;
        this.runtimeApi = runtimeApi;
        this.logDir = config.dataDir().resolve("logs");
    }

    @Override
    public Environment start(FunctionRecord f) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "");
        String stream = LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[$LATEST]" + id;
        Path taskRoot = code.taskRoot(f.codeSha256Hex());
        RuntimeCatalog.Launch launch = runtimes.launch(f.runtime(), taskRoot);
        RuntimeSession session = new RuntimeSession();
        RuntimeApiServer.Endpoint endpoint = runtimeApi.open(session);
        Path tmp = config.dataDir().resolve("environments").resolve(id).resolve("tmp");
        Files.createDirectories(tmp);
        LogStream log = new LogStream(logDir.resolve(f.name())
                .resolve(stream.replace('/', '-').replace("[$LATEST]", "LATEST-") + ".log"), stream);
        if (!launch.note().isEmpty()) {
            log.line(launch.note());
        }
        Process process;
        try {
            process = launcher.launch(launch.command(), variables(f, stream, endpoint.address(), taskRoot, launch, tmp),
                    taskRoot, log.file());
        } catch (Exception e) {
            endpoint.close();
            session.ended(new RuntimeOutcome(RuntimeOutcome.Kind.INIT_ERROR, "Runtime.InvalidEntrypoint",
                    ("{\"errorType\":\"Runtime.InvalidEntrypoint\",\"errorMessage\":\"Couldn't start the runtime: "
                            + e.getMessage().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8)));
            return new Environment(id, f.name(), f.revisionId(), session, log, -1, () -> {
                endpoint.close();
                log.close();
            });
        }
        process.onExit().thenRun(() -> session.ended(new RuntimeOutcome(RuntimeOutcome.Kind.EXITED,
                "Runtime.ExitError", ("exit status " + process.exitValue()).getBytes(StandardCharsets.UTF_8))));
        return new Environment(id, f.name(), f.revisionId(), session, log, process.pid(), () -> {
            ProcessLauncher.killTree(process);
            endpoint.close();
            log.close();
            deleteQuietly(tmp.getParent());
        });
    }

    private Map<String, String> variables(FunctionRecord f, String stream, String runtimeApi, Path taskRoot,
            RuntimeCatalog.Launch launch, Path tmp) {
        Map<String, String> env = new HashMap<>(f.environment());
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
        return env;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a leftover temp directory is harmless and goes with the data directory
        }
    }
}
