package dev.kindling.triggers;

/** The SQS queues bucket notifications may deliver to: Kindling's own ({@link SqsQueues}). */
public interface NotificationQueues {
    /** Whether the ARN names one of the queues here, and it exists. */
    boolean exists(String queueArn);

    /** Sends a message to the queue; throws when it cannot be sent. */
    void send(String queueArn, String body);
}
