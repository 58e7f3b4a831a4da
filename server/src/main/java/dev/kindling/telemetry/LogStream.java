package dev.kindling.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One environment's log stream: the runtime's output, captured line by line with the time each line was written
 * ({@link #capture}), and the platform lines Kindling writes around each invocation (START, END, REPORT, in the
 * function's log format). Both go through this writer, so events keep their order; before END, the output captured so
 * far is drained, so everything an invocation printed comes before its END. The stream is a directory of segments
 * ({@link StreamFiles}): past its size or age limit the segment is closed and a new one begun; {@link LogGroups}
 * bounds the group by deleting whole old segments.
 */
public final class LogStream implements AutoCloseable {
    private static final int TAIL_BYTES = 4096;

    private final StreamFiles files;
    private final String name;
    private final LogGroups.Limits limits;
    private final PlatformLines platform;
    private final Runnable onClose;
    /** Told (outside this stream's lock) when a full segment was closed: the group may be over its cap. */
    private final Runnable onSegmentClosed;
    private OutputCapture capture; // set once, by capture()
    // guarded by this:
    private FileChannel channel;
    private long segmentId;
    private long segmentBytes;
    /** Every byte this writer wrote, across segments: positions for LogType=Tail. */
    private long written;
    /** Where each segment this writer began starts, in {@link #written} terms. */
    private final TreeMap<Long, Long> segmentStarts = new TreeMap<>();

    LogStream(StreamFiles files, String name, LogGroups.Limits limits, PlatformLines platform, Runnable onClose,
            Runnable onSegmentClosed) {
        this.onSegmentClosed = onSegmentClosed;
        this.files = files;
        this.name = name;
        this.limits = limits;
        this.platform = platform;
        this.onClose = onClose;
        beginSegment();
    }

    /** The stream's directory of segments. */
    public Path dir() {
        return files.dir();
    }

    /** The stream's name as AWS names it: {@code yyyy/MM/dd/[$LATEST]<id>}. */
    public String name() {
        return name;
    }

    /** Logs the runtime's output, read from {@code output} line by line until it closes. */
    public void capture(InputStream output, String threadName) {
        OutputCapture started = new OutputCapture(output, this);
        synchronized (this) {
            capture = started;
        }
        started.start(threadName);
    }

    /** One event, now. */
    public void line(String text) {
        captured(System.currentTimeMillis(), text);
    }

    /**
     * A line of the runtime's output. A segment past its limit is closed here, at once: a function printing without
     * pause writes megabytes between two checks of the watcher.
     */
    void captured(long timestamp, String text) {
        if (append(timestamp, text)) {
            onSegmentClosed.run();
        }
    }

    /** Writes the START line; returns where this invocation's log begins, for {@link #tail}. */
    public long start(String requestId, String version) {
        drainCapture(); // what the runtime printed before (its init, a background thread) comes before START
        synchronized (this) {
            if (capture != null) {
                capture.quicken();
            }
            rollIfFull();
            long position = written;
            // Under this stream's lock: appended without the group's pruning (which takes other streams' locks).
            platform.start(requestId, version).forEach(m -> append(System.currentTimeMillis(), m));
            return position;
        }
    }

    /**
     * Writes END and REPORT as AWS does, after the output the runtime printed before answering.
     *
     * @param initDurationMillis the init phase of a cold start, or a negative number for a warm invocation
     * @param traced the invocation's trace for a function with Active tracing: AWS appends its XRAY line to REPORT
     */
    public void end(String requestId, double durationMillis, int memoryMb, long maxMemoryUsedMb,
            double initDurationMillis, Optional<TraceHeader> traced) {
        drainCapture();
        writeEnd(requestId, durationMillis, memoryMb, maxMemoryUsedMb, initDurationMillis, traced);
    }

    private synchronized void writeEnd(String requestId, double durationMillis, int memoryMb, long maxMemoryUsedMb,
            double initDurationMillis, Optional<TraceHeader> traced) {
        platform.end(requestId, durationMillis, memoryMb, maxMemoryUsedMb, initDurationMillis, traced)
                .forEach(m -> append(System.currentTimeMillis(), m));
    }

    /** Writes END and REPORT, then returns the last 4 KB logged since {@code position}. */
    public byte[] endAndTail(String requestId, double durationMillis, int memoryMb, long maxMemoryUsedMb,
            double initDurationMillis, Optional<TraceHeader> traced, long position) {
        drainCapture();
        synchronized (this) {
            writeEnd(requestId, durationMillis, memoryMb, maxMemoryUsedMb, initDurationMillis, traced);
            return tail(position);
        }
    }

    /** INIT_START (platform.initStart): an environment begins its init. */
    public void initStart(RuntimeVersion runtime, String initializationType, String functionName,
            String functionVersion) {
        platform.initStart(runtime, initializationType, functionName, functionVersion).forEach(this::line);
    }

    /** Writes AWS's INIT_REPORT line, logged when an init phase fails or overruns its limit. */
    public void initReport(double initDurationMillis, String phase, String status) {
        drainCapture();
        platform.initReport(initDurationMillis, phase, status).forEach(this::line);
    }

    /**
     * The last 4 KB of the messages logged since {@code position} (from {@link #start}), one per line: LogType=Tail's
     * result. Segments deleted since by the group's cap are skipped.
     */
    public synchronized byte[] tail(long position) {
        Map.Entry<Long, Long> first = segmentStarts.floorEntry(position);
        long fromSegment = first == null ? 0 : first.getValue();
        long fromOffset = first == null ? 0 : position - first.getKey();
        StringBuilder text = new StringBuilder();
        for (LogEvent event : files.events()) {
            LogEvent.EventPosition at = event.position();
            if (at.segment() > fromSegment || (at.segment() == fromSegment && at.offset() >= fromOffset)) {
                text.append(event.message()).append('\n');
            }
        }
        byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);
        return all.length <= TAIL_BYTES ? all : java.util.Arrays.copyOfRange(all, all.length - TAIL_BYTES, all.length);
    }

    /** Appends events as PutLogEvents gives them, in one write. */
    synchronized void appendAll(List<byte[]> encoded) {
        rollIfFull();
        int size = encoded.stream().mapToInt(b -> b.length).sum();
        ByteBuffer batch = ByteBuffer.allocate(size);
        encoded.forEach(batch::put);
        write(batch.flip());
    }

    /** Appends one event; true if that filled the segment, which was then closed and a new one begun. */
    private synchronized boolean append(long timestamp, String message) {
        write(ByteBuffer.wrap(EventLines.encode(timestamp, System.currentTimeMillis(), message)));
        return segmentBytes > limits.segmentBytes() && rollIfFull();
    }

    private void write(ByteBuffer bytes) {
        if (channel == null) {
            return; // closed: the environment is gone, what its last processes print is dropped
        }
        try {
            int length = bytes.remaining();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            segmentBytes += length;
            written += length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes the segment and begins a new one when it holds more than its limit or is older than its age limit (so
     * retention can delete it); true if it did. Called at each START, and by {@link LogGroups} for a function that
     * writes without pause.
     */
    synchronized boolean rollIfFull() {
        if (channel == null || segmentBytes == 0) {
            return false;
        }
        boolean full = segmentBytes > limits.segmentBytes();
        boolean old = System.currentTimeMillis() - segmentId > limits.segmentAge().toMillis();
        if (!full && !old) {
            return false;
        }
        closeChannel();
        beginSegment();
        return true;
    }

    /** The segment being written, which the group's cap never deletes. */
    synchronized long liveSegment() {
        return segmentId;
    }

    private void beginSegment() {
        Path segment = files.newSegment(System.currentTimeMillis());
        try {
            channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        segmentId = StreamFiles.segmentId(segment);
        segmentBytes = 0;
        segmentStarts.put(written, segmentId);
    }

    private void drainCapture() {
        OutputCapture running;
        synchronized (this) {
            running = capture;
        }
        if (running != null) {
            running.drain();
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a segment; nothing to recover
        }
        channel = null;
    }

    @Override
    public void close() {
        OutputCapture running;
        synchronized (this) {
            running = capture;
        }
        if (running != null) {
            running.drain(); // what the runtime printed before it was stopped
            running.close();
        }
        synchronized (this) {
            if (channel != null) {
                closeChannel();
            }
        }
        onClose.run();
    }
}
