package dev.kindling.invoke;

import dev.kindling.runtimeapi.ResponseSink;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A streamed response on its way from the runtime that writes it to the caller that reads it: a few chunks in
 * flight at most, so a slow caller slows the function's writes instead of filling memory. The invoking side says
 * when the invocation is over ({@link #end}); a caller that leaves says so ({@link #readerGone}) and the rest is
 * dropped.
 */
public final class ResponseChunks implements ResponseSink {
    private static final int IN_FLIGHT = 16;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final CountDownLatch begun = new CountDownLatch(1);
    private volatile boolean readerGone;
    private volatile boolean streamed;
    private volatile String contentType = "application/octet-stream";

    @Override
    public void begin(String contentType) {
        this.contentType = contentType;
        streamed = true;
        begun.countDown();
    }

    @Override
    public boolean write(byte[] chunk) throws InterruptedException {
        while (!readerGone) {
            if (chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** The invocation is over: nothing more will be written. */
    public void end() throws InterruptedException {
        begun.countDown();
        while (!readerGone && !chunks.offer(END, 100, TimeUnit.MILLISECONDS)) {
            // the reader is behind: wait for room
        }
    }

    /** Waits until the runtime begins streaming, or the invocation is over without it. */
    public void awaitBegun() throws InterruptedException {
        begun.await();
    }

    /** The content type the runtime gave its stream. */
    public String contentType() {
        return contentType;
    }

    /** Whether the runtime streamed its response (else the invocation's result holds it whole). */
    public boolean streamed() {
        return streamed;
    }

    /** The next chunk, waiting for it; empty once the invocation is over. */
    public Optional<byte[]> next() throws InterruptedException {
        byte[] chunk = chunks.take();
        return chunk == END ? Optional.empty() : Optional.of(chunk);
    }

    /** The caller left: what is still written is dropped. */
    public void readerGone() {
        readerGone = true;
        chunks.clear();
    }
}
