package dev.kindling.control;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The principals AddPermission takes, and what each kind means: {@code *} (anyone), a service principal
 * ({@code s3.amazonaws.com}), an account id (every identity of that account, written as its root ARN), or an IAM
 * ARN (that user or role).
 */
final class PolicyPrincipals {
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.(amazonaws\\.com(\\.cn)?|amazon\\.com)");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ROOT = Pattern.compile("arn:aws[a-zA-Z-]*:iam::(\\d{12}):root");
    private static final Pattern IAM_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:(iam|sts)::\\d{12}:[^\\s]+");

    private PolicyPrincipals() {}

    static boolean isValid(String principal) {
        return principal.equals("*") || SERVICE.matcher(principal).matches() || ACCOUNT.matcher(principal).matches()
                || IAM_ARN.matcher(principal).matches();
    }

    static boolean isService(String principal) {
        return SERVICE.matcher(principal).matches();
    }

    /** The account a principal grants whole: an account id or its root ARN. */
    static Optional<String> accountOf(String principal) {
        if (ACCOUNT.matcher(principal).matches()) {
            return Optional.of(principal);
        }
        Matcher root = ROOT.matcher(principal);
        return root.matches() ? Optional.of(root.group(1)) : Optional.empty();
    }
}
