package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.store.Database;
import dev.kindling.store.SqlLogGroupRepository;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log streams and groups on disk: events with their times, segments closed past their limit, groups bounded. */
class LogGroupsTest {
    @TempDir
    Path dir;

    private final LogGroups.Limits limits = new LogGroups.Limits(3000, 2000, Duration.ofHours(1), Duration.ZERO,
            Duration.ofHours(1), OptionalInt.empty());
    private Database database;
    private LogGroups groups;

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir.resolve("kindling.db"));
        groups = new LogGroups(dir.resolve("logs"), limits, new SqlLogGroupRepository(database));
    }

    @AfterEach
    void close() {
        groups.close();
        database.close();
    }

    @Test
    void aStreamIsNamedAsAwsNamesItAndItsGroupIsMadeAtItsFirstStream() {
        LogStream stream = groups.open("/aws/lambda/fn", "$LATEST", "1".repeat(32), PlatformLines.TEXT);
        assertThat(stream.name()).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST]1{32}");
        assertThat(groups.repository().find("/aws/lambda/fn")).isPresent();
        stream.line("hello");
        assertThat(LogGroups.text(dir.resolve("logs"), "/aws/lambda/fn")).isEqualTo("hello\n");
        stream.close();
    }

    @Test
    void capturedOutputIsOneEventPerLineStampedWhenRead() throws Exception {
        LogStream stream = groups.open("/aws/lambda/fn", "$LATEST", "2".repeat(32), PlatformLines.TEXT);
        PipedOutputStream runtime = new PipedOutputStream();
        stream.capture(new PipedInputStream(runtime, 1 << 16), "test-capture");
        long before = System.currentTimeMillis();
        long position = stream.start("req-1", "$LATEST");
        runtime.write("first\nsecond with a \\ backslash\nno newline yet".getBytes(StandardCharsets.UTF_8));
        runtime.flush();
        long deadline = System.nanoTime() + 30_000_000_000L; // a runtime's answer takes a round trip; wait as long
        while (!LogGroups.streamText(stream.dir()).contains("backslash") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        byte[] tail = stream.endAndTail("req-1", 1.5, 128, 20, -1, java.util.Optional.empty(), position);
        long after = System.currentTimeMillis();
        List<LogEvent> events = new StreamFiles(stream.dir()).events();
        assertThat(events).extracting(LogEvent::message).startsWith("START RequestId: req-1 Version: $LATEST",
                "first", "second with a \\ backslash", "no newline yet", "END RequestId: req-1");
        assertThat(events).allSatisfy(e -> assertThat(e.timestamp()).isBetween(before, after));
        assertThat(new String(tail, StandardCharsets.UTF_8)).startsWith("START RequestId: req-1").contains("first\n")
                .contains("REPORT RequestId: req-1\tDuration: 1.50 ms");
        runtime.close();
        stream.close();
    }

    @Test
    void jsonFormatWritesPlatformRecordsAndWarnLeavesThemOut() throws Exception {
        LogStream json = groups.open("/g/json", "$LATEST", "3".repeat(32),
                PlatformLines.of("JSON", java.util.Optional.empty()));
        long position = json.start("req-2", "$LATEST");
        json.end("req-2", 2.0, 128, 30, 100.0, java.util.Optional.empty());
        String text = new String(json.tail(position), StandardCharsets.UTF_8);
        assertThat(text).contains("\"type\":\"platform.start\"", "\"requestId\":\"req-2\"",
                "\"type\":\"platform.report\"", "\"initDurationMs\":100.0");
        LogStream quiet = groups.open("/g/quiet", "$LATEST", "4".repeat(32),
                PlatformLines.of("JSON", java.util.Optional.of("WARN")));
        position = quiet.start("req-3", "$LATEST");
        quiet.end("req-3", 2.0, 128, 30, -1, java.util.Optional.empty());
        assertThat(quiet.tail(position)).isEmpty();
        json.close();
        quiet.close();
    }

    @Test
    void aStreamWrittenWithoutPauseBeginsNewSegmentsAndItsGroupStaysBounded() throws IOException {
        LogStream stream = groups.open("/aws/lambda/chatty", "$LATEST", "5".repeat(32), PlatformLines.TEXT);
        for (int burst = 0; burst < 10; burst++) {
            stream.line("z".repeat(900));
            stream.line("z".repeat(900));
            stream.line("z".repeat(900));
            groups.enforceLimits();
            assertThat(groupBytes(groups.groupDir("/aws/lambda/chatty")))
                    .as("the group past its cap only by the segment being written").isLessThanOrEqualTo(
                            limits.groupBytes() + 3 * 930);
        }
        assertThat(segments(stream.dir())).as("old segments deleted, recent ones kept").hasSizeBetween(2, 4);
        stream.line("still writable");
        assertThat(LogGroups.text(dir.resolve("logs"), "/aws/lambda/chatty")).endsWith("still writable\n");
        stream.close();
    }

    private static List<Path> segments(Path streamDir) throws IOException {
        try (Stream<Path> files = Files.list(streamDir)) {
            return files.toList();
        }
    }

    private static long groupBytes(Path groupDir) throws IOException {
        try (Stream<Path> files = Files.walk(groupDir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
