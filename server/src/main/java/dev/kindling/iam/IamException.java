package dev.kindling.iam;

/**
 * An IAM or STS request that fails, carried as the error the service model declares: its code (as the query
 * protocol's XML error document names it) and HTTP status.
 */
public final class IamException extends RuntimeException {
    private final String code;
    private final int status;

    public IamException(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    static IamException noSuchEntity(String message) {
        return new IamException("NoSuchEntity", 404, message);
    }

    static IamException alreadyExists(String message) {
        return new IamException("EntityAlreadyExists", 409, message);
    }

    static IamException malformedPolicy(String message) {
        return new IamException("MalformedPolicyDocument", 400, message);
    }

    static IamException deleteConflict(String message) {
        return new IamException("DeleteConflict", 409, message);
    }

    static IamException invalidInput(String message) {
        return new IamException("InvalidInput", 400, message);
    }

    static IamException limitExceeded(String message) {
        return new IamException("LimitExceeded", 409, message);
    }

    static IamException unmodifiable(String message) {
        return new IamException("UnmodifiableEntity", 400, message);
    }

    /** A request member outside its model constraints (AWS's "1 validation error detected: ..."). */
    public static IamException validation(String message) {
        return new IamException("ValidationError", 400, message);
    }

    public static IamException accessDenied(String message) {
        return new IamException("AccessDenied", 403, message);
    }
}
