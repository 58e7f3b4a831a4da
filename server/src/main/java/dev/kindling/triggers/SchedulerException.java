package dev.kindling.triggers;

/**
 * An EventBridge Scheduler error a client caused, carried as the AWS error it becomes on the wire (REST-JSON: the
 * error code in {@code x-amzn-ErrorType}, the status the model gives, {@code {"Message": ...}}).
 */
public final class SchedulerException extends RuntimeException {
    private final String code;
    private final int status;

    private SchedulerException(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public static SchedulerException validation(String message) {
        return new SchedulerException("ValidationException", 400, message);
    }

    public static SchedulerException notFound(String message) {
        return new SchedulerException("ResourceNotFoundException", 404, message);
    }

    public static SchedulerException conflict(String message) {
        return new SchedulerException("ConflictException", 409, message);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
