package dev.kindling.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kindling.code.CodeStore;
import dev.kindling.code.MergedLayers;
import dev.kindling.iam.Identities;
import dev.kindling.iam.Identity;
import dev.kindling.pool.Environment;
import dev.kindling.pool.EnvironmentPool;
import dev.kindling.pool.Initialization;
import dev.kindling.runtimeapi.RuntimeApiServer;
import dev.kindling.runtimeapi.RuntimeOutcome;
import dev.kindling.runtimeapi.RuntimeSession;
import dev.kindling.runtimes.JavaCacheMode;
import dev.kindling.runtimes.RuntimeCatalog;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.LayerReference;
import dev.kindling.telemetry.LogGroups;
import dev.kindling.telemetry.LogStream;
import dev.kindling.telemetry.PlatformLines;
import dev.kindling.telemetry.RuntimeVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;

/**
 * Starts an execution environment: a box from the sandbox, credentials of the function's own, a Runtime API port
 * only the box's user may use, the variables AWS sets, and the runtime launched in the box with its output going to
 * the environment's log stream. The only class that knows how an environment comes to life.
 */
public final class EnvironmentStarter implements EnvironmentPool.Starter {
    private final Sandbox sandbox;
    private final CodeStore code;
    private final MergedLayers layers;
    private final RuntimeCatalog runtimes;
    private final RuntimeApiServer runtimeApi;
    private final LogGroups logs;
    private final Identities identities;
    private final String region;
    private final String endpoint;
    private final SnapStart snapStart;

    /**
     * @param endpoint Kindling's API endpoint, which functions' AWS SDKs are pointed at
     * @param snapStart the ahead-of-time caches Java functions with SnapStart start from
     */
    public EnvironmentStarter(Sandbox sandbox, CodeStore code, MergedLayers layers, RuntimeCatalog runtimes,
            RuntimeApiServer runtimeApi, LogGroups logs, Identities identities, String region, String endpoint,
            SnapStart snapStart) {
        this.snapStart = snapStart;
        this.sandbox = sandbox;
        this.code = code;
        this.layers = layers;
        this.runtimes = runtimes;
        this.runtimeApi = runtimeApi;
        this.logs = logs;
        this.identities = identities;
        this.region = region;
        this.endpoint = endpoint;
    }

    @Override
    public Environment start(FunctionRecord f, Initialization initialization) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path taskRoot = code.taskRoot(f.codeSha256Hex());
        Optional<Path> opt = f.layers().isEmpty() ? Optional.empty()
                : Optional.of(layers.merged(f.layers().stream().map(LayerReference::codeSha256Hex).toList()));
        SnapStart.Start start = snapStart.startFor(f);
        Optional<SnapStart.Cache> cache = start.cache();
        Box box = sandbox.box(id, taskRoot, opt, cache.map(SnapStart.Cache::dir)
                .orElseGet(() -> runtimes.hostRuntimeDir(f.runtime())), f.memoryMb(), f.ephemeralStorageMb());
        Box.View view = box.view();
        RuntimeCatalog.Paths paths = new RuntimeCatalog.Paths(view.taskRoot(), view.runtimeDir(), view.opt(), taskRoot,
                opt);
        Optional<String> unstartable = runtimes.entrypointProblem(f.runtime(), paths);
        RuntimeCatalog.Launch launch = runtimes.launch(new RuntimeCatalog.Function(f.runtime(), f.memoryMb(),
                f.environment()), paths, cache.isPresent() ? JavaCacheMode.USE : JavaCacheMode.NONE);
        PlatformLines platform = PlatformLines.of(f.logging().logFormat(),
                Optional.ofNullable(f.logging().systemLogLevel()));
        LogStream log = logs.open(f.logging().logGroup(), f.version(), id, cache.isPresent() ? platform.restored()
                : platform);
        // A Java command names the function's own jars and memory: its runtime version is the JDK's.
        String servedBy = runtimes.jdk(f.runtime()).map(jdk -> jdk.java() + " " + jdk.description())
                .orElseGet(() -> String.join(" ", launch.command()));
        log.initStart(RuntimeVersion.of(f.runtime(), servedBy, region),
                initialization.awsName(), f.name(), f.version());
        if (!launch.note().isEmpty()) {
            log.line(launch.note());
        }
        start.note().ifPresent(log::line);
        Identity credentials = identities.issueForFunction(f.role(), f.name());
        RuntimeSession session = new RuntimeSession();
        RuntimeApiServer.Endpoint port = runtimeApi.open(session, box.uid());
        Map<String, String> variables = EnvironmentVariables.of(f, credentials, log.name(), port.address(), view,
                sandbox.host().boxed(), launch.environment(), region, endpoint, initialization);
        if (snapStart.covers(f)) {
            variables.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"); // as AWS tells SnapStart functions
        }
        Process process = null;
        try {
            if (unstartable.isPresent()) {
                throw new IOException(unstartable.get());
            }
            process = box.launch(launch.command(), variables);
            log.capture(process.getInputStream(), "log-" + f.name() + "-" + id.substring(0, 8));
            Process started = process;
            process.onExit().thenRun(() -> {
                cache.filter(c -> crashed(started.exitValue())).ifPresent(snapStart::broken);
                session.ended(exitOutcome(box, started.exitValue()));
            });
        } catch (IOException | RuntimeException e) { // the environment exists and fails its invocation
            String error = JsonNodeFactory.instance.objectNode().put("errorMessage", e.getMessage())
                    .put("errorType", "Runtime.InvalidEntrypoint").toString();
            log.line("Error: " + e.getMessage());
            session.ended(new RuntimeOutcome(RuntimeOutcome.Kind.INIT_ERROR, "Runtime.InvalidEntrypoint",
                    error.getBytes(StandardCharsets.UTF_8)));
        }
        Process running = process;
        return new Environment(id, f, session, log,
                () -> box.peakMemoryMegabytes(running), credentials.expiration().orElseThrow(), () -> {
                    identities.revoke(credentials);
                    box.destroy(running);
                    port.close();
                    log.close();
                });
    }

    /** A JVM that aborted or faulted (134, 139): what a cache the JVM cannot read can do to it. */
    private static boolean crashed(int status) {
        return status == 134 || status == 139;
    }

    /** How the runtime's exit reads in the invocation's error, as AWS words it. */
    private static RuntimeOutcome exitOutcome(Box box, int status) {
        String type = box.outOfMemory() ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        return new RuntimeOutcome(RuntimeOutcome.Kind.EXITED, type,
                ExitStatus.describe(status).getBytes(StandardCharsets.UTF_8));
    }
}
