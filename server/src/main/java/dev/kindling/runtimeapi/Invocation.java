package dev.kindling.runtimeapi;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One invocation as the Runtime API hands it to an environment: the event and the headers of /next, and the
 * outcome the runtime reports (or the failure that ends it).
 */
public final class Invocation {
    private final String requestId;
    private final byte[] payload;
    private final String invokedFunctionArn;
    private final long timeoutMillis;
    private final long latestDeadlineMillis;
    private final String clientContext;
    private final String traceHeader;
    private final Optional<ResponseSink> responseSink;
    private final CompletableFuture<Long> taken = new CompletableFuture<>();
    private final CompletableFuture<RuntimeOutcome> outcome = new CompletableFuture<>();
    private volatile long deadlineMillis;
    private volatile long takenNanos;

    /**
     * @param timeoutMillis the function's Timeout, counted from the moment the runtime fetches the invocation
     * @param latestDeadlineMillis a wall-clock time the deadline may not pass, whenever the runtime fetches it
     *     ({@link Long#MAX_VALUE} for none): an init re-run during the invocation counts against its timeout
     * @param traceHeader the X-Ray trace header the runtime gets in Lambda-Runtime-Trace-Id
     * @param responseSink where a streamed response goes as it is written (else it is collected whole)
     */
    public Invocation(String requestId, byte[] payload, String invokedFunctionArn, long timeoutMillis,
            long latestDeadlineMillis, String clientContext, String traceHeader, Optional<ResponseSink> responseSink) {
        this.responseSink = responseSink;
        this.requestId = requestId;
        this.payload = payload;
        this.invokedFunctionArn = invokedFunctionArn;
        this.timeoutMillis = timeoutMillis;
        this.latestDeadlineMillis = latestDeadlineMillis;
        this.clientContext = clientContext;
        this.traceHeader = traceHeader;
    }

    public String requestId() {
        return requestId;
    }

    byte[] payload() {
        return payload;
    }

    String invokedFunctionArn() {
        return invokedFunctionArn;
    }

    String clientContext() {
        return clientContext;
    }

    String traceHeader() {
        return traceHeader;
    }

    Optional<ResponseSink> responseSink() {
        return responseSink;
    }

    long deadlineMillis() {
        return deadlineMillis;
    }

    /** Completes with the wall-clock deadline once the runtime has fetched the invocation from /next. */
    public CompletableFuture<Long> taken() {
        return taken;
    }

    public CompletableFuture<RuntimeOutcome> outcome() {
        return outcome;
    }

    /** When the runtime fetched the invocation (System.nanoTime), or 0 if it has not. */
    public long takenNanos() {
        return takenNanos;
    }

    void markTaken() {
        takenNanos = System.nanoTime();
        deadlineMillis = Math.min(System.currentTimeMillis() + timeoutMillis, latestDeadlineMillis);
        taken.complete(deadlineMillis);
    }

    /** Ends the invocation; the first outcome wins. */
    public void finish(RuntimeOutcome result) {
        outcome.complete(result); // before taken: whoever wakes on taken must find the outcome there
        taken.complete(0L);
    }
}
