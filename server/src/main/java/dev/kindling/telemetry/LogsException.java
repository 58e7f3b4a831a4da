package dev.kindling.telemetry;

/**
 * A CloudWatch Logs error a client caused, carried as the AWS error it becomes on the wire: its error code (the
 * {@code __type}) and HTTP status (400 for every client error the Logs model declares).
 */
public final class LogsException extends RuntimeException {
    private final String code;
    private final int status;

    public LogsException(String code, String message) {
        this(code, 400, message);
    }

    public LogsException(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public static LogsException invalidParameter(String message) {
        return new LogsException("InvalidParameterException", message);
    }

    static LogsException groupNotFound() {
        return new LogsException("ResourceNotFoundException", "The specified log group does not exist.");
    }

    static LogsException streamNotFound() {
        return new LogsException("ResourceNotFoundException", "The specified log stream does not exist.");
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
