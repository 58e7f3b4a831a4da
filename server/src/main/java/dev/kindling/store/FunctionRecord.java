package dev.kindling.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A function as stored: its whole configuration and the code it points to. Immutable; a change is a new record
 * with a new revision id.
 */
public record FunctionRecord(
        String name,
        String runtime,
        String role,
        String handler,
        String description,
        int timeoutSeconds,
        int memoryMb,
        int ephemeralStorageMb,
        Map<String, String> environment,
        List<String> architectures,
        List<String> layers,
        LoggingSettings logging,
        String tracingMode,
        String packageType,
        String codeSha256Hex,
        long codeSize,
        String revisionId,
        Instant lastModified) {

    /** LoggingConfig as AWS stores it; LogGroup defaults to /aws/lambda/&lt;name&gt;. */
    public record LoggingSettings(String logFormat, String applicationLogLevel, String systemLogLevel, String logGroup) {}

    public FunctionRecord withCode(String sha256Hex, long size, String newRevision, Instant modified) {
        return new FunctionRecord(name, runtime, role, handler, description, timeoutSeconds, memoryMb,
                ephemeralStorageMb, environment, architectures, layers, logging, tracingMode, packageType,
                sha256Hex, size, newRevision, modified);
    }
}
