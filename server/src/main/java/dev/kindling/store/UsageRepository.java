package dev.kindling.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Metered usage, summed by the hour ({@link UsageRecord}). Rows outlive the functions they meter, as a bill does. */
public interface UsageRepository {

    /** Adds each record's amounts to its hour's row (creating it), all in one transaction. */
    void add(Collection<UsageRecord> batch);

    /** The rows of the hours that start in [{@code from}, {@code to}). */
    List<UsageRecord> between(Instant from, Instant to);
}
