package dev.kindling.runtimeapi;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A runtime played by a test: it calls a {@link RuntimeSession} as {@link RuntimeApiServer} does on a runtime's
 * requests, without a process or a socket. Its methods are named after the Runtime API's endpoints. It lives in this
 * package because a session's runtime side (GET /next, the answers) is the server's alone.
 */
public final class ScriptedRuntime {
    private final RuntimeSession session;

    public ScriptedRuntime(RuntimeSession session) {
        this.session = session;
    }

    /** What GET /next returns: the event and its headers. */
    public record Event(String requestId, String payload, long deadlineMillis) {}

    /**
     * GET /invocation/next: completes with the event once the session hands it over (at once if one is waiting; the
     * first call ends the runtime's init), or with null if the environment is destroyed first.
     */
    public CompletableFuture<Event> next() {
        CompletableFuture<Event> event = new CompletableFuture<>();
        session.next(invocation -> event.complete(invocation == null ? null
                : new Event(invocation.requestId(), new String(invocation.payload(), StandardCharsets.UTF_8),
                        invocation.deadlineMillis())));
        return event;
    }

    /** POST /invocation/{requestId}/response; false where the server answers 400 InvalidRequestID. */
    public boolean response(String requestId, String body) {
        return session.report(requestId, new RuntimeOutcome(RuntimeOutcome.Kind.SUCCESS, "", bytes(body)));
    }

    /** POST /invocation/{requestId}/error with Lambda-Runtime-Function-Error-Type {@code errorType}. */
    public boolean error(String requestId, String errorType, String body) {
        return session.report(requestId, new RuntimeOutcome(RuntimeOutcome.Kind.FUNCTION_ERROR, errorType,
                bytes(body)));
    }

    /**
     * The process ends, as the sandbox reports it.
     *
     * @param errorType Runtime.ExitError, or Runtime.OutOfMemory when the environment ran out of memory
     * @param status how it ended in AWS's words: "exit status 1", "signal: killed"
     */
    public void exit(String errorType, String status) {
        session.ended(new RuntimeOutcome(RuntimeOutcome.Kind.EXITED, errorType, bytes(status)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
