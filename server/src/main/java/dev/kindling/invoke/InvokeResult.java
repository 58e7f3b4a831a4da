package dev.kindling.invoke;

/**
 * What an Invoke returns: the payload, and the X-Amz-Function-Error value when the function failed.
 *
 * @param functionError "Unhandled" for a failed invocation, empty for a success
 * @param logTail the end of the invocation's log when LogType=Tail was asked for, else empty
 */
public record InvokeResult(byte[] payload, String functionError, String executedVersion, byte[] logTail) {
    InvokeResult withLogTail(byte[] tail) {
        return new InvokeResult(payload, functionError, executedVersion, tail);
    }
}
