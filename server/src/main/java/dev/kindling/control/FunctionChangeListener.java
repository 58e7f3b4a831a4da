package dev.kindling.control;

/** Told when a function version may serve no more invocations: it changed, or it or its function was deleted. */
public interface FunctionChangeListener {
    /** $LATEST changed (a new revision replaces it), or a published version was deleted. */
    void versionRetired(String functionName, String version);

    /** The function and all its versions were deleted. */
    void functionDeleted(String functionName);

    /**
     * A version came to be as it will now run: a function created, $LATEST changed, or a version published. Told
     * under the change lock: a listener hands slow work to a thread of its own.
     */
    default void versionReady(dev.kindling.store.FunctionRecord version) {}
}
