package dev.kindling.api;

import dev.kindling.iam.Identity;
import dev.kindling.iam.SecurityTokens;

/** STS (query protocol, API version 2011-06-15): GetCallerIdentity and AssumeRole. */
public final class StsApi implements ApiServer.Service {
    private final QueryProtocolRouter router =
            new QueryProtocolRouter("sts", "https://sts.amazonaws.com/doc/2011-06-15/", "2011-06-15");

    public StsApi(SecurityTokens tokens) {
        router.add("GetCallerIdentity", (p, r) -> {
            SecurityTokens.CallerIdentity who = tokens.callerIdentity(r.caller().orElseThrow());
            return new Xml().text("UserId", who.userId()).text("Account", who.account()).text("Arn", who.arn())
                    .toString();
        });
        router.add("AssumeRole", (p, r) -> {
            SecurityTokens.Session session = tokens.assumeRole(r.caller().orElseThrow(), p.required("RoleArn"),
                    p.required("RoleSessionName"), p.integer("DurationSeconds"));
            Identity c = session.credentials();
            return new Xml().open("Credentials").text("AccessKeyId", c.accessKeyId())
                    .text("SecretAccessKey", c.secretAccessKey()).text("SessionToken", c.sessionToken().orElseThrow())
                    .time("Expiration", c.expiration().orElseThrow()).close("Credentials")
                    .open("AssumedRoleUser").text("AssumedRoleId", session.assumedRoleId()).text("Arn", c.arn())
                    .close("AssumedRoleUser").number("PackedPolicySize", 0).toString();
        });
    }

    @Override
    public ServiceRoutes routes() {
        return router;
    }
}
