package com.fasterxml.jackson.core.io.doubleparser;

/**
 * What event-ruler 1.7.0 (AWS's EventBridge matcher, the newest version that resolves here) calls to read a number
 * in an event: jackson-core 2.15 had this class, the jackson-core Kindling runs (2.22) moved it out of reach, and
 * without it every event holding a number fails to match. {@link Double#parseDouble} gives the same results (the
 * fast parser exists only for speed). Remove this file when event-ruler is upgraded past its jackson 2.15 tie.
 */
public final class JavaDoubleParser {
    private JavaDoubleParser() {}

    public static double parseDouble(CharSequence text) {
        return Double.parseDouble(text.toString());
    }
}
