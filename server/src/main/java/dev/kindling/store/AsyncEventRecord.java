package dev.kindling.store;

import java.util.Objects;
import java.util.Optional;

/**
 * An accepted asynchronous event as stored until it has run.
 *
 * @param requestId the invocation's id: the same for every attempt, as on AWS
 * @param qualifier the version or alias the caller named, or empty
 * @param traceHeader the caller's X-Amzn-Trace-Id, which every attempt continues
 * @param attempts the attempts that ran the function so far (a throttle is not an attempt)
 * @param receivedMillis when it was accepted (epoch ms): its age counts from then
 * @param dueMillis when it may run next (epoch ms)
 */
public record AsyncEventRecord(String requestId, String functionName, String qualifier, byte[] payload,
        Optional<String> traceHeader, int attempts, long receivedMillis, long dueMillis) {
    public AsyncEventRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(qualifier, "qualifier");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(traceHeader, "traceHeader");
    }
}
