package dev.kindling.invoke;

import dev.kindling.control.EventInvokeConfigService;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.MessageQueues;
import dev.kindling.store.AsyncEventRecord;
import dev.kindling.store.AsyncEventRepository;
import dev.kindling.telemetry.AsyncEventObserver;
import dev.kindling.telemetry.TraceHeader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Asynchronous invocation that never loses an event: an accepted event is committed to the durable queue before
 * its caller hears 202 ({@link EventIntake}), then run, retried and settled by the {@link EventDispatcher}, its
 * outcome delivered to its destinations ({@link Destinations}). The path Event invocations and every trigger take.
 */
public final class AsyncInvocations implements AutoCloseable {
    private final EventIntake intake;
    private final EventDispatcher dispatcher;
    private final Clock clock;
    private final AsyncEventObserver observer;

    /**
     * @param retryDelay the wait before a failed event's first retry (AWS: about a minute); twice that before the second
     * @param maxRunning how many events run at once, at most (each holds its payload in memory)
     * @param observer told of events received, given up and delivered (the metrics)
     */
    public AsyncInvocations(AsyncEventRepository events, FunctionService functions, Invoker invoker,
            EventInvokeConfigService configs, MessageQueues queues, Duration retryDelay, int maxRunning, AsyncEventObserver observer,
            Clock clock) {
        this.clock = clock;
        this.observer = observer;
        Destinations destinations = new Destinations(configs, functions,
                (requestId, function, payload) -> accept(requestId, function, payload, Optional.empty()), queues, observer);
        this.dispatcher = new EventDispatcher(events, functions, invoker, new RetryPolicies(configs, retryDelay),
                destinations, maxRunning, observer, clock);
        this.intake = new EventIntake(events, dispatcher::wake);
    }

    /** Runs the events stored before this start (those a stopped server had taken, again) and every new one. */
    public void start() {
        dispatcher.start();
    }

    /**
     * Stores an event for the function (a version or alias, as the caller named it); returns once it is on disk.
     *
     * @param requestId the invocation's id, kept by every attempt
     * @param upstreamTrace the caller's trace, which every attempt continues
     */
    public void accept(String requestId, FunctionRef function, byte[] payload, Optional<TraceHeader> upstreamTrace)
            throws InterruptedException {
        long now = clock.millis();
        intake.store(new AsyncEventRecord(requestId, function.name(), function.qualifier(), payload,
                upstreamTrace.map(TraceHeader::value), 0, now, now));
        observer.received(function.name());
    }

    @Override
    public void close() throws InterruptedException {
        intake.close();
        dispatcher.close();
    }
}
