package dev.kindling.control;

import java.util.Map;

/**
 * SQS queues Kindling delivers to: asynchronous invocations' destinations and dead-letter queues, EventBridge
 * targets' dead-letter queues. Queues on Kindling's own SQS, or on another SQS endpoint the server was configured
 * with.
 */
public interface MessageQueues extends QueueLookup {
    /** A message attribute: its SQS data type ({@code String}, {@code Number}) and its value as text. */
    record Attribute(String dataType, String value) {
        public static Attribute string(String value) {
            return new Attribute("String", value);
        }

        public static Attribute number(long value) {
            return new Attribute("Number", Long.toString(value));
        }
    }

    /**
     * Sends one message to the queue with this ARN.
     *
     * @throws RuntimeException when the queue does not exist or cannot be reached
     */
    void send(String queueArn, String body, Map<String, Attribute> attributes);

    /** Whether an ARN names an SQS queue (of any region or account). */
    static boolean isQueueArn(String arn) {
        return EventSourceMappingService.QueueArn.parse(arn).isPresent();
    }

    /**
     * Whether an ARN names a FIFO queue: a message to one needs a message group, which Lambda's and EventBridge's
     * deliveries do not give, so they cannot deliver to it.
     */
    static boolean isFifoQueueArn(String arn) {
        return isQueueArn(arn) && arn.endsWith(".fifo");
    }

    /** Whether an ARN names an SNS topic, which Kindling does not serve. */
    static boolean isTopicArn(String arn) {
        return arn.matches("arn:aws[a-zA-Z-]*:sns:.*");
    }
}
