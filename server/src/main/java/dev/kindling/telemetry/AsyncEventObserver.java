package dev.kindling.telemetry;

/** Told what happens to asynchronous events: accepted, given up, delivered to a destination or a dead-letter queue. */
public interface AsyncEventObserver {
    void received(String functionName);

    /** @param reason why it was given up: RetriesExhausted, EventAgeExceeded, or FunctionNotFound */
    void dropped(String functionName, String reason);

    /** @param condition the record's condition: Success, RetriesExhausted or EventAgeExceeded */
    void delivered(String functionName, String condition);

    /** An attempt at an event is about to run, {@code ageMillis} after the event was accepted (AsyncEventAge). */
    void attempting(String functionName, long ageMillis);

    /** An invocation record its destination could not take (AWS's DestinationDeliveryFailures). */
    void deliveryFailed(String functionName);

    /**
     * A failed event went to the dead-letter queue of the version that ran it ({@code sent}), or that queue could
     * not take it (AWS's DeadLetterErrors).
     */
    void deadLettered(String functionName, boolean sent);
}
