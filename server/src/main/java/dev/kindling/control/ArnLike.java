package dev.kindling.control;

/**
 * IAM's ArnLike condition operator: the six colon-separated parts of an ARN are compared one by one, case-sensitively,
 * each part of the pattern allowing {@code *} (any run of characters, none included) and {@code ?} (one character).
 * The last part (the resource) may contain colons of its own.
 */
public final class ArnLike {
    private static final int PARTS = 6;

    private ArnLike() {}

    public static boolean matches(String pattern, String arn) {
        String[] want = pattern.split(":", PARTS);
        String[] have = arn.split(":", PARTS);
        if (want.length != PARTS || have.length != PARTS) {
            return pattern.equals(arn);
        }
        for (int i = 0; i < PARTS; i++) {
            if (!glob(want[i], 0, have[i], 0)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} from {@code t} matches {@code pattern} from {@code p}; iterative with backtracking. */
    private static boolean glob(String pattern, int p, String text, int t) {
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
