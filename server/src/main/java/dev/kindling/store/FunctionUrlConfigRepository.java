package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/** Function URL configurations, as persisted. Deleting a function deletes its configurations. */
public interface FunctionUrlConfigRepository {
    Optional<FunctionUrlConfigRecord> find(String functionName, String qualifier);

    Optional<FunctionUrlConfigRecord> findByUrlId(String urlId);

    /** The function's configurations, the unqualified one first, then by alias. */
    List<FunctionUrlConfigRecord> list(String functionName);

    /** Inserts the configuration; false if the function or alias has one already. */
    boolean insert(FunctionUrlConfigRecord config);

    /** Replaces the configuration of its function and qualifier. */
    void update(FunctionUrlConfigRecord config);

    /** Deletes it; false if there was none. */
    boolean delete(String functionName, String qualifier);
}
