package dev.kindling.telemetry;

/** Told of each delivery of an EventBridge rule to a target: AWS's Invocations and FailedInvocations. */
public interface RuleInvocationObserver {
    /** The event was handed to the target's asynchronous queue. */
    void invoked(String ruleArn);

    /** The target could not be invoked ({@code reason}: no permission, no such function, ...). */
    void failed(String ruleArn, String reason);
}
