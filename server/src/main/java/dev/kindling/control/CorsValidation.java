package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.CorsSettings;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** A function URL's Cors member: the model's constraints, then the values a browser could act on. */
final class CorsValidation {
    private static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*");

    private CorsValidation() {}

    static void check(CorsSettings cors, ConstraintViolations violations) {
        list(cors.allowHeaders(), "cors.allowHeaders", 100, 0, 1024, violations);
        list(cors.exposeHeaders(), "cors.exposeHeaders", 100, 0, 1024, violations);
        list(cors.allowMethods(), "cors.allowMethods", 6, 0, 6, violations);
        list(cors.allowOrigins(), "cors.allowOrigins", 100, 1, 253, violations);
        cors.maxAge().ifPresent(age -> {
            if (age < 0) {
                violations.add(age.toString(), "cors.maxAge", "Member must have value greater than or equal to 0");
            } else if (age > 86400) {
                violations.add(age.toString(), "cors.maxAge", "Member must have value less than or equal to 86400");
            }
        });
    }

    /** Methods must be HTTP methods a URL serves (or *), origins must be {@code *} or scheme://host[:port]. */
    static void checkValues(CorsSettings cors) {
        for (String method : cors.allowMethods().orElse(List.of())) {
            if (!METHODS.contains(method.toUpperCase(Locale.ROOT))) {
                throw new LambdaException(ErrorType.InvalidParameterValueException, "Cors.AllowMethods must be"
                        + " HTTP methods (GET, PUT, HEAD, POST, PATCH, DELETE) or *, not '" + method + "'.");
            }
        }
        for (String origin : cors.origins()) {
            if (!origin.equals("*") && !origin.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s]+")) {
                throw new LambdaException(ErrorType.InvalidParameterValueException, "Cors.AllowOrigins must be *"
                        + " or origins such as https://example.com (scheme, host and optional port), not '" + origin
                        + "'.");
            }
        }
    }

    private static void list(Optional<List<String>> values, String field, int maxItems, int minLength, int maxLength,
            ConstraintViolations violations) {
        if (values.isEmpty()) {
            return;
        }
        if (values.get().size() > maxItems) {
            violations.add(values.get(), field, "Member must have length less than or equal to " + maxItems);
        }
        for (String value : values.get()) {
            if (value.length() < minLength) {
                violations.add(values.get(), field, "Member must satisfy constraint: [Member must have length"
                        + " greater than or equal to " + minLength + "]");
            } else if (value.length() > maxLength) {
                violations.add(values.get(), field, "Member must satisfy constraint: [Member must have length"
                        + " less than or equal to " + maxLength + "]");
            }
        }
    }
}
