package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function's log group stays under its size cap, losing its oldest closed streams first. */
class LogGroupsTest {
    @TempDir
    Path logs;

    @Test
    void anOverfullGroupLosesItsOldestClosedStreamsButNeverAnOpenOne() throws IOException {
        LogGroups groups = new LogGroups(logs, 3000, Duration.ZERO);
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

    private static java.util.List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
