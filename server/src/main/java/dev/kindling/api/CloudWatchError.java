package dev.kindling.api;

/**
 * An error CloudWatch answers, as each of its protocols names it: {@code code} in the query protocol's XML and in the
 * {@code x-amzn-query-error} header, {@code type} (the model's error shape) in JSON's and CBOR's {@code __type}.
 */
final class CloudWatchError extends RuntimeException {
    private final int status;
    private final String code;
    private final String type;

    private CloudWatchError(int status, String code, String type, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.type = type;
    }

    static CloudWatchError invalidParameterValue(String message) {
        return new CloudWatchError(400, "InvalidParameterValue", "InvalidParameterValueException", message);
    }

    static CloudWatchError missingParameter(String parameter) {
        return new CloudWatchError(400, "MissingParameter", "MissingRequiredParameterException",
                "The parameter " + parameter + " is required.");
    }

    static CloudWatchError invalidParameterCombination(String message) {
        return new CloudWatchError(400, "InvalidParameterCombination", "InvalidParameterCombinationException",
                message);
    }

    static CloudWatchError invalidNextToken(String message) {
        return new CloudWatchError(400, "InvalidNextToken", "InvalidNextToken", message);
    }

    /** A malformed request (a value of the wrong kind, a list too long): CloudWatch's common ValidationError. */
    static CloudWatchError validation(String message) {
        return new CloudWatchError(400, "ValidationError", "ValidationException", message);
    }

    /** An operation of CloudWatch's API that Kindling does not serve. */
    static CloudWatchError notImplemented(String operation) {
        return new CloudWatchError(501, "NotImplemented", "NotImplemented",
                "Kindling does not implement the CloudWatch operation " + operation
                        + " (it serves GetMetricData, GetMetricStatistics, ListMetrics and PutMetricData)");
    }

    /** An operation that CloudWatch does not have. */
    static CloudWatchError invalidAction(String operation) {
        return new CloudWatchError(400, "InvalidAction", "InvalidAction",
                operation.isEmpty() ? "The request must name a CloudWatch operation."
                        : "Could not find operation " + operation + " for version 2010-08-01");
    }

    static CloudWatchError of(int status, String code, String message) {
        return new CloudWatchError(status, code, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String type() {
        return type;
    }

    /** Whether the caller is at fault (the query protocol's Type, Sender or Receiver). */
    boolean senderFault() {
        return status < 500 || status == 501;
    }
}
