package dev.kindling.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One environment's log stream in the function's log group: the runtime's stdout and stderr (appended by the
 * process itself) and the platform lines Kindling writes around each invocation (START, END, REPORT). Both append
 * to the same file, so lines keep their order; the bootstraps flush before answering, so everything an invocation
 * printed is in the file when its answer arrives. A stream's file is kept near its limit: past it, its content is
 * moved to a file of its own beside it (the process holds the file open for appending, so it is copied and truncated
 * rather than renamed); {@link LogGroups} bounds the group.
 */
public final class LogStream implements AutoCloseable {
    private static final int TAIL_BYTES = 4096;

    private final Path file;
    private final String name;
    private final long maxBytes;
    private final FileChannel channel;
    private final Runnable onClose;
    private long movedAside; // guarded by this

    LogStream(Path file, String name, long maxBytes, Runnable onClose) {
        this.file = file;
        this.name = name;
        this.maxBytes = maxBytes;
        this.onClose = onClose;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    /** The stream's name as AWS names it: {@code yyyy/MM/dd/[$LATEST]<id>}. */
    public String name() {
        return name;
    }

    public void line(String text) {
        write(text + "\n");
    }

    /** Writes the START line; returns where this invocation's log begins, for {@link #tail}. */
    public long start(String requestId, String version) {
        try {
            rollIfFull();
            long position = position();
            write("START RequestId: " + requestId + " Version: " + version + "\n");
            return position;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes END and REPORT as AWS does.
     *
     * @param initDurationMillis the init phase of a cold start, or a negative number for a warm invocation
     * @param traced the invocation's trace for a function with Active tracing: AWS appends its XRAY line to REPORT
     */
    public synchronized void end(String requestId, double durationMillis, int memoryMb, long maxMemoryUsedMb,
            double initDurationMillis, Optional<TraceHeader> traced) {
        StringBuilder report = new StringBuilder()
                .append("END RequestId: ").append(requestId).append('\n')
                .append("REPORT RequestId: ").append(requestId)
                .append("\tDuration: ").append(String.format(Locale.ROOT, "%.2f", durationMillis)).append(" ms")
                .append("\tBilled Duration: ").append(BilledDuration.millis(durationMillis, initDurationMillis))
                .append(" ms")
                .append("\tMemory Size: ").append(memoryMb).append(" MB")
                .append("\tMax Memory Used: ").append(maxMemoryUsedMb).append(" MB");
        if (initDurationMillis >= 0) {
            report.append("\tInit Duration: ").append(String.format(Locale.ROOT, "%.2f", initDurationMillis))
                    .append(" ms");
        }
        report.append("\t\n");
        traced.ifPresent(trace -> report.append(trace.reportLine()).append('\n'));
        write(report.toString());
    }

    /**
     * Writes END and REPORT, then returns the last 4 KB logged since {@code position}, with no move aside in
     * between: the watcher could otherwise move the stream aside after END and leave nothing of it to read.
     */
    public synchronized byte[] endAndTail(String requestId, double durationMillis, int memoryMb, long maxMemoryUsedMb,
            double initDurationMillis, Optional<TraceHeader> traced, long position) {
        end(requestId, durationMillis, memoryMb, maxMemoryUsedMb, initDurationMillis, traced);
        return tail(position);
    }

    /** Writes AWS's INIT_REPORT line, logged when an init phase fails or overruns its limit. */
    public void initReport(double initDurationMillis, String phase, String status) {
        write("INIT_REPORT Init Duration: " + String.format(Locale.ROOT, "%.2f", initDurationMillis) + " ms\tPhase: "
                + phase + "\tStatus: " + status + "\n");
    }

    /**
     * The last 4 KB of what was logged since {@code position} (from {@link #start}): LogType=Tail's result. Under the
     * stream's lock, so the file is not moved aside while it is read.
     */
    public synchronized byte[] tail(long position) {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = reader.size();
            long offset = Math.max(0, position - movedAside); // content moved aside since then is gone from here
            long from = Math.max(Math.min(offset, size), size - TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && reader.read(buffer, from + buffer.position()) > 0) {
                // read until the buffer is full
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves the stream's content to a file of its own beside it when it holds more than its limit; true if it did.
     * Called at each START, and every second by {@link LogGroups} for a function that writes without pause.
     */
    synchronized boolean rollIfFull() throws IOException {
        if (!channel.isOpen() || channel.size() <= maxBytes) {
            return false;
        }
        String stem = file.getFileName().toString().replaceFirst("\\.log$", "");
        Files.copy(file, file.resolveSibling(stem + "." + System.nanoTime() + ".log"));
        movedAside += channel.size();
        channel.truncate(0);
        return true;
    }

    /** Where the stream stands: every byte it ever held, including those moved aside. */
    private synchronized long position() throws IOException {
        return movedAside + channel.size();
    }

    private void write(String text) {
        try {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a log file on discard; nothing to recover
        } finally {
            onClose.run();
        }
    }
}
