package dev.kindling.triggers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kindling.store.EventRuleRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scheduled rules: every tick it reads the enabled schedules, asks {@link ScheduleDecision} which are due at
 * the clock's reading, and for each keeps the occurrence as fired (before delivering, so a crash never fires it
 * twice) and delivers AWS's Scheduled Event to the rule's targets.
 */
public final class RuleScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuleScheduler.class);
    private final EventRules rules;
    private final EventDelivery delivery;
    private final Clock clock;
    private final Duration tick;
    private final Map<String, ScheduleExpression> parsed = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread thread;

    /**
     * @param clock the time schedules run by (tests move one by hand)
     * @param tick how often the schedules are looked at: a second keeps each firing within seconds of its minute
     */
    public RuleScheduler(EventRules rules, EventDelivery delivery, Clock clock, Duration tick) {
        this.rules = rules;
        this.delivery = delivery;
        this.clock = clock;
        this.tick = tick;
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("rule-scheduler").start(this::run);
    }

    private void run() {
        try {
            do {
                runDue();
            } while (!closed.await(tick.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fires every schedule due now. */
    void runDue() throws InterruptedException {
        Instant now = clock.instant();
        List<EventRuleRecord> schedules = rules.enabledSchedules();
        for (EventRuleRecord rule : schedules) {
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
            } catch (InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("schedule of rule {} failed", rules.ruleArn(rule.key()), e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed.countDown();
        Thread running = thread;
        if (running != null) {
            running.join(10_000);
        }
    }
}
