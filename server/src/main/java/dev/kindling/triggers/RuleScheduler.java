package dev.kindling.triggers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kindling.store.EventRuleRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs EventBridge rules' schedules: at each tick it reads the enabled schedules, asks {@link ScheduleDecision} which
 * are due at the clock's reading, and for each keeps the occurrence as fired (before delivering, so a crash never
 * fires it twice) and delivers AWS's Scheduled Event to the rule's targets.
 */
public final class RuleScheduler implements DueWork {
    private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);
    private final EventRules rules;
    private final EventDelivery delivery;
    private final Clock clock;
    private final Map<String, ScheduleExpression> parsed = new ConcurrentHashMap<>();

    /** @param clock the time schedules run by (tests move one by hand) */
    public RuleScheduler(EventRules rules, EventDelivery delivery, Clock clock) {
        this.rules = rules;
        this.delivery = delivery;
        this.clock = clock;
    }

    @Override
    public void runDue() throws InterruptedException {
        Instant now = clock.instant();
        for (EventRuleRecord rule : rules.enabledSchedules()) {
            try {
                ScheduleExpression schedule = parsed.computeIfAbsent(rule.spec().scheduleExpression().orElseThrow(),
                        ScheduleExpression::parse);
                Optional<Instant> due = ScheduleDecision.due(schedule, rule.scheduleStart(), rule.lastFired(), now);
                if (due.isPresent()) {
                    rules.recordFired(rule.key(), due.get());
                    delivery.deliver(rule, EventEnvelope.of(UUID.randomUUID().toString(), "Scheduled Event",
                            "aws.events", rules.accountId(), due.get(), rules.region(),
                            List.of(rules.ruleArn(rule.key())), JsonNodeFactory.instance.objectNode()));
                }
            } catch (RuntimeException e) {
                LOG.error("schedule of rule {} failed", rules.ruleArn(rule.key()), e);
            }
        }
    }
}
