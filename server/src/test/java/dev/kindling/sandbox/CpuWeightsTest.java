package dev.kindling.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real process in a real environment's cgroups (root on a cgroup v1 host): it stays in its memory and pids cgroups,
 * and moves into its cpu cgroup when a window is contended and back out after calm ones.
 */
class CpuWeightsTest {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private final String name = "kindling-test-" + UUID.randomUUID().toString().substring(0, 8);
    private Process process;
    private EnvironmentCgroup environment;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (environment != null) {
            environment.destroy();
        }
    }

    @Test
    void contentionMovesTheEnvironmentIntoItsCpuCgroupAndCalmMovesItOut() throws IOException {
        assumeTrue(HostIsolation.detect().limited(), "needs root, bubblewrap and cgroup v1");
        Path home = ROOT.resolve("cpu").resolve(CgroupV1.ownPath("cpu"));
        Path memory = ROOT.resolve("memory").resolve(CgroupV1.ownPath("memory")).resolve(name);
        Path pids = ROOT.resolve("pids").resolve(CgroupV1.ownPath("pids")).resolve(name);
        CpuWeights weights = CpuWeights.manual(home);
        environment = new EnvironmentCgroup(Files.createDirectory(memory), Files.createDirectory(pids),
                Files.createDirectory(home.resolve(name)), weights, () -> { });
        List<Path> joins = environment.filesToJoinAtLaunch();
        assertThat(joins).as("at rest a launch joins memory and pids only").hasSize(2);
        process = new ProcessBuilder("sleep", "60").start();
        for (Path file : joins) {
            CgroupV1.write(file, Long.toString(process.pid()));
        }
        assertThat(cpuCgroupOf(process)).doesNotEndWith(name);

        weights.window(0.5);
        assertThat(weights.weighted()).isTrue();
        assertThat(cpuCgroupOf(process)).endsWith("/" + name);
        assertThat(environment.filesToJoinAtLaunch()).as("while weighed a launch joins cpu too").hasSize(3);

        for (int window = 0; window < CpuContention.CALM_WINDOWS_TO_RELEASE; window++) {
            weights.window(0.0);
        }
        assertThat(weights.weighted()).isFalse();
        assertThat(cpuCgroupOf(process)).doesNotEndWith(name);
        assertThat(memoryCgroupOf(process)).as("memory limits never move").endsWith("/" + name);
    }

    private static String cpuCgroupOf(Process process) throws IOException {
        return cgroupOf(process, "cpu");
    }

    private static String memoryCgroupOf(Process process) throws IOException {
        return cgroupOf(process, "memory");
    }

    private static String cgroupOf(Process process, String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "cgroup"))) {
            String[] parts = line.split(":", 3);
            if (List.of(parts[1].split(",")).contains(controller)) {
                return parts[2];
            }
        }
        throw new IOException("no " + controller + " cgroup");
    }
}
