package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.LambdaException;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.invoke.AsyncInvocations;
import dev.kindling.store.ScheduleRecord;
import dev.kindling.telemetry.TriggerInvocationObserver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs EventBridge Scheduler's schedules: at each tick, each enabled schedule that {@link ScheduleDecision} finds due
 * (in its time zone, between its start and end) is kept as fired and its function invoked asynchronously with the
 * target's Input (its context attributes filled in), as Scheduler invokes Lambda. A schedule with
 * ActionAfterCompletion DELETE goes once it will not fire again.
 */
public final class ScheduleRunner implements DueWork {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Schedules schedules;
    private final FunctionService functions;
    private final AsyncInvocations invocations;
    private final TriggerInvocationObserver observer;
    private final Clock clock;

    public ScheduleRunner(Schedules schedules, FunctionService functions, AsyncInvocations invocations,
            TriggerInvocationObserver observer, Clock clock) {
        this.schedules = schedules;
        this.functions = functions;
        this.invocations = invocations;
        this.observer = observer;
        this.clock = clock;
    }

    @Override
    public void runDue() throws InterruptedException {
        Instant now = clock.instant();
        for (ScheduleRecord schedule : schedules.enabled()) {
            try {
                ScheduleRecord.Timing timing = schedule.timing();
                ScheduleExpression expression = ScheduleExpression.parseWithAt(timing.expression());
                ZoneId zone = ZoneId.of(timing.timezone());
                Optional<Instant> due = ScheduleDecision.due(expression, zone, timing.start(), timing.end(),
                        schedule.lastFired(), now);
                if (due.isPresent()) {
                    schedules.recordFired(schedule.key(), due.get());
                    JsonNode definition = JSON.readTree(schedule.definition());
                    fire(schedule, definition, due.get());
                    if (definition.path("ActionAfterCompletion").asText("NONE").equals("DELETE")
                            && !ScheduleDecision.firesAfter(expression, zone, timing.start(), timing.end(), due.get())) {
                        schedules.completed(schedule.key());
                    }
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.error("schedule {} failed", schedules.arn(schedule.key()), e);
            }
        }
    }

    private void fire(ScheduleRecord schedule, JsonNode definition, Instant occurrence) throws InterruptedException {
        String arn = schedules.arn(schedule.key());
        JsonNode target = definition.path("Target");
        FunctionRef function = ScheduleSpec.function(target.path("Arn").asText(), schedules.region(),
                schedules.accountId());
        try {
            functions.get(function);
        } catch (LambdaException e) {
            LOG.warn("schedule {} could not invoke {}: {}", arn, target.path("Arn").asText(), e.getMessage());
            observer.failed(arn, "function-not-found");
            return;
        }
        String executionId = UUID.randomUUID().toString();
        String input = target.hasNonNull("Input") ? target.get("Input").asText() : "{}";
        String payload = input.replace("<aws.scheduler.schedule-arn>", arn)
                .replace("<aws.scheduler.scheduled-time>", occurrence.toString())
                .replace("<aws.scheduler.execution-id>", executionId)
                .replace("<aws.scheduler.attempt-number>", "1");
        invocations.accept(executionId, function, payload.getBytes(StandardCharsets.UTF_8), Optional.empty());
        observer.invoked(arn);
    }
}
