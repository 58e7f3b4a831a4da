package dev.kindling.invoke;

import dev.kindling.store.AsyncEventRecord;
import dev.kindling.store.AsyncEventRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stores accepted asynchronous events before their 202 is sent. Events that arrive together are committed together
 * (group commit): one writer takes everything waiting, stores it in one transaction, one disk flush, and then lets
 * all their callers answer. Under load the flush is shared; alone, an event waits for just its own.
 */
final class EventIntake implements AutoCloseable {
    private static final int MAX_BATCH = 256;

    private record Pending(AsyncEventRecord event, CompletableFuture<Void> stored) {}

    private final AsyncEventRepository repository;
    private final Runnable onStored;
    private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /** @param onStored told after each commit, so the events run without waiting for a poll */
    EventIntake(AsyncEventRepository repository, Runnable onStored) {
        this.repository = repository;
        this.onStored = onStored;
        this.writer = Thread.ofVirtual().name("event-intake").start(this::writeUntilClosed);
    }

    /** Returns once the event is committed to disk; throws if it could not be. */
    void store(AsyncEventRecord event) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the server is stopping");
        }
        Pending pending = new Pending(event, new CompletableFuture<>());
        waiting.add(pending);
        try {
            // Bounded: an event added just as the writer stops is never written, and its caller gets an error.
            pending.stored().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the event could not be stored in time");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the event could not be stored: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private void writeUntilClosed() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        waiting.forEach(p -> p.stored().completeExceptionally(new IllegalStateException("the server is stopping")));
    }

    private void write(List<Pending> batch) {
        try {
            repository.add(batch.stream().map(Pending::event).toList());
        } catch (RuntimeException e) {
            batch.forEach(p -> p.stored().completeExceptionally(e));
            return;
        }
        batch.forEach(p -> p.stored().complete(null));
        onStored.run();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }
}
