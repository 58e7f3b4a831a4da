package dev.kindling.control;

/** The ARNs AWS gives Lambda resources. */
public final class Arns {
    private Arns() {}

    public static String function(String region, String accountId, String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }
}
