package dev.kindling.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The asynchronous-invocation metrics AWS publishes (AsyncEventsReceived, AsyncEventAge, AsyncEventsDropped,
 * DestinationDeliveryFailures' counterpart): events accepted and given up per function, destination deliveries,
 * and the age of the oldest event waiting, read from the queue when /metrics is scraped. Accepted and dropped events
 * are recorded for CloudWatch's API too ({@link LambdaMetrics}).
 */
public final class AsyncEventMetrics implements AsyncEventObserver {
    private final MeterRegistry registry;
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private final Supplier<OptionalLong> oldestReceivedMillis;
    private final Clock clock;
    private final LambdaMetrics cloudWatch;

    /** @param oldestReceivedMillis when the oldest waiting event was accepted (epoch ms), empty when none waits */
    public AsyncEventMetrics(MeterRegistry registry, Supplier<OptionalLong> oldestReceivedMillis, Clock clock,
            LambdaMetrics cloudWatch) {
        this.registry = registry;
        this.cloudWatch = cloudWatch;
        this.oldestReceivedMillis = oldestReceivedMillis;
        this.clock = clock;
        Gauge.builder("kindling.async.oldest.event.age", oldestAgeMillis, age -> age.get() / 1000.0)
                .baseUnit("seconds")
                .description("Age of the oldest asynchronous event waiting or running (AWS/Lambda AsyncEventAge)")
                .register(registry);
    }

    /** Reads the oldest event's age from the queue: called before each scrape. */
    public void refresh() {
        OptionalLong oldest = oldestReceivedMillis.get();
        oldestAgeMillis.set(oldest.isPresent() ? Math.max(0, clock.millis() - oldest.getAsLong()) : 0);
    }

    @Override
    public void received(String functionName) {
        Counter.builder("kindling.async.events.received").tag("function", functionName)
                .description("Asynchronous events accepted, each stored before its 202 (AWS/Lambda AsyncEventsReceived)")
                .register(registry).increment();
        cloudWatch.asyncEventReceived(functionName);
    }

    @Override
    public void dropped(String functionName, String reason) {
        Counter.builder("kindling.async.events.dropped").tag("function", functionName).tag("reason", reason)
                .description("Asynchronous events given up without success (AWS/Lambda AsyncEventsDropped)")
                .register(registry).increment();
        cloudWatch.asyncEventDropped(functionName);
    }

    @Override
    public void delivered(String functionName, String condition) {
        Counter.builder("kindling.async.destination.deliveries").tag("function", functionName)
                .tag("condition", condition)
                .description("Invocation records sent to a destination, by the record's condition")
                .register(registry).increment();
    }

    @Override
    public void attempting(String functionName, long ageMillis) {
        cloudWatch.asyncEventAge(functionName, ageMillis);
    }

    @Override
    public void deliveryFailed(String functionName) {
        Counter.builder("kindling.async.destination.delivery.failures").tag("function", functionName)
                .description("Invocation records a destination could not take (AWS/Lambda DestinationDeliveryFailures)")
                .register(registry).increment();
        cloudWatch.destinationDeliveryFailed(functionName);
    }

    @Override
    public void deadLettered(String functionName, boolean sent) {
        Counter.builder(sent ? "kindling.async.dead.letters" : "kindling.async.dead.letter.errors")
                .tag("function", functionName)
                .description(sent ? "Failed events sent to the function's dead-letter queue"
                        : "Failed events the dead-letter queue could not take (AWS/Lambda DeadLetterErrors)")
                .register(registry).increment();
        if (!sent) {
            cloudWatch.deadLetterError(functionName);
        }
    }
}
