package dev.kindling.control;

import java.util.List;
import java.util.Map;

/**
 * The configuration fields of a CreateFunction or UpdateFunctionConfiguration request, as the client sent them.
 * A null field was not in the request: on create it takes AWS's default, on update it stays as it was.
 */
public record FunctionSettings(
        String runtime,
        String role,
        String handler,
        String description,
        Integer timeoutSeconds,
        Integer memoryMb,
        Integer ephemeralStorageMb,
        Map<String, String> environment,
        List<String> architectures,
        List<String> layers,
        Logging logging,
        String tracingMode,
        String packageType) {

    /** LoggingConfig fields as sent; null where absent. */
    public record Logging(String logFormat, String applicationLogLevel, String systemLogLevel, String logGroup) {}
}
