package dev.kindling.control;

/** Told when a function version may serve no more invocations: it changed, or it or its function was deleted. */
public interface FunctionChangeListener {
    /** $LATEST changed (a new revision replaces it), or a published version was deleted. */
    void versionRetired(String functionName, String version);

    /** The function and all its versions were deleted. */
    void functionDeleted(String functionName);
}
