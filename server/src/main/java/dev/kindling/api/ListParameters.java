package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ConstraintViolations;
import java.util.List;
import java.util.Optional;

/** The query parameters of the List operations, checked against the service model's constraints. */
final class ListParameters {
    private static final List<String> FUNCTION_VERSIONS = List.of("ALL");
    private static final String MASTER_REGION = "ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}";

    private ListParameters() {}

    /** Checks FunctionVersion, MasterRegion and MaxItems; returns MaxItems when given. */
    static Integer validate(ApiRequest request) {
        ConstraintViolations violations = new ConstraintViolations();
        Optional<String> masterRegion = request.queryParam("MasterRegion");
        masterRegion.filter(region -> !region.matches(MASTER_REGION)).ifPresent(region -> violations.add(region,
                "masterRegion", "Member must satisfy regular expression pattern: " + MASTER_REGION));
        request.queryParam("FunctionVersion").filter(version -> !FUNCTION_VERSIONS.contains(version))
                .ifPresent(version -> violations.add(version, "functionVersion",
                        ConstraintViolations.enumConstraint(FUNCTION_VERSIONS)));
        Integer maxItems = maxItems(request, violations);
        violations.throwIfAny();
        return maxItems;
    }

    /** Checks MaxItems, of a List operation with no other constrained parameter; returns it when given. */
    static Integer maxItems(ApiRequest request) {
        return maxItems(request, 10000);
    }

    /** Checks MaxItems against the model's range of one operation (1 to {@code most}); returns it when given. */
    static Integer maxItems(ApiRequest request, int most) {
        ConstraintViolations violations = new ConstraintViolations();
        Integer maxItems = maxItems(request, violations, most);
        violations.throwIfAny();
        return maxItems;
    }

    private static Integer maxItems(ApiRequest request, ConstraintViolations violations) {
        return maxItems(request, violations, 10000);
    }

    private static Integer maxItems(ApiRequest request, ConstraintViolations violations, int most) {
        Integer maxItems = request.queryParam("MaxItems").map(ListParameters::integer).orElse(null);
        if (maxItems != null && maxItems < 1) {
            violations.add(maxItems.toString(), "maxItems", "Member must have value greater than or equal to 1");
        } else if (maxItems != null && maxItems > most) {
            violations.add(maxItems.toString(), "maxItems", "Member must have value less than or equal to " + most);
        }
        return maxItems;
    }

    private static Integer integer(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "MaxItems must be an integer, not '" + value + "'.");
        }
    }
}
