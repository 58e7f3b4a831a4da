package dev.kindling.control;

import java.util.Optional;

/** Whether this host can run a runtime Kindling supports: a Java runtime needs a JDK of its version or later. */
@FunctionalInterface
public interface RuntimeAvailability {
    /** Every runtime runs (for tests that never start one). */
    RuntimeAvailability EVERY = runtime -> Optional.empty();

    /** Why {@code runtime} cannot run on this host, in words that say how to fix it; empty when it can. */
    Optional<String> problem(String runtime);
}
