package dev.kindling.control;

import dev.kindling.store.AliasRecord;
import dev.kindling.store.AliasRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The aliases that exist, read from memory on the invoke path: the repository's rows, cached by {@code name:alias}.
 * Writes go to the repository first, then to the cache.
 */
final class Aliases {
    private final AliasRepository repository;
    /** Aliases that exist; a missing one is not remembered, so names that never existed cannot fill memory. */
    private final Map<String, AliasRecord> cache = new ConcurrentHashMap<>();

    Aliases(AliasRepository repository) {
        this.repository = repository;
    }

    Optional<AliasRecord> find(String functionName, String aliasName) {
        AliasRecord cached = cache.get(key(functionName, aliasName));
        if (cached != null) {
            return Optional.of(cached);
        }
        return load(functionName, aliasName);
    }

    /** Reads a cache miss; synchronised with writes, so a read racing a change never caches the old row. */
    private synchronized Optional<AliasRecord> load(String functionName, String aliasName) {
        Optional<AliasRecord> stored = repository.find(functionName, aliasName);
        stored.ifPresent(alias -> cache.put(key(functionName, aliasName), alias));
        return stored;
    }

    List<AliasRecord> list(String functionName) {
        return repository.list(functionName);
    }

    /** The names of the function's aliases that may run {@code version}, in name order. */
    List<String> referencing(String functionName, String version) {
        return list(functionName).stream().filter(a -> a.references(version)).map(AliasRecord::name).toList();
    }

    synchronized boolean insert(AliasRecord alias) {
        boolean inserted = repository.insert(alias);
        if (inserted) {
            cache.put(key(alias.functionName(), alias.name()), alias);
        }
        return inserted;
    }

    synchronized boolean update(AliasRecord alias, String expectedRevision) {
        boolean updated = repository.update(alias, expectedRevision);
        if (updated) {
            cache.put(key(alias.functionName(), alias.name()), alias);
        }
        return updated;
    }

    synchronized void delete(String functionName, String aliasName) {
        repository.delete(functionName, aliasName);
        cache.remove(key(functionName, aliasName));
    }

    /** Forgets the cached aliases of a deleted function (the repository deleted its rows with it). */
    synchronized void forgetFunction(String functionName) {
        cache.keySet().removeIf(k -> k.startsWith(functionName + ":"));
    }

    private static String key(String functionName, String aliasName) {
        return functionName + ":" + aliasName;
    }
}
