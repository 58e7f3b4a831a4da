package dev.kindling.javaruntime;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Java runtime's entry point inside an environment. Init: load the handler named by _HANDLER from the class path
 * (the function's code, its lib/ jars and its layers' java/lib jars are on it, so an ahead-of-time cache covers them
 * too) and build it once. Then loop on the Runtime API: next invocation, handler, response or error. An init failure
 * is reported to /init/error and ends the process, as on AWS.
 *
 * <p>With {@code _KINDLING_SNAPSTART_TRAINING} set, it only runs the init phase and exits: the JVM then writes the
 * ahead-of-time cache of what init loaded (Kindling's SnapStart).
 */
public final class Bootstrap {
    static final String TRAINING = "_KINDLING_SNAPSTART_TRAINING";
    static final String CACHE = "_KINDLING_SNAPSTART_CACHE";

    private final Map<String, String> env;
    private final PrintStream out;

    Bootstrap(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        new Bootstrap(env, System.out).run();
    }

    private void run() {
        FunctionLogger logger = new FunctionLogger(out, env.get("AWS_LAMBDA_LOG_FORMAT"),
                env.get("AWS_LAMBDA_LOG_LEVEL"));
        sayCacheUse();
        ClassLoader loader = Bootstrap.class.getClassLoader();
        Serialization serialization = new Serialization(loader);
        String handlerName = env.getOrDefault("_HANDLER", "");
        HandlerLoader.Loaded loaded;
        try {
            loaded = new HandlerLoader(loader, serialization).load(handlerName);
        } catch (Throwable t) {
            initFailed(t);
            return;
        }
        if (env.containsKey(TRAINING)) {
            train(serialization, loaded);
            return;
        }
        Handler handler = loaded.handler;
        RuntimeApiClient api = new RuntimeApiClient(env.get("AWS_LAMBDA_RUNTIME_API"));
        InvocationContext.Function function = new InvocationContext.Function(env, logger);
        try {
            loop(api, handler, function, logger, serialization);
        } catch (IOException e) {
            out.println("Kindling: the Runtime API failed: " + e);
            out.flush();
            System.exit(1);
        }
    }

    private void loop(RuntimeApiClient api, Handler handler, InvocationContext.Function function,
            FunctionLogger logger, Serialization serialization) throws IOException {
        ByteArrayOutputStream result = new ByteArrayOutputStream(4096);
        while (true) {
            RuntimeApiClient.Answer next = api.next();
            String requestId = next.header("Lambda-Runtime-Aws-Request-Id");
            String trace = next.header("Lambda-Runtime-Trace-Id");
            if (trace != null) {
                System.setProperty("com.amazonaws.xray.traceHeader", trace);
            } else {
                System.clearProperty("com.amazonaws.xray.traceHeader");
            }
            logger.requestId(requestId);
            Context context = new InvocationContext(function, next,
                    jsonHeader(serialization, next.header("Lambda-Runtime-Cognito-Identity")),
                    jsonHeader(serialization, next.header("Lambda-Runtime-Client-Context")));
            result.reset();
            Throwable failure = null;
            try {
                handler.invoke(new ByteArrayInputStream(next.body), result, context);
            } catch (Throwable t) {
                failure = t;
            }
            System.out.flush();
            System.err.flush();
            if (failure == null) {
                api.respond(requestId, result.toByteArray());
            } else {
                byte[] error = ErrorReport.json(failure);
                logError(error);
                api.reportError(requestId, ErrorReport.type(failure), error);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonHeader(Serialization serialization, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            Object parsed = serialization.read(new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)),
                    Map.class);
            return parsed instanceof Map ? (Map<String, Object>) parsed : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void initFailed(Throwable t) {
        byte[] error = ErrorReport.json(t);
        logError(error);
        if (env.containsKey(TRAINING)) {
            System.exit(1);
        }
        try {
            new RuntimeApiClient(env.get("AWS_LAMBDA_RUNTIME_API")).reportInitError(ErrorReport.type(t), error);
        } catch (IOException e) {
            out.println("Kindling: could not report the init error: " + e);
        }
        out.flush();
        System.exit(1);
    }

    /** The error as one log event, as AWS's runtime logs it. */
    private void logError(byte[] error) {
        out.println(new String(error, StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Warms what every invocation uses besides the handler (the serializers of its types, the plain JSON path, the
     * error report), so the cache covers it, then exits normally: the JVM writes its cache at exit.
     */
    private void train(Serialization serialization, HandlerLoader.Loaded loaded) {
        loaded.types.forEach(serialization::prepare);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        serialization.write(serialization.read(new ByteArrayInputStream("{\"a\":[1,\"b\",true]}".getBytes(
                StandardCharsets.UTF_8)), Map.class), Map.class, sink);
        serialization.write("warm", String.class, sink);
        ErrorReport.json(new IllegalStateException("warm"));
        out.println("Kindling SnapStart: init done, writing the cache");
        out.flush();
        System.exit(0);
    }

    /**
     * Says whether the ahead-of-time cache this JVM was started with is in use: the JVM maps a cache it accepts, and
     * ignores one that is stale or broken (then this start is a normal one).
     */
    private void sayCacheUse() {
        String cache = env.get(CACHE);
        if (cache == null || env.containsKey(TRAINING)) {
            return;
        }
        boolean mapped;
        try {
            mapped = Files.readString(Path.of("/proc/self/maps")).contains(cache);
        } catch (IOException | RuntimeException e) {
            mapped = false;
        }
        out.println(mapped ? "Kindling SnapStart: restored from the cache " + cache
                : "Kindling SnapStart: the cache " + cache + " is stale or broken and was ignored; started without it");
        out.flush();
    }
}
