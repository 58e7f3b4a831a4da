package dev.kindling.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.control.AccessRequest;
import dev.kindling.control.FunctionPolicies;
import dev.kindling.control.FunctionService;
import dev.kindling.control.MessageQueues;
import dev.kindling.invoke.AsyncInvocations;
import dev.kindling.store.EventRuleRecord;
import dev.kindling.store.EventTargetRecord;
import dev.kindling.telemetry.TriggerInvocationObserver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an event a rule matched (or a schedule fired) to each of the rule's targets: the input the target asks for,
 * invoked asynchronously through the durable queue, as EventBridge invokes Lambda. Once queued, the event is
 * delivered: what the function then does with it (errors, retries, destinations) is the function's asynchronous
 * configuration's business, as on AWS.
 *
 * <p>A delivery fails when the target's function does not exist (NO_RESOURCE) or its resource policy does not let
 * events.amazonaws.com invoke it for this rule (NO_PERMISSIONS): as EventBridge does, those are not retried, and the
 * event goes straight to the target's dead-letter queue. A delivery that fails otherwise (the durable queue could
 * not take it: INTERNAL_ERROR) is retried as the target's {@link TargetRetryPolicy} says, then dead-lettered. Every
 * failure is logged and counted; the other targets are still served.
 */
public final class EventDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
    /** The service principal a function's policy must allow, with the rule's ARN as the source. */
    static final String PRINCIPAL = "events.amazonaws.com";
    private final EventRules rules;
    private final FunctionService functions;
    private final AsyncInvocations invocations;
    private final FunctionPolicies policies;
    private final MessageQueues queues;
    private final TriggerInvocationObserver observer;
    /** Retries wait here; they are kept in memory only, so a retry due after a restart is not made. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("event-target-retries").factory());

    public EventDelivery(EventRules rules, FunctionService functions, AsyncInvocations invocations,
            FunctionPolicies policies, MessageQueues queues, TriggerInvocationObserver observer) {
        this.rules = rules;
        this.functions = functions;
        this.invocations = invocations;
        this.policies = policies;
        this.queues = queues;
        this.observer = observer;
    }

    /** One event on its way to one target; {@code attempt} counts from 1. */
    private record Delivery(String ruleArn, TargetInput.MatchedRule matched, RuleTarget target, ObjectNode event,
            int attempt, long firstAttemptNanos) {
        Delivery again() {
            return new Delivery(ruleArn, matched, target, event, attempt + 1, firstAttemptNanos);
        }
    }

    /** Why a delivery failed: EventBridge's ERROR_CODE, the metric's reason, a message, and whether to retry. */
    private record Failure(String errorCode, String reason, String message, boolean retryable) {}

    /** Delivers {@code event} to every target of {@code rule}; returns once each is queued or has failed. */
    public void deliver(EventRuleRecord rule, ObjectNode event) throws InterruptedException {
        String ruleArn = rules.ruleArn(rule.key());
        TargetInput.MatchedRule matched = new TargetInput.MatchedRule(rule.key().name(), ruleArn);
        for (EventTargetRecord record : rules.targetsOf(rule.key())) {
            RuleTarget target = RuleTarget.of(record, rules.region(), rules.accountId());
            attempt(new Delivery(ruleArn, matched, target, event, 1, System.nanoTime()));
        }
    }

    private void attempt(Delivery d) throws InterruptedException {
        Optional<Failure> failed = tryOnce(d);
        if (failed.isEmpty()) {
            observer.invoked(d.ruleArn());
            return;
        }
        Failure failure = failed.get();
        LOG.warn("EventBridge rule {} could not invoke target {} ({}), attempt {}: {}", d.ruleArn(), d.target().id(),
                d.target().arn(), d.attempt(), failure.message());
        observer.failed(d.ruleArn(), failure.reason());
        if (!failure.retryable()) {
            deadLetter(d, failure, Optional.empty());
            return;
        }
        TargetRetryPolicy.Next next = d.target().retryPolicy().afterFailure(d.attempt(),
                Duration.ofNanos(System.nanoTime() - d.firstAttemptNanos()));
        if (next.delay().isPresent()) {
            retries.schedule(() -> retry(d.again()), next.delay().get().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            deadLetter(d, failure, next.exhausted());
        }
    }

    private void retry(Delivery d) {
        try {
            attempt(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Failure> tryOnce(Delivery d) throws InterruptedException {
        RuleTarget target = d.target();
        try {
            functions.get(target.function());
        } catch (LambdaException e) {
            return Optional.of(new Failure("NO_RESOURCE", "function-not-found", e.getMessage(), false));
        }
        if (!policies.allows(target.function(), AccessRequest.byService(PRINCIPAL, d.ruleArn()))) {
            return Optional.of(new Failure("NO_PERMISSIONS", "permission", PRINCIPAL + " is not authorized to"
                    + " perform: lambda:InvokeFunction on resource: " + functions.arn(target.function().qualifiedName())
                    + " because no resource-based policy allows the lambda:InvokeFunction action (aws lambda"
                    + " add-permission --function-name " + target.function().qualifiedName() + " --statement-id <id>"
                    + " --action lambda:InvokeFunction --principal " + PRINCIPAL + " --source-arn " + d.ruleArn()
                    + ")", false));
        }
        try {
            invocations.accept(UUID.randomUUID().toString(), target.function(),
                    target.input().render(d.event(), d.matched()), Optional.empty());
        } catch (RuntimeException e) {
            return Optional.of(new Failure("INTERNAL_ERROR", "internal", e.toString(), true));
        }
        return Optional.empty();
    }

    /**
     * Sends the undelivered event to the target's dead-letter queue, if it has one, with the attributes EventBridge
     * puts on it: RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, and after retries EXHAUSTED_RETRY_CONDITION and
     * RETRY_ATTEMPTS.
     */
    private void deadLetter(Delivery d, Failure failure, Optional<TargetRetryPolicy.Exhausted> exhausted) {
        if (d.target().deadLetterQueue().isEmpty()) {
            return;
        }
        String queue = d.target().deadLetterQueue().get();
        Map<String, MessageQueues.Attribute> attributes = new LinkedHashMap<>();
        attributes.put("RULE_ARN", MessageQueues.Attribute.string(d.ruleArn()));
        attributes.put("TARGET_ARN", MessageQueues.Attribute.string(d.target().arn()));
        attributes.put("ERROR_CODE", MessageQueues.Attribute.string(failure.errorCode()));
        attributes.put("ERROR_MESSAGE", MessageQueues.Attribute.string(failure.message()));
        exhausted.ifPresent(condition -> {
            attributes.put("EXHAUSTED_RETRY_CONDITION", MessageQueues.Attribute.string(condition.name()));
            attributes.put("RETRY_ATTEMPTS", MessageQueues.Attribute.number(d.attempt() - 1));
        });
        try {
            queues.send(queue, d.event().toString(), attributes);
            observer.deadLettered(d.ruleArn(), true);
        } catch (RuntimeException e) {
            LOG.warn("EventBridge rule {}: the dead-letter queue {} of target {} could not take the event: {}",
                    d.ruleArn(), queue, d.target().id(), e.getMessage());
            observer.deadLettered(d.ruleArn(), false);
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
