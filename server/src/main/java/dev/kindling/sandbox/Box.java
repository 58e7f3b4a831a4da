package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One execution environment's isolation: where its runtime sees its code, runtime files and /tmp, how its process
 * starts, what it has used, and how it is killed whole. A box serves one environment and is destroyed with it.
 */
interface Box {
    /** The paths as the runtime sees them; {@code opt} holds the function's layers (/opt in a box). */
    record View(Path taskRoot, Path runtimeDir, Path tmp, Path opt) {}

    View view();

    /**
     * Starts the runtime: {@code command} in the view's task root, with exactly {@code environment}, its stdout and
     * stderr merged into the process's one output pipe (read line by line into the log stream).
     */
    Process launch(List<String> command, Map<String, String> environment) throws IOException;

    /** The user id its processes run as, when it has one of its own (the Runtime API admits only that user). */
    java.util.OptionalInt uid();

    /** The most memory the environment has used, in MB rounded up; 0 when unknown. */
    long peakMemoryMegabytes(Process process);

    /** Whether the environment was killed for passing its memory limit. */
    boolean outOfMemory();

    /** Kills every process of the environment and frees what the box holds. */
    void destroy(Process process);
}
