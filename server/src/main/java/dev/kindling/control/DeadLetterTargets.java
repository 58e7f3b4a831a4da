package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;

/**
 * Checks a function's DeadLetterConfig.TargetArn as CreateFunction and UpdateFunctionConfiguration do: the model's
 * pattern first, then the target itself. An SQS queue must exist (here or on a configured SQS endpoint): AWS checks
 * that the execution role may send to it, which a missing queue fails. SNS topics are refused, Kindling serves no
 * SNS, so a topic would swallow failed events silently. An empty ARN removes the target.
 */
public final class DeadLetterTargets {
    static final String PATTERN = "(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()";

    private final QueueLookup queues;

    public DeadLetterTargets(QueueLookup queues) {
        this.queues = queues;
    }

    /** Throws AWS's error when {@code target} cannot be a function's dead-letter target. */
    public void check(String target) {
        if (!target.matches(PATTERN)) {
            new ConstraintViolations().add(target, "deadLetterConfig.targetArn",
                    "Member must satisfy regular expression pattern: " + PATTERN).throwIfAny();
        }
        if (target.isEmpty()) {
            return;
        }
        if (MessageQueues.isTopicArn(target)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Kindling cannot deliver to the"
                    + " dead-letter topic " + target + ": it serves no SNS. Use an SQS queue's ARN as TargetArn.");
        }
        if (!MessageQueues.isQueueArn(target)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Invalid dead letter ARN " + target
                    + ": a dead-letter target is an SQS queue (or, on AWS, an SNS topic).");
        }
        if (MessageQueues.isFifoQueueArn(target)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "The dead-letter queue " + target
                    + " is a FIFO queue: Lambda cannot send failed events to one (they carry no message group). Use"
                    + " a standard queue.");
        }
        if (!queues.exists(target)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "The provided execution role does"
                    + " not have permissions to call SendMessage on SQS: the queue " + target + " does not exist.");
        }
    }
}
