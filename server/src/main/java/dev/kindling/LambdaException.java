package dev.kindling;

/**
 * A failure a client caused or must be told about, carried as the AWS error it becomes on the wire.
 * Components throw it with the AWS error type; the api component turns it into status, header and body.
 */
public final class LambdaException extends RuntimeException {
    private final ErrorType type;

    public LambdaException(ErrorType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }

    /** The AWS error types Kindling answers with, and the HTTP status each carries. */
    public enum ErrorType {
        InvalidParameterValueException(400),
        ValidationException(400),
        InvalidRequestContentException(400),
        ResourceNotFoundException(404),
        ResourceConflictException(409),
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
