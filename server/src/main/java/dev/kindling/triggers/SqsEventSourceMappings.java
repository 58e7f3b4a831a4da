package dev.kindling.triggers;

import dev.kindling.control.EventSourceMappingListener;
import dev.kindling.control.EventSourceMappingService;
import dev.kindling.control.FunctionService;
import dev.kindling.invoke.Invoker;
import dev.kindling.store.EventSourceMappingRecord;
import dev.kindling.store.FunctionRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pollers of every enabled SQS event source mapping: started for each stored mapping when Kindling
 * starts, replaced when a mapping changes, stopped when it is disabled or deleted. Invocations go through the
 * normal synchronous path ({@link Invoker}: concurrency, logs, metrics and usage count them) under the mapping's
 * function ARN.
 */
public final class SqsEventSourceMappings implements EventSourceMappingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSourceMappings.class);

    private final EventSourceMappingService mappings;
    private final SqsQueues queues;
    private final FunctionService functions;
    private final Invoker invoker;
    private final Map<String, SqsPoller> running = new HashMap<>();

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
    }

    @Override
    public synchronized void mappingChanged(EventSourceMappingRecord mapping) {
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
            LOG.warn("Event source mapping {}: queue {} could not be reached ({}); not polling until the mapping"
                    + " changes or Kindling restarts", mapping.uuid(), mapping.eventSourceArn(), e.getMessage());
            return;
        }
        if (queue.isEmpty()) {
            LOG.warn("Event source mapping {}: queue {} does not exist; not polling", mapping.uuid(),
                    mapping.eventSourceArn());
            return;
        }
        SqsPoller poller = new SqsPoller(mapping, queue.get().url(), queue.get().region(), queue.get().client(),
                event -> invoke(mapping.functionArn(), event));
        running.put(mapping.uuid(), poller);
        poller.start();
    }

    @Override
    public synchronized void mappingDeleted(String uuid) {
        Optional.ofNullable(running.remove(uuid)).ifPresent(SqsPoller::stop);
    }

    private dev.kindling.invoke.InvokeResult invoke(String functionArn, byte[] event) throws Exception {
        FunctionRecord f = invoker.resolve(functions.parseRef(functionArn, ""));
        return invoker.invoke(UUID.randomUUID().toString(), f, functionArn, event, null, Optional.empty(), false);
    }

    @Override
    public synchronized void close() {
        running.values().forEach(SqsPoller::stop);
        running.clear();
    }
}
