package dev.kindling.control;

/**
 * Where a function is in AWS's state machine, as a response reports it (State, LastUpdateStatus and their reasons).
 *
 * <p>On AWS a function is Pending after CreateFunction and its update InProgress after UpdateFunctionCode or
 * UpdateFunctionConfiguration, until Lambda has prepared it; tools (Terraform, the SDK waiters function-active-v2 and
 * function-updated-v2) poll GetFunction until it is Active and Successful. Kindling prepares a function within the
 * call itself, so the answer to a change reports it in flight, as AWS's does, and every later read sees it settled.
 */
public enum FunctionStatus {
    /** The answer to CreateFunction: State Pending, with its reason; no LastUpdateStatus yet. */
    CREATING,
    /** The answer to an update: State Active, LastUpdateStatus InProgress, with its reason. */
    UPDATING,
    /** Any read after the change: State Active, LastUpdateStatus Successful. */
    SETTLED
}
