package dev.kindling.telemetry;

/** Told of every invocation as it ends, and of every invocation refused for want of concurrency. */
public interface InvocationObserver {
    void invoked(InvocationReport report);

    /** An invocation of the function's {@code version} (an alias already resolved) was throttled before it ran. */
    void throttled(String functionName, String version);
}
