package dev.kindling.sandbox;

import dev.kindling.iam.Identity;
import dev.kindling.pool.Initialization;
import dev.kindling.store.FunctionRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables a function's environment starts with, named and valued as AWS sets them for each runtime, then the
 * function's own. Validation refuses the reserved ones; the rest (PATH, LANG, TZ, LD_LIBRARY_PATH, ...) are the
 * function's to change, as on AWS, except that what the runtime itself needs comes first in a path-like variable the
 * function also sets.
 */
final class EnvironmentVariables {
    private static final String XRAY_HOST = "169.254.79.129";
    private static final String XRAY_PORT = "2000";

    private EnvironmentVariables() {}

    /**
     * @param where the box's view: the code, runtime and /tmp paths the runtime sees
     * @param runtimeNeeds what the runtime's launch adds (PYTHONPATH for Python)
     * @param endpoint Kindling's own endpoint, where the function's AWS SDK finds every service
     */
    static Map<String, String> of(FunctionRecord f, Identity credentials, String logStream, String runtimeApi,
            Box.View where, boolean privateTmp, Map<String, String> runtimeNeeds, String region, String endpoint,
            Initialization initialization) {
        boolean osOnly = f.runtime().startsWith("provided");
        String task = where.taskRoot().toString();
        String runtimeDir = where.runtimeDir().toString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("_HANDLER", f.handler());
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        if (!osOnly) { // AWS leaves it unset for the OS-only runtimes
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + f.runtime());
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", f.version());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", initialization.awsName());
        env.put("AWS_LAMBDA_LOG_FORMAT", f.logging().logFormat());
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", f.logging().logGroup());
        if (f.logging().logFormat().equals("JSON")) { // AWS filters application logs by level in JSON format only
            env.put("AWS_LAMBDA_LOG_LEVEL", f.logging().applicationLogLevel() != null
                    ? f.logging().applicationLogLevel() : "INFO");
        }
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_ACCESS_KEY", credentials.accessKeyId());
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", credentials.sessionToken().orElseThrow());
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        env.put("AWS_XRAY_DAEMON_ADDRESS", XRAY_HOST + ":" + XRAY_PORT);
        env.put("_AWS_XRAY_DAEMON_ADDRESS", XRAY_HOST);
        env.put("_AWS_XRAY_DAEMON_PORT", XRAY_PORT);
        env.put("LAMBDA_TASK_ROOT", task);
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("PWD", task);
        String opt = where.opt().toString();
        String libraries = "/lib64:/usr/lib64:" + runtimeDir + ":" + runtimeDir + "/lib:" + task + ":" + task
                + "/lib:" + opt + "/lib";
        String path = "/usr/local/bin:/usr/bin/:/bin:" + opt + "/bin";
        env.put("PATH", osOnly ? path : "/var/lang/bin:" + path);
        env.put("LD_LIBRARY_PATH", osOnly ? libraries : "/var/lang/lib:" + libraries);
        if (f.runtime().startsWith("nodejs")) {
            String major = f.runtime().replaceAll("\\D", "");
            env.put("NODE_PATH", opt + "/nodejs/node" + major + "/node_modules:" + opt + "/nodejs/node_modules:" + runtimeDir
                    + "/node_modules:" + runtimeDir + ":" + task);
        }
        if (!privateTmp) { // a plain process shares the host's /tmp: give it a directory of its own instead
            env.put("TMPDIR", where.tmp().toString());
        }
        env.putAll(f.environment());
        runtimeNeeds.forEach((name, value) -> env.merge(name, value, (own, needed) -> needed + ":" + own));
        return env;
    }
}
