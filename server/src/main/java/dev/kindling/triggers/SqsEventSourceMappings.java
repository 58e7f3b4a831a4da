package dev.kindling.triggers;

import dev.kindling.control.EventSourceMappingListener;
import dev.kindling.control.EventSourceMappingService;
import dev.kindling.control.FunctionService;
import dev.kindling.invoke.Invoker;
import dev.kindling.store.EventSourceMappingRecord;
import dev.kindling.store.FunctionRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pollers of every enabled SQS event source mapping: started for each stored mapping when Kindling
 * starts, replaced when a mapping changes, stopped when it is disabled or deleted. A mapping whose queue is on
 * another SQS endpoint that cannot be reached is tried again every 10 s until it can. Invocations go through the
 * normal synchronous path ({@link Invoker}: concurrency, logs, metrics and usage count them) under the mapping's
 * function ARN.
 */
public final class SqsEventSourceMappings implements EventSourceMappingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSourceMappings.class);
    private static final long RETRY_SECONDS = 10;

    private final EventSourceMappingService mappings;
    private final SqsQueues queues;
    private final FunctionService functions;
    private final Invoker invoker;
    private final Map<String, SqsPoller> running = new HashMap<>();
    /** Enabled mappings whose queue's SQS endpoint could not be reached, by UUID: tried again every 10 s. */
    private final Map<String, EventSourceMappingRecord> unreachable = new HashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("sqs-endpoint-retries").factory());

    public SqsEventSourceMappings(EventSourceMappingService mappings, SqsQueues queues, FunctionService functions,
            Invoker invoker) {
        this.mappings = mappings;
        this.queues = queues;
        this.functions = functions;
        this.invoker = invoker;
    }

    /** Starts polling for every stored mapping that is enabled. */
    public void start() {
        mappings.all().forEach(this::mappingChanged);
        retries.scheduleWithFixedDelay(this::retryUnreachable, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void mappingChanged(EventSourceMappingRecord mapping) {
        unreachable.remove(mapping.uuid());
        Optional.ofNullable(running.remove(mapping.uuid())).ifPresent(SqsPoller::stop);
        if (mapping.enabled()) {
            start(mapping);
        }
        mappings.settled(mapping);
    }

    private void start(EventSourceMappingRecord mapping) {
        Optional<SqsQueues.Location> queue;
        try {
            queue = queues.locate(mapping.eventSourceArn());
        } catch (RuntimeException e) { // another SQS endpoint, out of reach
            unreachable.put(mapping.uuid(), mapping);
            LOG.warn("Event source mapping {}: queue {} could not be reached ({}); trying again every {} s",
                    mapping.uuid(), mapping.eventSourceArn(), e.getMessage(), RETRY_SECONDS);
            return;
        }
        queue.ifPresentOrElse(location -> poll(mapping, location), () -> LOG.warn(
                "Event source mapping {}: queue {} does not exist; not polling", mapping.uuid(),
                mapping.eventSourceArn()));
    }

    private void poll(EventSourceMappingRecord mapping, SqsQueues.Location queue) {
        SqsPoller poller = new SqsPoller(mapping, queue.url(), queue.region(), queue.client(),
                event -> invoke(mapping.functionArn(), event));
        running.put(mapping.uuid(), poller);
        poller.start();
    }

    @Override
    public synchronized void mappingDeleted(String uuid) {
        unreachable.remove(uuid);
        Optional.ofNullable(running.remove(uuid)).ifPresent(SqsPoller::stop);
    }

    /**
     * Tries the mappings whose endpoint was out of reach again, asking the endpoints without holding the lock (an
     * endpoint that does not answer must not hold up changes to other mappings); one still out of reach stays for
     * the next try, one changed or deleted meanwhile is left to that change.
     */
    private void retryUnreachable() {
        List<EventSourceMappingRecord> waiting;
        synchronized (this) {
            waiting = List.copyOf(unreachable.values());
        }
        for (EventSourceMappingRecord mapping : waiting) {
            Optional<SqsQueues.Location> queue;
            try {
                queue = queues.locate(mapping.eventSourceArn());
            } catch (RuntimeException e) {
                continue;
            }
            synchronized (this) {
                if (unreachable.get(mapping.uuid()) != mapping) {
                    continue;
                }
                unreachable.remove(mapping.uuid());
                if (queue.isEmpty()) {
                    LOG.warn("Event source mapping {}: queue {} does not exist; not polling", mapping.uuid(),
                            mapping.eventSourceArn());
                } else {
                    poll(mapping, queue.get());
                    LOG.info("Event source mapping {}: queue {} reached; polling", mapping.uuid(),
                            mapping.eventSourceArn());
                }
            }
        }
    }

    private dev.kindling.invoke.InvokeResult invoke(String functionArn, byte[] event) throws Exception {
        FunctionRecord f = invoker.resolve(functions.parseRef(functionArn, ""));
        return invoker.invoke(UUID.randomUUID().toString(), f, functionArn, event, null, Optional.empty(), false);
    }

    @Override
    public synchronized void close() {
        retries.shutdownNow();
        unreachable.clear();
        running.values().forEach(SqsPoller::stop);
        running.clear();
    }
}
