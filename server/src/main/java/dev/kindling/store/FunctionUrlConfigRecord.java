package dev.kindling.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A function URL as stored: which function or alias it invokes, its id (the URL's host label), how callers are
 * authenticated, its CORS settings and invoke mode.
 *
 * @param qualifier the alias, or '' for the unqualified function
 * @param invokeMode BUFFERED or RESPONSE_STREAM as last set; empty when never set (BUFFERED)
 */
public record FunctionUrlConfigRecord(String functionName, String qualifier, String urlId, String authType,
        Optional<CorsSettings> cors, Optional<String> invokeMode, Instant created, Instant lastModified) {}
