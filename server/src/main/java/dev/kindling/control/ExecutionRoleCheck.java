package dev.kindling.control;

/**
 * Whether Lambda may take a role as a function's execution role (CreateFunction, UpdateFunctionConfiguration): the
 * iam component knows which roles exist and whom they trust.
 */
@FunctionalInterface
public interface ExecutionRoleCheck {
    /** Throws LambdaException (InvalidParameterValueException) if Lambda cannot assume {@code roleArn}. */
    void requireAssumableByLambda(String roleArn);
}
