package dev.kindling.iam;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A managed policy as IAM reports it: one of AWS's ({@code awsManaged}) or one the account created. Each has one
 * version, v1, its default.
 */
public record ManagedPolicy(String arn, String name, String policyId, String path, Optional<String> description,
        String document, Instant created, boolean awsManaged, Map<String, String> tags) {
    public static final String DEFAULT_VERSION = "v1";
}
