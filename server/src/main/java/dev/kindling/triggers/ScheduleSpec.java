package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.FunctionRef;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What CreateSchedule or UpdateSchedule sets, read from the request's members (their shapes checked by the api):
 * when it fires, whether it is enabled, the function it invokes. The whole {@code definition} is kept to answer
 * GetSchedule.
 */
public record ScheduleSpec(ObjectNode definition) {
    public String expression() {
        return definition.path("ScheduleExpression").asText();
    }

    /** ScheduleExpressionTimezone; UTC when not given, as on AWS. */
    public String timezone() {
        return definition.path("ScheduleExpressionTimezone").asText("UTC");
    }

    public Optional<Instant> startDate() {
        return time("StartDate");
    }

    public Optional<Instant> endDate() {
        return time("EndDate");
    }

    public boolean enabled() {
        return !definition.path("State").asText("ENABLED").equals("DISABLED");
    }

    public String targetArn() {
        return definition.path("Target").path("Arn").asText();
    }

    /** A timestamp member: epoch seconds, as REST-JSON bodies carry them. */
    private Optional<Instant> time(String member) {
        JsonNode value = definition.get(member);
        return value == null || !value.isNumber() ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(Math.round(value.asDouble() * 1000)));
    }

    /** Checks what the shapes cannot say; throws SchedulerException (ValidationException) naming the problem. */
    ScheduleExpression check(String region, String accountId, Instant now) {
        ScheduleExpression parsed;
        try {
            parsed = ScheduleExpression.parseWithAt(expression());
        } catch (IllegalArgumentException e) {
            throw SchedulerException.validation("Invalid Schedule Expression " + expression() + ". " + capitalised(
                    e.getMessage()) + ".");
        }
        zone();
        if (startDate().isPresent() && endDate().isPresent() && !endDate().get().isAfter(startDate().get())) {
            throw SchedulerException.validation("The EndDate you specify must come after the StartDate.");
        }
        if (startDate().isPresent() && startDate().get().isBefore(now.minusSeconds(300))) {
            throw SchedulerException.validation("The StartDate you specify cannot be earlier than 5 minutes prior to"
                    + " the current time.");
        }
        function(region, accountId);
        return parsed;
    }

    ZoneId zone() {
        try {
            return ZoneId.of(timezone());
        } catch (RuntimeException e) {
            throw SchedulerException.validation("Invalid ScheduleExpressionTimezone " + timezone() + ": give an IANA time"
                    + " zone such as Europe/Paris or America/New_York.");
        }
    }

    FunctionRef function(String region, String accountId) {
        return function(targetArn(), region, accountId);
    }

    /** The function a target ARN names: only Lambda functions of this endpoint are targets on Kindling. */
    static FunctionRef function(String targetArn, String region, String accountId) {
        String prefix = "arn:aws:lambda:" + region + ":" + accountId + ":function:";
        String rest = targetArn.startsWith(prefix) ? targetArn.substring(prefix.length()) : "";
        if (!rest.matches("[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?")) {
            throw SchedulerException.validation("Invalid target ARN " + targetArn + ": Kindling's schedules invoke"
                    + " Lambda functions of this endpoint, such as " + prefix + "my-function.");
        }
        int colon = rest.indexOf(':');
        return colon < 0 ? new FunctionRef(rest, "") : new FunctionRef(rest.substring(0, colon),
                rest.substring(colon + 1));
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
