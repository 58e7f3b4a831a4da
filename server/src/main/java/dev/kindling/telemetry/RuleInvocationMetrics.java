package dev.kindling.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** EventBridge's per-rule metrics (AWS/Events Invocations and FailedInvocations) as counters on /metrics. */
public final class RuleInvocationMetrics implements RuleInvocationObserver {
    private final MeterRegistry registry;

    public RuleInvocationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void invoked(String ruleArn) {
        Counter.builder("kindling.events.invocations").tag("rule", ruleArn)
                .description("Events a rule handed to a target (AWS/Events Invocations)")
                .register(registry).increment();
    }

    @Override
    public void failed(String ruleArn, String reason) {
        Counter.builder("kindling.events.failed.invocations").tag("rule", ruleArn).tag("reason", reason)
                .description("Deliveries of a rule's events that failed (AWS/Events FailedInvocations)")
                .register(registry).increment();
    }
}
