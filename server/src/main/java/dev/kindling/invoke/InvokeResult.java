package dev.kindling.invoke;

/**
 * What an Invoke returns: the payload, and the X-Amz-Function-Error value when the function failed.
 *
 * @param functionError "Unhandled" for a failed invocation, empty for a success
 */
public record InvokeResult(byte[] payload, String functionError, String executedVersion) {}
