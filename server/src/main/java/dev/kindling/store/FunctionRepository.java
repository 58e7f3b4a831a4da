package dev.kindling.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Functions and their tags, as persisted. Every method is atomic: a crash leaves either all of it or none. */
public interface FunctionRepository extends CodeHolder {

    Optional<FunctionRecord> find(String name);

    /** Functions ordered by name, starting after {@code afterName} (exclusive; empty for the first page). */
    List<FunctionRecord> list(String afterName, int limit);

    /** Inserts the function and its tags; false if a function of that name exists already. */
    boolean insert(FunctionRecord function, Map<String, String> tags);

    /** Replaces the function if its stored revision is still {@code expectedRevision}; false otherwise. */
    boolean update(FunctionRecord function, String expectedRevision);

    /** Deletes the function and its tags; false if there was none. */
    boolean delete(String name);

    Map<String, String> tags(String name);

    void putTags(String name, Map<String, String> tags);

    void removeTags(String name, Collection<String> keys);

    /** True while any function refers to the code blob, as its own code or a layer's. */
    boolean isCodeReferenced(String sha256Hex);

    /** Every code blob some function refers to. */
    List<String> referencedCode();

    long count();

    long totalCodeSize();
}
