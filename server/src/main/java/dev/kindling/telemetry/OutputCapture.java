package dev.kindling.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Turns a runtime's output (stdout and stderr, one pipe) into log events line by line, each stamped with the time
 * its line was read: a thread of its own per environment blocks on the pipe, as a pipe cannot be polled. A line
 * longer than an event may be (AWS's 256 KB) is cut into several events.
 *
 * <p>Before END is written, {@link #drain} waits until what the pump has read is logged: the runtimes flush before
 * they answer, and the pump wakes at the write, long before the answer has crossed the Runtime API, so all an
 * invocation printed comes before its END. The pipe cannot be asked what it holds meanwhile: a Process's stream
 * locks itself for the whole of a blocking read, so {@code available()} would wait for the runtime's next line. (The
 * race left: a pump descheduled between its read and its handling for longer than the answer's round trip.)
 */
final class OutputCapture {
    static final int MAX_EVENT_BYTES = 256 * 1024 - 26;
    private static final long DRAIN_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final InputStream pipe;
    private final LogStream stream;
    private final Object lock = new Object();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // guarded by lock
    private volatile boolean handling;
    private volatile boolean ended;

    OutputCapture(InputStream pipe, LogStream stream) {
        this.pipe = pipe;
        this.stream = stream;
    }

    void start(String threadName) {
        Thread.ofPlatform().daemon().name(threadName).stackSize(256 * 1024).start(this::pump);
    }

    private void pump() {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = pipe.read(buffer)) >= 0) {
                handling = true;
                synchronized (lock) {
                    split(buffer, n, System.currentTimeMillis());
                    handling = false;
                    lock.notifyAll();
                }
            }
        } catch (IOException e) {
            // the environment was destroyed: its pipe closed under the read
        } finally {
            synchronized (lock) {
                flushPartial(System.currentTimeMillis());
                ended = true;
                handling = false;
                lock.notifyAll();
            }
        }
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

    /** Waits (up to half a second) until what the pump has read is logged, and logs a line still unfinished. */
    void drain() {
        long deadline = System.nanoTime() + DRAIN_LIMIT_NANOS;
        synchronized (lock) {
            try {
                while (!ended && handling && System.nanoTime() < deadline) {
                    lock.wait(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flushPartial(System.currentTimeMillis());
        }
    }
}
