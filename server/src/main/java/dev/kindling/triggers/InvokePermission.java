package dev.kindling.triggers;

import dev.kindling.control.FunctionRef;

/**
 * Whether a function's resource policy lets EventBridge ({@code events.amazonaws.com}) invoke it on behalf of the
 * rule {@code sourceArn}: on AWS a rule's delivery fails (a FailedInvocation) unless AddPermission allowed it.
 */
@FunctionalInterface
public interface InvokePermission {
    boolean allows(FunctionRef function, String sourceArn);
}
