package dev.kindling.triggers;

/**
 * An EventBridge error a client caused, carried as the AWS error it becomes on the wire: its error code (the
 * {@code __type}) and message. Every client error the events model declares answers HTTP 400.
 */
public final class EventsException extends RuntimeException {
    private final String code;

    public EventsException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public static EventsException validation(String message) {
        return new EventsException("ValidationException", message);
    }

    static EventsException busNotFound(String bus) {
        return new EventsException("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
    }

    static EventsException ruleNotFound(String rule, String bus) {
        return new EventsException("ResourceNotFoundException", "Rule " + rule + " does not exist on EventBus " + bus
                + ".");
    }

    public String code() {
        return code;
    }

    public int status() {
        return 400;
    }
}
