package dev.kindling.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A trigger's metrics as counters on /metrics: {@code <prefix>.invocations} and {@code <prefix>.failed.invocations},
 * tagged with the rule's or schedule's ARN (AWS/Events and AWS/Scheduler Invocations and FailedInvocations).
 */
public final class TriggerInvocationMetrics implements TriggerInvocationObserver {
    private final MeterRegistry registry;
    private final String prefix;
    private final String sourceTag;

    /** EventBridge rules: {@code kindling_events_invocations_total{rule}}, ... */
    public static TriggerInvocationMetrics rules(MeterRegistry registry) {
        return new TriggerInvocationMetrics(registry, "kindling.events", "rule");
    }

    /** EventBridge Scheduler: {@code kindling_scheduler_invocations_total{schedule}}, ... */
    public static TriggerInvocationMetrics schedules(MeterRegistry registry) {
        return new TriggerInvocationMetrics(registry, "kindling.scheduler", "schedule");
    }

    private TriggerInvocationMetrics(MeterRegistry registry, String prefix, String sourceTag) {
        this.registry = registry;
        this.prefix = prefix;
        this.sourceTag = sourceTag;
    }

    @Override
    public void invoked(String source) {
        Counter.builder(prefix + ".invocations").tag(sourceTag, source)
                .description("Events a " + sourceTag + " handed to a target (Invocations)")
                .register(registry).increment();
    }

    @Override
    public void failed(String source, String reason) {
        Counter.builder(prefix + ".failed.invocations").tag(sourceTag, source).tag("reason", reason)
                .description("Deliveries of a " + sourceTag + "'s events that failed (FailedInvocations)")
                .register(registry).increment();
    }

    @Override
    public void deadLettered(String source, boolean sent) {
        Counter.builder(prefix + (sent ? ".invocations.sent.to.dlq" : ".invocations.failed.to.be.sent.to.dlq"))
                .tag(sourceTag, source)
                .description(sent ? "Undelivered events sent to the target's dead-letter queue (InvocationsSentToDLQ)"
                        : "Undelivered events the dead-letter queue could not take (InvocationsFailedToBeSentToDLQ)")
                .register(registry).increment();
    }
}
