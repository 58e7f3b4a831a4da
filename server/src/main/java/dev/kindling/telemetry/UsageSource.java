package dev.kindling.telemetry;

import dev.kindling.store.UsageRecord;
import java.time.Instant;
import java.util.List;

/** Where metered usage is read from: the store alone, or the store and what a running meter has not written yet. */
@FunctionalInterface
public interface UsageSource {
    /** Usage of the hours that start in [{@code from}, {@code to}); a key may come more than once, to be summed. */
    List<UsageRecord> between(Instant from, Instant to);
}
