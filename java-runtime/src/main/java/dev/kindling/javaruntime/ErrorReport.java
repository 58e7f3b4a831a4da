package dev.kindling.javaruntime;

import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An exception as AWS's Java runtime reports it: {@code {"errorMessage", "errorType", "stackTrace", "cause"}}, the
 * Java class name as errorType, frames as "class.method(File.java:line)".
 */
final class ErrorReport {
    private static final int MAX_CAUSES = 16;

    private ErrorReport() {}

    static String type(Throwable t) {
        return t instanceof HandlerLoader.LoadFailure ? ((HandlerLoader.LoadFailure) t).errorType
                : t.getClass().getName();
    }

    static byte[] json(Throwable t) {
        StringBuilder out = new StringBuilder(1024);
        write(t, out, new IdentityHashMap<>(), 0);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Throwable t, StringBuilder out, Map<Throwable, Boolean> seen, int depth) {
        seen.put(t, true);
        out.append("{\"errorMessage\":");
        Json.quote(t.getMessage() == null ? t.getClass().getName() : t.getMessage(), out);
        out.append(",\"errorType\":");
        Json.quote(type(t), out);
        out.append(",\"stackTrace\":[");
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            StackTraceElement f = frames[i];
            String where = f.isNativeMethod() ? "Native Method" : f.getFileName() == null ? "Unknown Source"
                    : f.getLineNumber() >= 0 ? f.getFileName() + ":" + f.getLineNumber() : f.getFileName();
            Json.quote(f.getClassName() + "." + f.getMethodName() + "(" + where + ")", out);
        }
        out.append(']');
        Throwable cause = t.getCause();
        if (cause != null && !seen.containsKey(cause) && depth < MAX_CAUSES
                && !(t instanceof HandlerLoader.LoadFailure)) {
            out.append(",\"cause\":");
            write(cause, out, seen, depth + 1);
        }
        out.append('}');
    }
}
