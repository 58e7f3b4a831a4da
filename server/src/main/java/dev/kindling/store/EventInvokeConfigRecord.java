package dev.kindling.store;

import java.util.Optional;

/**
 * How a function version's or alias's asynchronous events are handled (PutFunctionEventInvokeConfig); an empty
 * member was not configured.
 *
 * @param qualifier $LATEST, a version or an alias
 * @param onSuccess the destination ARN of successful events
 * @param onFailure the destination ARN of events given up
 */
public record EventInvokeConfigRecord(String functionName, String qualifier, Optional<Integer> maximumRetryAttempts,
        Optional<Integer> maximumEventAgeSeconds, Optional<String> onSuccess, Optional<String> onFailure,
        long lastModifiedMillis) {}
