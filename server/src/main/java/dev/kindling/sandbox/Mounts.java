package dev.kindling.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's mount table and its mount tools, as the sandbox's root-only helpers use them. */
final class Mounts {
    private Mounts() {
    }

    /** Mount points at or under {@code root}, from /proc/self/mountinfo (its fifth field). */
    static List<Path> under(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                Path mountPoint = Path.of(fields[4].replace("\\040", " "));
                if (mountPoint.startsWith(root)) {
                    found.add(mountPoint);
                }
            }
        }
        return found;
    }

    static boolean isMounted(Path mountPoint) throws IOException {
        return under(mountPoint).contains(mountPoint);
    }

    /** Runs a host tool (mount, umount, mkfs.ext4, ...) to its end; its output is the message of a failure. */
    static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
    }
}
