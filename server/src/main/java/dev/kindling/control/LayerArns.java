package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Layer names and ARNs: {@code arn:aws:lambda:<region>:<account>:layer:<name>} for a layer,
 * {@code ...:<name>:<version>} for one of its versions. The operations on a layer take its name or its ARN.
 */
final class LayerArns {
    /** The LayerName pattern of the service model, quoted in AWS's message for a name that fails it. */
    static final String NAME_PATTERN = "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";
    /** The pattern AWS quotes for a malformed layer version ARN (stricter than the model's). */
    static final String VERSION_ARN_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?"
            + "-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-_]+");
    private static final Pattern LAYER_ARN = Pattern.compile(
            "arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9-_]+)");
    private static final Pattern VERSION_ARN = Pattern.compile(LAYER_ARN.pattern() + ":([0-9]{1,18})");
    private static final Pattern AWS_VERSION_ARN = Pattern.compile(VERSION_ARN_PATTERN);

    /** A layer version named by ARN: where it lives, and which it is. */
    record VersionArn(String region, String accountId, String layerName, long version) {}

    private final String region;
    private final String accountId;

    LayerArns(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    String layer(String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":layer:" + name;
    }

    String version(String name, long version) {
        return layer(name) + ":" + version;
    }

    /**
     * The name of the layer a request's LayerName (a name or a layer ARN) gives, checked against the model; empty
     * when it is the ARN of a layer in another region or account, which cannot exist here.
     */
    Optional<String> nameOf(String layerName) {
        ConstraintViolations violations = new ConstraintViolations();
        if (layerName.length() > 140) {
            violations.add(layerName, "layerName", "Member must have length less than or equal to 140");
        }
        if (layerName.isEmpty()) {
            violations.add(layerName, "layerName", "Member must have length greater than or equal to 1");
        }
        Matcher arn = LAYER_ARN.matcher(layerName);
        boolean isArn = arn.matches();
        if (!isArn && !NAME.matcher(layerName).matches()) {
            violations.add(layerName, "layerName", "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
        violations.throwIfAny();
        if (!isArn) {
            return Optional.of(layerName);
        }
        boolean here = arn.group(1).equals(region) && arn.group(2).equals(accountId);
        return here ? Optional.of(arn.group(3)) : Optional.empty();
    }

    /** A layer version ARN, or the ValidationException AWS gives for {@code field} when it is not one. */
    static VersionArn parseVersion(String arn, String field, String quotedValue) {
        Matcher m = VERSION_ARN.matcher(arn);
        if (arn.length() > 140 || !m.matches() || !AWS_VERSION_ARN.matcher(arn).matches()) {
            throw invalidVersionArn(field, quotedValue);
        }
        return new VersionArn(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4)));
    }

    static LambdaException invalidVersionArn(String field, String quotedValue) {
        String constraint = field.equals("layers")
                ? "Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must"
                        + " have length greater than or equal to 1, Member must satisfy regular expression pattern: "
                        + VERSION_ARN_PATTERN + ", Member must not be null]"
                : "Member must satisfy regular expression pattern: " + VERSION_ARN_PATTERN;
        return new LambdaException(ErrorType.ValidationException, "1 validation error detected: Value '"
                + quotedValue + "' at '" + field + "' failed to satisfy constraint: " + constraint);
    }
}
