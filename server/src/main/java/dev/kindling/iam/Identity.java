package dev.kindling.iam;

import java.time.Instant;
import java.util.Optional;

/**
 * Who signs a request: an access key with its secret, and for temporary credentials the session token that must
 * accompany it and the time it stops being accepted.
 *
 * @param arn the principal, as AWS names it (the account root for the operator's key, an assumed role for a function)
 * @param roleArn the role whose policies decide what the credentials may do; empty for the operator's key, which
 *     nothing restricts
 */
public record Identity(String accessKeyId, String secretAccessKey, Optional<String> sessionToken,
        Optional<Instant> expiration, String arn, Optional<String> roleArn) {

    /** A long-term key: no session token, no expiry, no role. */
    public static Identity longTerm(String accessKeyId, String secretAccessKey, String arn) {
        return new Identity(accessKeyId, secretAccessKey, Optional.empty(), Optional.empty(), arn, Optional.empty());
    }

    public boolean expiredAt(Instant now) {
        return expiration.map(now::isAfter).orElse(false);
    }
}
