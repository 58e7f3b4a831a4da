package dev.kindling.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JDK serves which Java runtime, and what a host without one is told. */
class JdksTest {
    @TempDir
    Path jvms;

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(jvms.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void eachRuntimeRunsOnTheLowestJdkNotBelowIt() throws IOException {
        jdk("jdk-17", "17.0.15");
        jdk("jdk-25", "25.0.3");
        Jdks jdks = Jdks.discover(Map.of(), Jdks.installed(List.of(), jvms));
        assertThat(jdks.forRuntime("java11").orElseThrow().major()).isEqualTo(17);
        assertThat(jdks.forRuntime("java17").orElseThrow().major()).isEqualTo(17);
        assertThat(jdks.forRuntime("java21").orElseThrow().major()).isEqualTo(25);
        assertThat(jdks.forRuntime("java25").orElseThrow().major()).isEqualTo(25);
        assertThat(jdks.forRuntime("python3.12")).isEmpty();
        assertThat(jdks.problem("python3.12")).isEmpty();
        assertThat(jdks.describe()).startsWith("java11: Test 17.0.15 (").contains("java25: Test 25.0.3 (");
    }

    @Test
    void aRuntimeWithoutASuitableJdkIsRefusedWithHowToInstallOne() throws IOException {
        jdk("jdk-17", "17.0.15");
        Jdks jdks = Jdks.discover(Map.of(), Jdks.installed(List.of(), jvms));
        assertThat(jdks.problem("java17")).isEmpty();
        assertThat(jdks.problem("java21")).hasValueSatisfying(problem -> assertThat(problem)
                .contains("java21 needs a JDK of version 21 or later").contains("openjdk-21-jdk-headless")
                .contains("--java-home java21="));
        assertThat(jdks.describe()).contains("java21: no JDK of 21 or later");
    }

    @Test
    void theOperatorNamesTheJdkOfARuntime() throws IOException {
        jdk("jdk-17", "17.0.15");
        Path newer = jdk("jdk-21", "21.0.2");
        Jdks jdks = Jdks.discover(Map.of("java17", newer), Jdks.installed(List.of(), jvms));
        assertThat(jdks.forRuntime("java17").orElseThrow().home()).isEqualTo(newer);
        assertThatThrownBy(() -> Jdks.discover(Map.of("java21", jvms.resolve("jdk-17")), List.of()))
                .hasMessageContaining("java21 needs a JDK of version 21 or later");
        assertThatThrownBy(() -> Jdks.discover(Map.of("java8", newer), List.of()))
                .hasMessageContaining("java8 is not a Java runtime");
    }
}
