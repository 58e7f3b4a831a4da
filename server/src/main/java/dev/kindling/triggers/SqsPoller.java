package dev.kindling.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.invoke.InvokeResult;
import dev.kindling.store.EventSourceMappingRecord;
import dev.kindling.triggers.PollerDecisions.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The pollers of one enabled event source mapping, as it was configured when they started (a change starts new
 * ones). Each poller is a virtual thread that loops: gather a batch (receive until {@link PollerDecisions} says it
 * is ready), drop the records the filter rejects (deleting them, as Lambda does), invoke the function with the rest,
 * delete what {@link BatchOutcome} says is done and leave the rest to reappear after the queue's visibility
 * timeout (so its redrive policy moves poison messages to the dead-letter queue), then let
 * {@link PollerDecisions#targetPollers} add or retire pollers. {@link #stop} ends polling at once: a poller
 * between receives stops, and messages received but not yet invoked are made visible again.
 */
final class SqsPoller {
    private static final Logger LOG = LoggerFactory.getLogger(SqsPoller.class);
    /** How long a poller pauses after a throttle or a failed receive. */
    private static final Duration BACK_OFF = Duration.ofSeconds(1);

    /** Runs one invocation of the mapping's function with a batch's event. */
    @FunctionalInterface
    interface BatchInvoker {
        InvokeResult invoke(byte[] event) throws Exception;
    }

    private final EventSourceMappingRecord mapping;
    private final String queueUrl;
    private final String region;
    private final SqsClient sqs;
    private final BatchInvoker function;
    private final RecordFilter filter;
    private final int limit;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object scaling = new Object();
    private int pollers;
    private int target = 1;

    SqsPoller(EventSourceMappingRecord mapping, String queueUrl, String region, SqsClient sqs,
            BatchInvoker function) {
        this.mapping = mapping;
        this.queueUrl = queueUrl;
        this.region = region;
        this.sqs = sqs;
        this.function = function;
        this.filter = new RecordFilter(mapping.filterPatterns());
        this.limit = mapping.maximumConcurrency().orElse(PollerDecisions.DEFAULT_MAXIMUM_POLLERS);
    }

    void start() {
        synchronized (scaling) {
            pollers++;
        }
        launch();
    }

    void stop() {
        stopped.countDown();
    }

    /** How many pollers run now (for tests and metrics). */
    int pollers() {
        synchronized (scaling) {
            return pollers;
        }
    }

    private boolean active() {
        return stopped.getCount() > 0;
    }

    private void launch() {
        Thread.ofVirtual().name("sqs-poller-" + mapping.uuid()).start(this::poll);
    }

    private void poll() {
        boolean retired = false;
        try {
            while (active() && !retired) {
                retired = !adjust(round());
            }
        } catch (RuntimeException e) {
            LOG.error("SQS poller of mapping {} failed", mapping.uuid(), e);
        } finally {
            if (!retired) {
                synchronized (scaling) {
                    pollers--;
                }
            }
        }
    }

    /** Applies the round's signal to the number of pollers; false if this poller is to retire (already counted). */
    private boolean adjust(Signal signal) {
        int added;
        synchronized (scaling) {
            target = PollerDecisions.targetPollers(target, limit, signal);
            if (pollers > target) {
                pollers--;
                return false;
            }
            added = target - pollers;
            pollers += added;
        }
        for (int i = 0; i < added && active(); i++) {
            launch();
        }
        return true;
    }

    /** Gathers one batch and delivers it. */
    private Signal round() {
        int batchSize = mapping.batching().size();
        Duration window = Duration.ofSeconds(mapping.batching().windowSeconds());
        List<Message> batch = new ArrayList<>();
        long bytes = 0;
        long firstAt = 0;
        while (active()) {
            Duration sinceFirst = batch.isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - firstAt);
            List<Message> received;
            try {
                received = receive(PollerDecisions.receiveCount(batch.size(), batchSize),
                        PollerDecisions.waitSeconds(batch.size(), window, sinceFirst));
            } catch (RuntimeException e) {
                if (active()) {
                    LOG.warn("SQS poller of mapping {} could not receive from {}: {}", mapping.uuid(), queueUrl,
                            e.toString());
                    pause();
                }
                break;
            }
            if (batch.isEmpty() && !received.isEmpty()) {
                firstAt = System.nanoTime();
            }
            for (Message message : received) {
                bytes += add(batch, message);
            }
            sinceFirst = batch.isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - firstAt);
            if (batch.isEmpty() || PollerDecisions.readyToInvoke(batch.size(), bytes, batchSize, window, sinceFirst)) {
                break;
            }
        }
        if (batch.isEmpty()) {
            return Signal.EMPTY;
        }
        if (!active()) {
            release(batch);
            return Signal.EMPTY;
        }
        return deliver(batch);
    }

    /**
     * Adds a received message to the batch; a message received again while the batch gathered (its visibility
     * timeout is shorter than the batching window) replaces its earlier copy, whose receipt handle is stale.
     * Returns the bytes it adds.
     */
    private static long add(List<Message> batch, Message message) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).messageId().equals(message.messageId())) {
                batch.set(i, message);
                return 0;
            }
        }
        batch.add(message);
        return SqsRecords.size(message);
    }

    private Signal deliver(List<Message> batch) {
        List<ObjectNode> records = new ArrayList<>();
        List<Message> invoked = new ArrayList<>();
        List<Message> rejected = new ArrayList<>();
        for (Message message : batch) {
            ObjectNode record = SqsRecords.record(message, mapping.eventSourceArn(), region);
            if (filter.passes(record)) {
                records.add(record);
                invoked.add(message);
            } else {
                rejected.add(message);
            }
        }
        delete(rejected, m -> true);
        Signal full = batch.size() >= mapping.batching().size() ? Signal.FULL_BATCH : Signal.PARTIAL_BATCH;
        if (invoked.isEmpty()) {
            return full;
        }
        InvokeResult result;
        try {
            result = function.invoke(SqsRecords.event(records));
        } catch (LambdaException e) {
            if (e.type() == ErrorType.TooManyRequestsException) {
                release(invoked); // to be received again when the function has concurrency to spare
                pause();
                return Signal.THROTTLED;
            }
            LOG.warn("Event source mapping {} could not invoke {}: {}", mapping.uuid(), mapping.functionArn(),
                    e.getMessage());
            pause();
            return Signal.PARTIAL_BATCH; // the messages return after their visibility timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Signal.EMPTY;
        } catch (Exception e) {
            LOG.error("Event source mapping {} failed to invoke {}", mapping.uuid(), mapping.functionArn(), e);
            pause();
            return Signal.PARTIAL_BATCH;
        }
        Set<String> done = BatchOutcome.done(invoked.stream().map(Message::messageId).toList(),
                !result.functionError().isEmpty(), mapping.reportBatchItemFailures(), result.payload());
        delete(invoked, m -> done.contains(m.messageId()));
        return full;
    }

    private List<Message> receive(int count, int waitSeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(count).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All"))
                .messages();
    }

    private void delete(List<Message> messages, Predicate<Message> which) {
        List<Message> chosen = messages.stream().filter(which).toList();
        for (int from = 0; from < chosen.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : chosen.subList(from, Math.min(chosen.size(), from + 10))) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
            try {
                sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            } catch (RuntimeException e) {
                LOG.warn("Event source mapping {} could not delete messages from {}: {}", mapping.uuid(), queueUrl,
                        e.toString());
            }
        }
    }

    /** Makes messages received but not handled visible again at once. */
    private void release(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages.subList(from, Math.min(messages.size(), from + 10))) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
            } catch (RuntimeException e) {
                LOG.warn("Event source mapping {} could not return messages to {}: {}", mapping.uuid(), queueUrl,
                        e.toString());
            }
        }
    }

    /** Waits a moment, or less if the mapping stops meanwhile. */
    private void pause() {
        try {
            stopped.await(BACK_OFF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
