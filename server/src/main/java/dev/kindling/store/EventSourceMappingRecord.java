package dev.kindling.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An event source mapping as stored: a queue polled into a function.
 *
 * @param functionArn the function's ARN as the mapping names it (qualified if a version or alias was given)
 * @param state as AWS shows it: Creating, Enabling, Enabled, Disabling, Disabled or Updating
 * @param filterPatterns FilterCriteria's patterns (event-ruler JSON); empty for none
 * @param maximumConcurrency ScalingConfig.MaximumConcurrency, if set
 */
public record EventSourceMappingRecord(
        String uuid,
        String functionArn,
        String eventSourceArn,
        Batching batching,
        boolean enabled,
        String state,
        String stateTransitionReason,
        List<String> filterPatterns,
        boolean reportBatchItemFailures,
        Optional<Integer> maximumConcurrency,
        Instant lastModified) {

    /** How records are gathered into one invocation: at most {@code size}, waiting at most {@code windowSeconds}. */
    public record Batching(int size, int windowSeconds) {}

    public EventSourceMappingRecord withState(String newState) {
        return new EventSourceMappingRecord(uuid, functionArn, eventSourceArn, batching, enabled, newState,
                stateTransitionReason, filterPatterns, reportBatchItemFailures, maximumConcurrency, lastModified);
    }
}
