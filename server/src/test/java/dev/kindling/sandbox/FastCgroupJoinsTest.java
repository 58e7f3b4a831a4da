package dev.kindling.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A boxed server on a cgroup v1 host keeps a favordynmods hierarchy mounted while it runs, and only then. */
class FastCgroupJoinsTest {
    @TempDir
    Path data;

    @Test
    void mountedWhileTheSandboxIsOpenAndGoneAfter() throws IOException {
        HostIsolation host = HostIsolation.detect();
        assumeTrue(host.limited(), "needs root, bubblewrap and cgroup v1");
        String ours = "name=kindling-" + ProcessHandle.current().pid() + "-";
        try (Sandbox sandbox = new Sandbox(host, data.resolve("environments"), false)) {
            assertThat(favordynmodsMounts()).as("this server's favordynmods hierarchy").contains(ours);
        }
        assertThat(favordynmodsMounts()).doesNotContain(ours);
    }

    private static String favordynmodsMounts() throws IOException {
        return String.join("\n", Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains("favordynmods")).toList());
    }
}
