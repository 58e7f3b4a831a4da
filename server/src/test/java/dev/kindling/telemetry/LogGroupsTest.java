package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function's log streams and log group stay under their caps, losing their oldest content first. */
class LogGroupsTest {
    @TempDir
    Path logs;

    private final LogGroups.Limits limits = new LogGroups.Limits(3000, 2000, Duration.ZERO, Duration.ofHours(1));
    private LogGroups groups;

    @AfterEach
    void close() {
        groups.close();
    }

    @Test
    void anOverfullGroupLosesItsOldestClosedStreamsButNeverAnOpenOne() throws IOException {
        groups = new LogGroups(logs, limits);
        LogStream live = groups.open("fn", "$LATEST", "0".repeat(32));
        live.line("x".repeat(1500));
        Path group = logs.resolve("fn");
        for (int i = 1; i <= 3; i++) {
            Path old = group.resolve("2020-01-0" + i + "-LATEST-old" + i + ".log");
            Files.writeString(old, "y".repeat(1000));
            old.toFile().setLastModified(1_000_000L * i);
        }
        live.file().toFile().setLastModified(0); // the oldest file of all, but still written to

        LogStream next = groups.open("fn", "$LATEST", "1".repeat(32));

        assertThat(names(group)).contains(live.file().getFileName().toString(), "2020-01-03-LATEST-old3.log")
                .doesNotContain("2020-01-01-LATEST-old1.log", "2020-01-02-LATEST-old2.log");
        assertThat(next.name()).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST]1{32}");
        live.close();
        next.close();
    }

    @Test
    void aStreamWrittenWithoutPauseIsMovedAsideAndItsGroupStaysBounded() throws IOException {
        groups = new LogGroups(logs, limits);
        LogStream stream = groups.open("chatty", "$LATEST", "2".repeat(32));
        for (int burst = 0; burst < 5; burst++) {
            // The runtime appends to the file itself, as a process does through its stdout.
            Files.writeString(stream.file(), "z".repeat(2500), StandardOpenOption.APPEND);
            groups.enforceLimits();
            assertThat(Files.size(stream.file())).as("the live file is emptied past its limit").isZero();
            assertThat(groupBytes(logs.resolve("chatty"))).isLessThanOrEqualTo(limits.groupBytes());
        }
        assertThat(names(logs.resolve("chatty"))).as("the live file and the last moved-aside content").hasSize(2);
        stream.line("still writable");
        assertThat(Files.readString(stream.file())).isEqualTo("still writable\n");
        stream.close();
    }

    @Test
    void anInvocationsTailSurvivesItsStreamBeingMovedAside() throws IOException {
        groups = new LogGroups(logs, limits);
        LogStream stream = groups.open("moved", "$LATEST", "3".repeat(32));
        stream.line("x".repeat(1900)); // what earlier invocations printed
        long position = stream.start("req-1", "$LATEST");
        Files.writeString(stream.file(), "y".repeat(500) + "\n", StandardOpenOption.APPEND);
        groups.enforceLimits();
        stream.line("after the move");
        stream.end("req-1", 1.0, 128, 10, -1, java.util.Optional.empty());
        String tail = new String(stream.tail(position), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(tail).startsWith("after the move\nEND RequestId: req-1\n").contains("REPORT RequestId: req-1");
        stream.close();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static long groupBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
