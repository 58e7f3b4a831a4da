package dev.kindling.invoke;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kindling.runtimeapi.RuntimeOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What an Invoke returns: the payload, and the X-Amz-Function-Error value when the function failed.
 *
 * @param functionError "Unhandled" for a failed invocation, empty for a success
 * @param logTail the end of the invocation's log when LogType=Tail was asked for, else empty
 */
public record InvokeResult(byte[] payload, String functionError, String executedVersion, byte[] logTail) {
    /** The answer AWS gives for each way an invocation can end. */
    static InvokeResult of(String requestId, RuntimeOutcome outcome, int timeoutSeconds, String version) {
        return switch (outcome.kind()) {
            case SUCCESS -> new InvokeResult(outcome.body(), "", version, new byte[0]);
            case RESPONSE_TOO_LARGE -> error("Function.ResponseSizeTooLarge", "Response payload size exceeded"
                    + " maximum allowed payload size (6291556 bytes).", version);
            case FUNCTION_ERROR, INIT_ERROR -> new InvokeResult(outcome.body(), "Unhandled", version, new byte[0]);
            case EXITED -> error(outcome.errorType(), exitMessage(requestId, outcome), version);
            // An init that overran twice (its 10 s, then the function's Timeout) is a timeout of the invocation.
            case TIMED_OUT, INIT_TIMED_OUT -> error("Sandbox.Timedout",
                    "RequestId: " + requestId + " Error: " + timeoutMessage(timeoutSeconds), version);
        };
    }

    /** AWS's words for a runtime that exited (Runtime.ExitError, Runtime.OutOfMemory), in the answer and the log. */
    static String exitMessage(String requestId, RuntimeOutcome outcome) {
        return "RequestId: " + requestId + " Error: Runtime exited with error: "
                + new String(outcome.body(), StandardCharsets.UTF_8);
    }

    /** AWS's words for a timeout, in the answer and in the log. */
    static String timeoutMessage(int timeoutSeconds) {
        return "Task timed out after " + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds) + " seconds";
    }

    private static InvokeResult error(String type, String message, String version) {
        String json = JsonNodeFactory.instance.objectNode().put("errorMessage", message).put("errorType", type)
                .toString();
        return new InvokeResult(json.getBytes(StandardCharsets.UTF_8), "Unhandled", version, new byte[0]);
    }

    InvokeResult withLogTail(byte[] tail) {
        return new InvokeResult(payload, functionError, executedVersion, tail);
    }
}
