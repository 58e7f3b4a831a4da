package dev.kindling.iam;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every access key Kindling accepts: the operator's long-term keys, and the short-lived credentials it issues to
 * each execution environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so that the AWS SDK
 * inside a function is signed in as that function's role and the operator's key never enters an environment.
 *
 * <p>Issued credentials live in memory only: a restart destroys every environment that held them. They end at
 * their expiration or when their environment is destroyed ({@link #revoke}), whichever comes first.
 */
public final class Identities {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final Map<String, Identity> byAccessKey = new ConcurrentHashMap<>();
    private final String accountId;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param operatorKeys access key id to secret of the operator's keys, acting as the account's root
     * @param lifetime how long credentials issued to an environment are accepted
     */
    public Identities(Map<String, String> operatorKeys, String accountId, Duration lifetime, Clock clock) {
        this.accountId = accountId;
        this.lifetime = lifetime;
        this.clock = clock;
        operatorKeys.forEach((key, secret) ->
                byAccessKey.put(key, Identity.longTerm(key, secret, "arn:aws:iam::" + accountId + ":root")));
    }

    public Optional<Identity> find(String accessKeyId) {
        return Optional.ofNullable(byAccessKey.get(accessKeyId));
    }

    /**
     * Temporary credentials for one environment of {@code functionName}, acting as its execution role: an
     * assumed-role session named after the function, as on AWS.
     */
    public Identity issueForFunction(String roleArn, String functionName) {
        return issueForRole(roleArn, functionName, lifetime);
    }

    /**
     * Temporary credentials of an assumed-role session ({@code sessionName}) of {@code roleArn}, accepted for
     * {@code duration}: a function's, or those STS AssumeRole hands out.
     */
    public Identity issueForRole(String roleArn, String sessionName, Duration duration) {
        forgetExpired();
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        Identity identity = new Identity("ASIA" + random(KEY_ALPHABET, 16), randomToken(30),
                Optional.of(randomToken(96)), Optional.of(clock.instant().plus(duration)),
                "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName, Optional.of(roleArn));
        byAccessKey.put(identity.accessKeyId(), identity);
        return identity;
    }

    public String accountId() {
        return accountId;
    }

    /** Credentials past their expiry are refused anyway: dropping them keeps AssumeRole's from piling up. */
    private void forgetExpired() {
        Instant now = clock.instant();
        byAccessKey.values().removeIf(identity -> identity.expiredAt(now));
    }

    /** The environment that held these credentials is gone: they are refused from now on. */
    public void revoke(Identity identity) {
        if (identity.sessionToken().isPresent()) {
            byAccessKey.remove(identity.accessKeyId(), identity);
        }
    }

    public Instant now() {
        return clock.instant();
    }

    private static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return java.util.Base64.getEncoder().encodeToString(raw);
    }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
