package dev.kindling;

import java.util.Optional;

/**
 * A failure a client caused or must be told about, carried as the AWS error it becomes on the wire.
 * Components throw it with the AWS error type; the api component turns it into status, header and body.
 */
public final class LambdaException extends RuntimeException {
    private final ErrorType type;
    /** The Reason member a TooManyRequestsException carries (AWS's ThrottleReason), empty for other errors. */
    private final Optional<ThrottleReason> reason;

    public LambdaException(ErrorType type, String message) {
        this(type, message, Optional.empty());
    }

    private LambdaException(ErrorType type, String message, Optional<ThrottleReason> reason) {
        super(message, null, false, false);
        this.type = type;
        this.reason = reason;
    }

    /** An invocation refused for want of concurrency: a 429 whose body tells which limit (AWS's ThrottleReason). */
    public static LambdaException throttled(ThrottleReason reason) {
        return new LambdaException(ErrorType.TooManyRequestsException, "Rate Exceeded.", Optional.of(reason));
    }

    public ErrorType type() {
        return type;
    }

    /** Why a TooManyRequestsException was thrown, as its Reason member says; empty for other errors. */
    public Optional<ThrottleReason> reason() {
        return reason;
    }

    /** The ThrottleReason values of the service model that Kindling gives. */
    public enum ThrottleReason {
        /** The account's pool of unreserved concurrency is in use. */
        ConcurrentInvocationLimitExceeded,
        /** The function's reserved concurrency is in use (or is 0). */
        ReservedFunctionConcurrentInvocationLimitExceeded
    }

    /** The AWS error types Kindling answers with, and the HTTP status each carries. */
    public enum ErrorType {
        InvalidParameterValueException(400),
        ValidationException(400),
        InvalidRequestContentException(400),
        ResourceNotFoundException(404),
        ProvisionedConcurrencyConfigNotFoundException(404),
        ResourceConflictException(409),
        PolicyLengthExceededException(400),
        PreconditionFailedException(412),
        RequestEntityTooLargeException(413),
        TooManyRequestsException(429),
        UnrecognizedClientException(403),
        ExpiredTokenException(403),
        InvalidSignatureException(403),
        MissingAuthenticationTokenException(403),
        AccessDeniedException(403),
        UnknownOperationException(404),
        ServiceException(500);

        private final int status;

        ErrorType(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
