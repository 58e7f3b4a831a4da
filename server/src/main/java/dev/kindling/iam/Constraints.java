package dev.kindling.iam;

import java.util.Optional;
import java.util.regex.Pattern;

/** The service model's constraints on IAM's request members, checked with AWS's wording. */
final class Constraints {
    static final String NAME_PATTERN = "[\\w+=,.@-]+";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final String PATH_PATTERN = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)";
    private static final Pattern PATH = Pattern.compile(PATH_PATTERN);
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private Constraints() {}

    static String name(String value, String member, int max) {
        length(value, member, 1, max);
        pattern(value, member, NAME, NAME_PATTERN);
        return value;
    }

    static String path(Optional<String> value, String member) {
        String path = value.orElse("/");
        length(path, member, 1, 512);
        pattern(path, member, PATH, PATH_PATTERN);
        return path;
    }

    static void tag(String key, String value) {
        length(key, "tags.member.key", 1, 128);
        pattern(key, "tags.member.key", TAG_KEY, TAG_KEY.pattern());
        length(value, "tags.member.value", 0, 256);
        pattern(value, "tags.member.value", TAG_VALUE, TAG_VALUE.pattern());
    }

    static void length(String value, String member, int min, int max) {
        if (value.length() < min) {
            throw violation(value, member, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw violation(value, member, "Member must have length less than or equal to " + max);
        }
    }

    static void range(int value, String member, int min, int max) {
        if (value < min) {
            throw violation(Integer.toString(value), member, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            throw violation(Integer.toString(value), member, "Member must have value less than or equal to " + max);
        }
    }

    private static void pattern(String value, String member, Pattern pattern, String quoted) {
        if (!pattern.matcher(value).matches()) {
            throw violation(value, member, "Member must satisfy regular expression pattern: " + quoted);
        }
    }

    static IamException violation(String value, String member, String constraint) {
        return IamException.validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }
}
