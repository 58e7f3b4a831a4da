package dev.kindling.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Functions, their published versions and their tags, as persisted. Every method is atomic: a crash leaves either
 * all of it or none.
 */
public interface FunctionRepository extends CodeHolder {

    /** The function's unpublished version. */
    Optional<FunctionRecord> find(String name);

    /** Functions ordered by name, starting after {@code afterName} (exclusive; empty for the first page). */
    List<FunctionRecord> list(String afterName, int limit);

    /** Inserts the function and its tags; false if a function of that name exists already. */
    boolean insert(FunctionRecord function, Map<String, String> tags);

    /** Replaces the function if its stored revision is still {@code expectedRevision}; false otherwise. */
    boolean update(FunctionRecord function, String expectedRevision);

    /**
     * What the function has published: the last version number handed out (0 before the first; numbers are never
     * reused, even after a version is deleted), and the unpublished revision that version was taken from.
     */
    record PublishedSoFar(int lastVersion, Optional<String> lastFromRevision) {}

    PublishedSoFar publishedSoFar(String name);

    /**
     * Stores a published version numbered {@code number}, taken from the unpublished revision {@code fromRevision},
     * if the function's last number is still {@code lastNumber}; false otherwise (another publish came first).
     */
    boolean publish(FunctionRecord version, int number, String fromRevision, int lastNumber);

    /** A published version. */
    Optional<FunctionRecord> findVersion(String name, String version);

    /** The function's published versions, oldest first. */
    List<FunctionRecord> versions(String name);

    /** Deletes a published version; false if there was none. */
    boolean deleteVersion(String name, String version);

    /** Deletes the function, its versions, aliases and tags; false if there was none. */
    boolean delete(String name);

    Map<String, String> tags(String name);

    void putTags(String name, Map<String, String> tags);

    void removeTags(String name, Collection<String> keys);

    /** True while any function version refers to the code blob, as its own code or a layer's. */
    boolean isCodeReferenced(String sha256Hex);

    /** Every code blob some function version refers to. */
    List<String> referencedCode();

    long count();

    long totalCodeSize();
}
