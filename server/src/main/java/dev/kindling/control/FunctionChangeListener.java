package dev.kindling.control;

/** Told after a function's code or configuration changed or the function was deleted. */
@FunctionalInterface
public interface FunctionChangeListener {
    void functionChanged(String functionName);
}
