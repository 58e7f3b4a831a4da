package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/** Function aliases, as persisted. Every method is atomic. Deleting a function deletes its aliases. */
public interface AliasRepository {

    Optional<AliasRecord> find(String functionName, String aliasName);

    /** The function's aliases in name order. */
    List<AliasRecord> list(String functionName);

    /** Inserts the alias; false if the function has an alias of that name already. */
    boolean insert(AliasRecord alias);

    /** Replaces the alias if its stored revision is still {@code expectedRevision}; false otherwise. */
    boolean update(AliasRecord alias, String expectedRevision);

    /** Deletes the alias; false if there was none. */
    boolean delete(String functionName, String aliasName);
}
