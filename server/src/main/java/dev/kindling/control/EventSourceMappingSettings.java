package dev.kindling.control;

import java.util.List;
import java.util.Optional;

/**
 * The members of a CreateEventSourceMapping or UpdateEventSourceMapping request, each empty when not sent (an update
 * keeps what is not sent). Ranges of the service model are checked before; Lambda's own rules by
 * {@link EventSourceMappingService}.
 *
 * @param scaling ScalingConfig as sent: present with an empty MaximumConcurrency when {@code {}} was sent (which
 *     clears it)
 */
public record EventSourceMappingSettings(
        Optional<String> functionName,
        Optional<String> eventSourceArn,
        Optional<Integer> batchSize,
        Optional<Integer> batchingWindowSeconds,
        Optional<Boolean> enabled,
        Optional<List<String>> filterPatterns,
        Optional<List<String>> functionResponseTypes,
        Optional<Scaling> scaling) {

    /** ScalingConfig: MaximumConcurrency, if set. */
    public record Scaling(Optional<Integer> maximumConcurrency) {}
}
