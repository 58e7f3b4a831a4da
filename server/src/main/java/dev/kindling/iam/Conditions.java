package dev.kindling.iam;

import dev.kindling.iam.PolicyDocument.Condition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IAM's condition operators over single-valued keys: the string, ARN, boolean, numeric and Null operators, each
 * with its {@code IfExists} form. A condition on a key the request does not carry does not hold (except Null and
 * the IfExists forms, as in IAM); an operator Kindling does not know never holds, so it can only narrow an Allow.
 */
final class Conditions {
    private Conditions() {}

    static boolean holds(Condition c, Map<String, String> context) {
        String operator = c.operator();
        if (operator.startsWith("ForAnyValue:") || operator.startsWith("ForAllValues:")) {
            operator = operator.substring(operator.indexOf(':') + 1); // single-valued keys: the same test
        }
        Optional<String> value = lookup(context, c.key());
        if (operator.equals("Null")) {
            boolean wantsAbsent = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            return wantsAbsent == value.isEmpty();
        }
        boolean ifExists = operator.endsWith("IfExists");
        if (ifExists) {
            operator = operator.substring(0, operator.length() - "IfExists".length());
        }
        if (value.isEmpty()) {
            return ifExists;
        }
        return test(operator, value.get(), c.values());
    }

    /** Condition keys are case-insensitive. */
    private static Optional<String> lookup(Map<String, String> context, String key) {
        return context.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
                .findFirst();
    }

    private static boolean test(String operator, String actual, List<String> expected) {
        return switch (operator) {
            case "StringEquals", "ArnEquals" -> expected.stream().anyMatch(actual::equals);
            case "StringNotEquals", "ArnNotEquals" -> expected.stream().noneMatch(actual::equals);
            case "StringEqualsIgnoreCase" -> expected.stream().anyMatch(actual::equalsIgnoreCase);
            case "StringNotEqualsIgnoreCase" -> expected.stream().noneMatch(actual::equalsIgnoreCase);
            case "StringLike", "ArnLike" -> expected.stream().anyMatch(p -> PolicyEvaluator.matches(p, actual, false));
            case "StringNotLike", "ArnNotLike" ->
                    expected.stream().noneMatch(p -> PolicyEvaluator.matches(p, actual, false));
            case "Bool" -> expected.stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).equals(
                    actual.toLowerCase(Locale.ROOT)));
            case "NumericEquals" -> numeric(actual, expected, cmp -> cmp == 0);
            case "NumericNotEquals" -> !numeric(actual, expected, cmp -> cmp == 0);
            case "NumericLessThan" -> numeric(actual, expected, cmp -> cmp < 0);
            case "NumericLessThanEquals" -> numeric(actual, expected, cmp -> cmp <= 0);
            case "NumericGreaterThan" -> numeric(actual, expected, cmp -> cmp > 0);
            case "NumericGreaterThanEquals" -> numeric(actual, expected, cmp -> cmp >= 0);
            default -> false;
        };
    }

    private static boolean numeric(String actual, List<String> expected, java.util.function.IntPredicate test) {
        try {
            double a = Double.parseDouble(actual);
            for (String e : expected) {
                if (test.test(Double.compare(a, Double.parseDouble(e)))) {
                    return true;
                }
            }
            return false;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
