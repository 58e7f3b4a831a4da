package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts an environment's runtime process with exactly the environment variables given (never the server's own),
 * its output appended to the environment's log file, and kills it with every process it started.
 * Namespaces and cgroups arrive with the isolation work; until then this is a plain process.
 */
public final class ProcessLauncher {

    public Process launch(List<String> command, Map<String, String> environment, Path workingDir, Path logFile)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Kills the process and all its descendants. */
    public static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
