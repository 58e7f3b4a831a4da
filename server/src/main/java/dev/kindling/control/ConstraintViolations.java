package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Failures of the service model's own constraints (patterns, lengths, ranges, enums, required members), gathered
 * for one request and thrown as one ValidationException in AWS's wording:
 * {@code 1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: ...}, or
 * {@code 2 validation errors detected: ...; ...} when several members fail. Lambda's own rules are not constraints:
 * they fail with InvalidParameterValueException where they are checked.
 */
public final class ConstraintViolations {
    private final List<String> violations = new ArrayList<>();

    /** A failed constraint on a string member; {@code value} is quoted as AWS quotes it. */
    public ConstraintViolations add(String value, String field, String constraint) {
        violations.add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: " + constraint);
        return this;
    }

    /** A failed constraint on a list member: AWS renders the list as [a, b] inside the quotes. */
    public ConstraintViolations add(Collection<String> value, String field, String constraint) {
        return add(list(value), field, constraint);
    }

    /** A required member that is absent. */
    public ConstraintViolations missing(String field) {
        violations.add("Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
        return this;
    }

    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new LambdaException(ErrorType.ValidationException, message());
        }
    }

    /** Throws at once for a single violation of {@code field}. */
    public static LambdaException single(String value, String field, String constraint) {
        ConstraintViolations one = new ConstraintViolations().add(value, field, constraint);
        return new LambdaException(ErrorType.ValidationException, one.message());
    }

    public static LambdaException single(Collection<String> value, String field, String constraint) {
        return single(list(value), field, constraint);
    }

    public static LambdaException missingMember(String field) {
        return new LambdaException(ErrorType.ValidationException, new ConstraintViolations().missing(field).message());
    }

    /** The constraint text of an enum, with the allowed values rendered as AWS renders lists. */
    public static String enumConstraint(Collection<String> allowed) {
        return "Member must satisfy enum value set: " + list(allowed);
    }

    /** AWS renders lists in messages as Java does: [a, b]. */
    public static String list(Collection<String> values) {
        return "[" + String.join(", ", values) + "]";
    }

    private String message() {
        int n = violations.size();
        return n + " validation error" + (n == 1 ? "" : "s") + " detected: " + String.join("; ", violations);
    }
}
