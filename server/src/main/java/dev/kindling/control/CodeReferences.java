package dev.kindling.control;

import dev.kindling.code.CodeStore;
import dev.kindling.store.CodeHolder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who refers to each code blob: functions (their code and their layers') and layer versions. A blob stays in the
 * {@link CodeStore} while anything refers to it, so a deleted layer version goes on working for the functions that
 * use it.
 *
 * <p>One lock serialises publishing code with committing the record that refers to it, and removing unreferenced
 * code: otherwise a blob that a new function shares with a layer version being deleted could be removed between its
 * publication and the function's commit.
 */
public final class CodeReferences {
    private final CodeStore code;
    private final List<CodeHolder> holders;
    private final ReentrantLock lock = new ReentrantLock();

    public CodeReferences(CodeStore code, List<CodeHolder> holders) {
        this.code = code;
        this.holders = List.copyOf(holders);
    }

    /** Held while code is published and its record committed, and while unreferenced code is removed. */
    ReentrantLock lock() {
        return lock;
    }

    /** Removes the blob if nothing refers to it any more; the caller holds {@link #lock()}. */
    void removeIfUnreferenced(String sha256Hex) {
        if (holders.stream().noneMatch(holder -> holder.isCodeReferenced(sha256Hex))) {
            code.remove(sha256Hex);
        }
    }

    /** Removes every blob nothing refers to: leftovers of a crash between publication and commit. Run at start. */
    public void removeUnreferenced() {
        lock.lock();
        try {
            Set<String> referenced = new HashSet<>();
            holders.forEach(holder -> referenced.addAll(holder.referencedCode()));
            code.retainOnly(referenced);
        } finally {
            lock.unlock();
        }
    }
}
