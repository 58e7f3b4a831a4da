package dev.kindling.triggers;

import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * A rule's EventPattern, checked and matched by AWS's own matcher (event-ruler, the library EventBridge runs), so
 * patterns mean here what they mean on AWS: prefixes, anything-but, numeric ranges, {@code $or}, wildcards, ...
 */
public final class EventPattern {
    private final String text;
    private final Machine machine;

    private EventPattern(String text, Machine machine) {
        this.text = text;
        this.machine = machine;
    }

    /** Parses {@code text}; throws EventsException (InvalidEventPatternException) with the matcher's reason. */
    @SuppressWarnings("deprecation") // Machine's builder, its replacement, is not public in 1.7.0
    public static EventPattern parse(String text) {
        String problem = JsonRuleCompiler.check(text);
        if (problem != null) {
            throw invalid(problem);
        }
        Machine machine = new Machine();
        try {
            machine.addRule("pattern", text);
        } catch (Exception | StackOverflowError e) {
            throw invalid(String.valueOf(e.getMessage()));
        }
        return new EventPattern(text, machine);
    }

    private static EventsException invalid(String reason) {
        int location = reason.indexOf("\n at [Source:"); // the parser's position in a redacted source says nothing
        String said = location < 0 ? reason : reason.substring(0, location);
        return new EventsException("InvalidEventPatternException", "Event pattern is not valid. Reason: " + said);
    }

    /** Whether {@code eventJson} (an event, as JSON text) matches; false for text that is not a JSON object. */
    public boolean matches(String eventJson) {
        try {
            return !machine.rulesForJSONEvent(eventJson).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    public String text() {
        return text;
    }
}
