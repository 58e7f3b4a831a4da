package dev.kindling.triggers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.control.AccessRequest;
import dev.kindling.control.FunctionPolicies;
import dev.kindling.control.FunctionService;
import dev.kindling.invoke.AsyncInvocations;
import dev.kindling.store.EventRuleRecord;
import dev.kindling.store.EventTargetRecord;
import dev.kindling.telemetry.TriggerInvocationObserver;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an event a rule matched (or a schedule fired) to each of the rule's targets: the input the target asks for,
 * invoked asynchronously through the durable queue, as EventBridge invokes Lambda. A target whose function is gone,
 * or whose resource policy does not let events.amazonaws.com invoke it for this rule, is a failed invocation:
 * logged and counted, the other targets still served.
 */
public final class EventDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
    /** The service principal a function's policy must allow, with the rule's ARN as the source. */
    static final String PRINCIPAL = "events.amazonaws.com";
    private final EventRules rules;
    private final FunctionService functions;
    private final AsyncInvocations invocations;
    private final FunctionPolicies policies;
    private final TriggerInvocationObserver observer;

    public EventDelivery(EventRules rules, FunctionService functions, AsyncInvocations invocations,
            FunctionPolicies policies, TriggerInvocationObserver observer) {
        this.rules = rules;
        this.functions = functions;
        this.invocations = invocations;
        this.policies = policies;
        this.observer = observer;
    }

    /** Delivers {@code event} to every target of {@code rule}; returns once each is queued or has failed. */
    public void deliver(EventRuleRecord rule, ObjectNode event) throws InterruptedException {
        String ruleArn = rules.ruleArn(rule.key());
        TargetInput.MatchedRule matched = new TargetInput.MatchedRule(rule.key().name(), ruleArn);
        for (EventTargetRecord record : rules.targetsOf(rule.key())) {
            RuleTarget target = RuleTarget.of(record, rules.region(), rules.accountId());
            try {
                functions.get(target.function());
            } catch (LambdaException e) {
                fail(ruleArn, target, "function-not-found", e.getMessage());
                continue;
            }
            if (!policies.allows(target.function(), AccessRequest.byService(PRINCIPAL, ruleArn))) {
                fail(ruleArn, target, "permission", "the function's resource policy does not allow " + PRINCIPAL
                        + " to invoke it from this rule (aws lambda add-permission --function-name "
                        + target.function().qualifiedName() + " --statement-id <id> --action lambda:InvokeFunction"
                        + " --principal " + PRINCIPAL + " --source-arn " + ruleArn + ")");
                continue;
            }
            invocations.accept(UUID.randomUUID().toString(), target.function(), target.input().render(event, matched),
                    Optional.empty());
            observer.invoked(ruleArn);
        }
    }

    private void fail(String ruleArn, RuleTarget target, String reason, String why) {
        LOG.warn("EventBridge rule {} could not invoke target {} ({}): {}", ruleArn, target.id(), target.arn(), why);
        observer.failed(ruleArn, reason);
    }
}
