package dev.kindling.control;

/** Tells whether an SQS queue exists: the check CreateEventSourceMapping makes before storing a mapping. */
public interface QueueLookup {
    /** Whether the queue with this ARN ({@code arn:aws:sqs:<region>:<account>:<name>}) exists. */
    boolean exists(String queueArn);
}
