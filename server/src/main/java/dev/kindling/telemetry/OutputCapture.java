package dev.kindling.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns a runtime's output (stdout and stderr, one pipe) into log events line by line, each stamped with the time
 * its line was read. A line longer than an event may be (AWS's 256 KB) is cut into several events.
 *
 * <p>Nothing ever blocks in a read of the pipe: a Process's stream locks itself for the whole of a blocking read, and
 * then nobody could ask it what it holds. Before START and END, {@link #drain} reads everything the pipe holds on the
 * invoking thread: the runtimes flush before they answer, so all an invocation printed comes before its END (and
 * init output before the first START), whatever the scheduler did. Between them a virtual thread reads what the
 * pipe holds ({@code available()}), so lines get the time they were written to within {@link #BUSY_POLL_NANOS}
 * while invocations run and output flows, and within {@link #IDLE_POLL_NANOS} in an idle environment. It is woken
 * at most once per idle spell ({@link #quicken}), never per invocation: at thousands of invocations a second an
 * environment costs its poller fifty wake-ups a second, not thousands.
 */
final class OutputCapture {
    static final int MAX_EVENT_BYTES = 256 * 1024 - 26;
    private static final long BUSY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How long after the last START an environment counts as busy. */
    private static final long BUSY_SPELL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final InputStream pipe;
    private final LogStream stream;
    private final Object lock = new Object();
    private final byte[] buffer = new byte[16 * 1024]; // guarded by lock
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // guarded by lock
    private volatile long lastStartNanos;
    private volatile boolean idle = true;
    private volatile Thread poller;
    private volatile boolean closed;
    private boolean ended; // guarded by lock

    OutputCapture(InputStream pipe, LogStream stream) {
        this.pipe = pipe;
        this.stream = stream;
    }

    void start(String threadName) {
        poller = Thread.ofVirtual().name(threadName).start(this::poll);
    }

    /** An invocation starts: read its output at the busy pace; wakes the poller only if it was idle. */
    void quicken() {
        lastStartNanos = System.nanoTime();
        Thread sleeping = poller;
        if (idle && sleeping != null) {
            idle = false;
            LockSupport.unpark(sleeping);
        }
    }

    /** Stops reading: the environment is gone. */
    void close() {
        closed = true;
    }

    private void poll() {
        while (!closed) {
            boolean read;
            synchronized (lock) {
                read = readAvailable();
                if (ended) {
                    return;
                }
            }
            idle = !read && System.nanoTime() - lastStartNanos > BUSY_SPELL_NANOS;
            LockSupport.parkNanos(idle ? IDLE_POLL_NANOS : BUSY_POLL_NANOS);
        }
    }

    /** Reads and logs whatever the pipe holds now, without blocking; true if there was any. Under the lock. */
    private boolean readAvailable() {
        boolean any = false;
        try {
            for (int n = pipe.available(); n > 0 && !ended; n = pipe.available()) {
                int read = pipe.read(buffer, 0, Math.min(n, buffer.length));
                if (read < 0) {
                    ended = true;
                    flushPartial(System.currentTimeMillis());
                    break;
                }
                split(buffer, read, System.currentTimeMillis());
                any = true;
            }
        } catch (IOException e) { // the environment was destroyed: its pipe closed
            ended = true;
            flushPartial(System.currentTimeMillis());
        }
        return any;
    }

    private void split(byte[] buffer, int length, long now) {
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
                partial.write(buffer, lineStart, i - lineStart);
                emit(now);
                lineStart = i + 1;
            }
        }
        partial.write(buffer, lineStart, length - lineStart);
        if (partial.size() >= MAX_EVENT_BYTES) {
            emit(now);
        }
    }

    private void flushPartial(long now) {
        if (partial.size() > 0) {
            emit(now);
        }
    }

    private void emit(long now) {
        byte[] bytes = partial.toByteArray();
        partial.reset();
        for (int from = 0; from < bytes.length || from == 0; from += MAX_EVENT_BYTES) {
            int to = Math.min(bytes.length, from + MAX_EVENT_BYTES);
            String line = new String(bytes, from, to - from, StandardCharsets.UTF_8);
            stream.captured(now, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            if (to == bytes.length) {
                break;
            }
        }
    }

    /** Logs everything the runtime has written so far, a line still unfinished included. */
    void drain() {
        synchronized (lock) {
            if (!ended) {
                readAvailable();
            }
            flushPartial(System.currentTimeMillis());
        }
    }
}
