package dev.kindling.telemetry;

/** Told of every invocation as it ends, and of every invocation refused for want of concurrency. */
public interface InvocationObserver {
    void invoked(InvocationReport report);

    /** An invocation of the function was throttled (TooManyRequestsException) before it ran. */
    void throttled(String functionName);
}
