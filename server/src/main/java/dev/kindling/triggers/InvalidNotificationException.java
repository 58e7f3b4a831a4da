package dev.kindling.triggers;

import java.util.List;
import java.util.Map;

/**
 * A notification configuration S3 refuses: its error code (InvalidArgument, MalformedXML, ...), HTTP status, message,
 * and the argument elements S3's error document names (ArgumentName/ArgumentValue, numbered when there are several).
 */
public final class InvalidNotificationException extends RuntimeException {
    private final String code;
    private final int status;
    private final List<Map.Entry<String, String>> arguments;

    public InvalidNotificationException(String code, int status, String message,
            List<Map.Entry<String, String>> arguments) {
        super(message);
        this.code = code;
        this.status = status;
        this.arguments = List.copyOf(arguments);
    }

    static InvalidNotificationException invalidArgument(String message, String name, String value) {
        return new InvalidNotificationException("InvalidArgument", 400, message,
                List.of(Map.entry("ArgumentName", name), Map.entry("ArgumentValue", value)));
    }

    static InvalidNotificationException malformedXml() {
        return new InvalidNotificationException("MalformedXML", 400, "The XML you provided was not well-formed or did"
                + " not validate against our published schema", List.of());
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Extra elements of the error document, in order: name, then text. */
    public List<Map.Entry<String, String>> arguments() {
        return arguments;
    }
}
