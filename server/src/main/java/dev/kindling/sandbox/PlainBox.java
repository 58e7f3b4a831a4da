package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An environment as a plain process, for hosts without bubblewrap or root: the runtime sees the host's paths, runs
 * as the server's user, and nothing limits it. Kindling says so at start ({@link HostIsolation#missingGuarantees}).
 */
final class PlainBox implements Box {
    private final View view;
    private final Path scratch;

    /** @param opt the function's merged layers on the host; without layers, an empty directory of its own */
    PlainBox(Path scratch, Path taskRoot, Optional<Path> opt, Path runtimeDir) throws IOException {
        this.scratch = scratch;
        this.view = new View(taskRoot, runtimeDir, Files.createDirectories(scratch.resolve("tmp")),
                opt.isPresent() ? opt.get() : Files.createDirectories(scratch.resolve("opt")));
    }

    @Override
    public View view() {
        return view;
    }

    @Override
    public OptionalInt uid() {
        return OptionalInt.empty();
    }

    @Override
    public Process launch(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(view.taskRoot().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    @Override
    public long peakMemoryMegabytes(Process process) {
        // Read on every invocation: the runtime's own peak only, no walk over /proc for its descendants.
        return process == null ? 0 : (peakKb(process.pid()) + 1023) / 1024;
    }

    @Override
    public boolean outOfMemory() {
        return false;
    }

    @Override
    public void destroy(Process process) {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        Sandbox.deleteTree(scratch);
    }

    /** Without a cgroup (read by a box on a host without cgroup v1): the largest VmHWM among the runtime and its descendants, in MB rounded up. */
    static long peakOfTree(Process process) {
        if (process == null) {
            return 0;
        }
        long peak = peakKb(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            peak = Math.max(peak, peakKb(child.pid()));
        }
        return (peak + 1023) / 1024;
    }

    private static long peakKb(long pid) {
        String status;
        try {
            status = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "status")),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return 0;
        }
        int at = status.indexOf("VmHWM:");
        long kb = 0;
        for (int i = at + "VmHWM:".length(); at >= 0 && i < status.length() && status.charAt(i) != '\n'; i++) {
            char c = status.charAt(i);
            if (c >= '0' && c <= '9') {
                kb = kb * 10 + (c - '0');
            }
        }
        return kb;
    }
}
