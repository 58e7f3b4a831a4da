package dev.kindling.runtimeapi;

/**
 * How an invocation ended, as the environment reported it.
 *
 * @param errorType the Lambda-Runtime-Function-Error-Type of an error, empty for a success
 * @param body the response body, or the JSON error document
 */
public record RuntimeOutcome(Kind kind, String errorType, byte[] body) {
    public enum Kind {
        /** POST /invocation/{id}/response */
        SUCCESS,
        /** POST /invocation/{id}/error */
        FUNCTION_ERROR,
        /** a POST larger than AWS's limit of 6 MB */
        RESPONSE_TOO_LARGE,
        /** POST /init/error, before the invocation ran */
        INIT_ERROR,
        /** the runtime process exited before answering */
        EXITED,
        /** the init phase did not finish within its limit */
        INIT_TIMED_OUT,
        /** the function's timeout passed */
        TIMED_OUT
    }

    public boolean environmentSurvives() {
        return kind == Kind.SUCCESS || kind == Kind.FUNCTION_ERROR || kind == Kind.RESPONSE_TOO_LARGE;
    }
}
