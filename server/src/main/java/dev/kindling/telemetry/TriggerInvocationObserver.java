package dev.kindling.telemetry;

/**
 * Told of each delivery of a trigger (an EventBridge rule, a Scheduler schedule) to its target: AWS's Invocations and
 * FailedInvocations.
 */
public interface TriggerInvocationObserver {
    /** The event was handed to the target's asynchronous queue; {@code source} is the rule's or schedule's ARN. */
    void invoked(String source);

    /** The target could not be invoked ({@code reason}: no permission, no such function, ...). */
    void failed(String source, String reason);

    /**
     * An event that could not be delivered went to the target's dead-letter queue ({@code sent}), or that queue
     * could not take it (AWS's InvocationsSentToDLQ and InvocationsFailedToBeSentToDLQ).
     */
    void deadLettered(String source, boolean sent);
}
