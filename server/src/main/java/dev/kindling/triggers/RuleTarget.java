package dev.kindling.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.MessageQueues;
import dev.kindling.store.EventTargetRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's target as Kindling delivers to it: a Lambda function (a version or alias if its ARN is qualified), what
 * it receives of each event, how a failed delivery is retried, and the SQS queue an undelivered event goes to.
 *
 * @param definition the target as PutTargets gave it, kept to answer ListTargetsByRule
 */
public record RuleTarget(String id, String arn, FunctionRef function, TargetInput input, TargetRetryPolicy retryPolicy,
        Optional<String> deadLetterQueue, ObjectNode definition) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");

    /**
     * Checks a target of a PutTargets request (its shape checked already) and reads it; throws EventsException
     * (ValidationException) naming the first problem.
     */
    public static RuleTarget parse(ObjectNode definition, String region, String accountId) {
        String id = definition.path("Id").asText();
        String arn = definition.path("Arn").asText();
        Matcher m = FUNCTION_ARN.matcher(arn);
        if (!m.matches()) {
            throw EventsException.validation("Parameter " + arn + " is not valid. Reason: Kindling delivers events"
                    + " only to Lambda functions: give an ARN such as arn:aws:lambda:" + region + ":" + accountId
                    + ":function:my-function.");
        }
        if (!m.group(1).equals(region) || !m.group(2).equals(accountId)) {
            throw EventsException.validation("Parameter " + arn + " is not valid. Reason: the function must be in"
                    + " this endpoint's region " + region + " and account " + accountId + ".");
        }
        FunctionRef function = new FunctionRef(m.group(3), m.group(5) == null ? "" : m.group(5));
        JsonNode deadLetterArn = definition.path("DeadLetterConfig").path("Arn");
        Optional<String> deadLetterQueue = deadLetterArn.isTextual() ? Optional.of(deadLetterArn.asText())
                : Optional.empty();
        deadLetterQueue.filter(queue -> !MessageQueues.isQueueArn(queue) || MessageQueues.isFifoQueueArn(queue))
                .ifPresent(queue -> {
                    throw EventsException.validation("Parameter " + queue + " is not valid. Reason: the"
                            + " DeadLetterConfig of target " + id + " must be a standard SQS queue's ARN.");
                });
        return new RuleTarget(id, arn, function, input(id, definition), TargetRetryPolicy.of(definition),
                deadLetterQueue, definition);
    }

    /** A stored target, read back for delivery. */
    static RuleTarget of(EventTargetRecord record, String region, String accountId) {
        try {
            return parse((ObjectNode) JSON.readTree(record.definition()), region, accountId);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored target " + record.id() + " is not a JSON object", e);
        }
    }

    EventTargetRecord record() {
        return new EventTargetRecord(id, arn, definition.toString());
    }

    private static TargetInput input(String id, JsonNode t) {
        int given = (t.hasNonNull("Input") ? 1 : 0) + (t.hasNonNull("InputPath") ? 1 : 0)
                + (t.hasNonNull("InputTransformer") ? 1 : 0);
        if (given > 1) {
            throw EventsException.validation("Only one of Input, InputPath, or InputTransformer must be provided for"
                    + " target " + id + ".");
        }
        if (t.hasNonNull("Input")) {
            String input = t.get("Input").asText();
            try {
                JSON.readTree(input);
            } catch (JsonProcessingException e) {
                throw EventsException.validation("Parameter Input is not valid. Reason: the Input of target " + id
                        + " must be valid JSON text.");
            }
            return new TargetInput.Constant(input);
        }
        if (t.hasNonNull("InputPath")) {
            try {
                return new TargetInput.Path(JsonPath.parse(t.get("InputPath").asText()));
            } catch (IllegalArgumentException e) {
                throw EventsException.validation("Parameter InputPath is not valid. Reason: " + e.getMessage() + ".");
            }
        }
        if (t.hasNonNull("InputTransformer")) {
            JsonNode transformer = t.get("InputTransformer");
            Map<String, String> paths = new LinkedHashMap<>();
            transformer.path("InputPathsMap").properties().forEach(e -> paths.put(e.getKey(), e.getValue().asText()));
            return InputTransformer.of(id, paths, transformer.path("InputTemplate").asText());
        }
        return new TargetInput.WholeEvent();
    }
}
