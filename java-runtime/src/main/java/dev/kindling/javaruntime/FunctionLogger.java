package dev.kindling.javaruntime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The LambdaLogger handed to handlers: each message is one event of the function's log (its inner line breaks
 * become carriage returns, which the log keeps within one event), in the function's LogFormat. In JSON format a
 * message below the function's application log level is dropped, as AWS does.
 */
final class FunctionLogger implements LambdaLogger {
    private final PrintStream out;
    private final boolean json;
    private final LogLevel minimum;
    private volatile String requestId = "";

    FunctionLogger(PrintStream out, String logFormat, String applicationLogLevel) {
        this.out = out;
        this.json = "JSON".equalsIgnoreCase(logFormat);
        this.minimum = applicationLogLevel == null || applicationLogLevel.isEmpty() ? LogLevel.INFO
                : LogLevel.fromString(applicationLogLevel);
    }

    void requestId(String id) {
        this.requestId = id;
    }

    @Override
    public void log(String message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8), LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        log(new String(message, StandardCharsets.UTF_8), level);
    }

    @Override
    public void log(String message, LogLevel level) {
        String text = String.valueOf(message);
        if (!json) {
            out.println((level == LogLevel.UNDEFINED ? "" : "[" + level + "] ") + oneEvent(text));
            out.flush();
            return;
        }
        LogLevel effective = level == LogLevel.UNDEFINED ? LogLevel.INFO : level;
        if (effective.ordinal() < minimum.ordinal()) {
            return;
        }
        StringBuilder line = new StringBuilder(text.length() + 96).append("{\"timestamp\":\"").append(Instant.now())
                .append("\",\"level\":\"").append(effective).append("\",\"message\":");
        Json.quote(text, line);
        line.append(",\"AWSRequestId\":");
        Json.quote(requestId, line);
        out.println(line.append('}'));
        out.flush();
    }

    private static String oneEvent(String text) {
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return trimmed.replace('\n', '\r');
    }
}
