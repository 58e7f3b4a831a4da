package dev.kindling.telemetry;

/** Told what happens to asynchronous events: accepted, given up, and delivered to a destination. */
public interface AsyncEventObserver {
    void received(String functionName);

    /** @param reason why it was given up: RetriesExhausted, EventAgeExceeded, or FunctionNotFound */
    void dropped(String functionName, String reason);

    /** @param condition the record's condition: Success, RetriesExhausted or EventAgeExceeded */
    void delivered(String functionName, String condition);

    /** An attempt at an event is about to run, {@code ageMillis} after the event was accepted (AsyncEventAge). */
    void attempting(String functionName, long ageMillis);

    /** An invocation record could not be sent to its destination (DestinationDeliveryFailures). */
    void deliveryFailed(String functionName);
}
