package dev.kindling.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lines Lambda itself writes around invocations, in the function's log format (LoggingConfig.LogFormat): in Text,
 * {@code START}, {@code END}, {@code REPORT} and {@code INIT_REPORT} lines; in JSON, records of the Telemetry API's
 * types ({@code platform.start}, {@code platform.runtimeDone}, {@code platform.report}, {@code platform.initReport}),
 * which a SystemLogLevel of WARN leaves out as AWS does (they are INFO records).
 */
public final class PlatformLines {
    /** AWS's default: Text, every platform line. */
    public static final PlatformLines TEXT = new PlatformLines(false, true, false);

    private final boolean json;
    private final boolean shown;
    private final boolean restored;

    private PlatformLines(boolean json, boolean shown, boolean restored) {
        this.json = json;
        this.shown = shown;
        this.restored = restored;
    }

    /**
     * These lines for an environment restored from a SnapStart snapshot (for Java, its ahead-of-time cache): its first
     * REPORT says {@code Restore Duration} and {@code Billed Restore Duration} where others say Init Duration, as AWS
     * reports SnapStart functions.
     */
    public PlatformLines restored() {
        return new PlatformLines(json, shown, true);
    }

    /**
     * @param logFormat {@code Text} or {@code JSON}
     * @param systemLogLevel DEBUG, INFO or WARN; empty: INFO (what AWS applies to JSON-format functions)
     */
    public static PlatformLines of(String logFormat, java.util.Optional<String> systemLogLevel) {
        if (!"JSON".equals(logFormat)) {
            return TEXT;
        }
        return new PlatformLines(true, !systemLogLevel.orElse("INFO").equals("WARN"), false);
    }

    /**
     * The first line of an environment's stream, before its init runs.
     *
     * @param initializationType {@code on-demand} or {@code provisioned-concurrency}
     */
    List<String> initStart(RuntimeVersion runtime, String initializationType, String functionName,
            String functionVersion) {
        if (!json) {
            return List.of("INIT_START Runtime Version: " + runtime.version() + "\tRuntime Version ARN: "
                    + runtime.arn());
        }
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("initializationType", initializationType)
                .put("phase", "init").put("runtimeVersion", runtime.version()).put("runtimeVersionArn", runtime.arn())
                .put("functionName", functionName).put("functionVersion", functionVersion);
        return shown ? List.of(record("platform.initStart", record)) : List.of();
    }

    List<String> start(String requestId, String version) {
        if (!json) {
            return List.of("START RequestId: " + requestId + " Version: " + version);
        }
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("requestId", requestId).put("version", version);
        return shown ? List.of(record("platform.start", record)) : List.of();
    }

    /**
     * @param initDurationMillis the init phase of a cold start, or a negative number for a warm invocation
     * @param traced the invocation's trace for a function with Active tracing: AWS adds it to the REPORT event
     */
    List<String> end(String requestId, double durationMillis, int memoryMb, long maxMemoryUsedMb,
            double initDurationMillis, Optional<TraceHeader> traced) {
        long billed = BilledDuration.millis(durationMillis, initDurationMillis);
        if (!json) {
            StringBuilder report = new StringBuilder("REPORT RequestId: ").append(requestId)
                    .append("\tDuration: ").append(twoDecimals(durationMillis)).append(" ms")
                    .append("\tBilled Duration: ").append(billed).append(" ms")
                    .append("\tMemory Size: ").append(memoryMb).append(" MB")
                    .append("\tMax Memory Used: ").append(maxMemoryUsedMb).append(" MB");
            if (initDurationMillis >= 0 && restored) {
                report.append("\tRestore Duration: ").append(twoDecimals(initDurationMillis)).append(" ms")
                        .append("\tBilled Restore Duration: ").append((long) Math.ceil(initDurationMillis)).append(" ms");
            } else if (initDurationMillis >= 0) {
                report.append("\tInit Duration: ").append(twoDecimals(initDurationMillis)).append(" ms");
            }
            report.append('\t');
            traced.ifPresent(trace -> report.append('\n').append(trace.reportLine()));
            return List.of("END RequestId: " + requestId, report.toString());
        }
        if (!shown) {
            return List.of();
        }
        ObjectNode done = JsonNodeFactory.instance.objectNode().put("requestId", requestId);
        done.putObject("metrics").put("durationMs", round(durationMillis));
        ObjectNode report = JsonNodeFactory.instance.objectNode().put("requestId", requestId);
        ObjectNode metrics = report.putObject("metrics").put("durationMs", round(durationMillis))
                .put("billedDurationMs", billed).put("memorySizeMB", memoryMb).put("maxMemoryUsedMB", maxMemoryUsedMb);
        if (initDurationMillis >= 0 && restored) {
            metrics.put("restoreDurationMs", round(initDurationMillis))
                    .put("billedRestoreDurationMs", (long) Math.ceil(initDurationMillis));
        } else if (initDurationMillis >= 0) {
            metrics.put("initDurationMs", round(initDurationMillis));
        }
        traced.ifPresent(trace -> report.putObject("tracing").put("type", "X-Amzn-Trace-Id").put("value", trace.value()));
        return List.of(record("platform.runtimeDone", done), record("platform.report", report));
    }

    /** @param status AWS's words: {@code timeout}, or {@code error} and a tab and {@code Error Type: <type>} */
    List<String> initReport(double initDurationMillis, String phase, String status) {
        if (!json) {
            return List.of("INIT_REPORT Init Duration: " + twoDecimals(initDurationMillis) + " ms\tPhase: " + phase
                    + "\tStatus: " + status);
        }
        if (!shown) {
            return List.of();
        }
        int tab = status.indexOf('\t');
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("phase", phase)
                .put("status", tab < 0 ? status : status.substring(0, tab));
        if (tab >= 0) {
            record.put("errorType", status.substring(tab + 1).replaceFirst("^Error Type: ", ""));
        }
        record.putObject("metrics").put("durationMs", round(initDurationMillis));
        return List.of(record("platform.initReport", record));
    }

    private static String record(String type, ObjectNode record) {
        ObjectNode line = JsonNodeFactory.instance.objectNode().put("time", Instant.now().toString()).put("type", type);
        line.set("record", record);
        return line.toString();
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }

    /** {@code millis} with two decimals, rounded half up ({@code String.format} costs a tenth of a REPORT line). */
    static String twoDecimals(double millis) {
        long hundredths = Math.round(millis * 100);
        long fraction = Math.abs(hundredths % 100);
        String sign = hundredths < 0 && hundredths > -100 ? "-" : "";
        return sign + hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
