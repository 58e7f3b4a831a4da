package dev.kindling.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.store.PolicyStatement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How one statement judges a request: actions, principals, ArnLike source ARNs and the other conditions. */
class StatementEvaluationTest {
    private static final String API = "arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/users";

    private static PolicyStatement.Builder grant(String principal) {
        return PolicyStatement.builder().sid("s").action("lambda:InvokeFunction").principal(principal);
    }

    @Test
    void aServicePrincipalAllowsThatServiceOnly() {
        PolicyStatement s = grant("apigateway.amazonaws.com").build();
        assertThat(StatementEvaluation.allows(s, AccessRequest.byService("apigateway.amazonaws.com", API))).isTrue();
        assertThat(StatementEvaluation.allows(s, AccessRequest.byService("events.amazonaws.com", API))).isFalse();
        assertThat(StatementEvaluation.allows(s, AccessRequest.byIdentity("arn:aws:iam::000000000000:root",
                AccessRequest.INVOKE_FUNCTION))).isFalse();
    }

    @Test
    void aSourceArnIsMatchedPartByPartWithWildcards() {
        PolicyStatement s = grant("apigateway.amazonaws.com")
                .sourceArn(Optional.of("arn:aws:execute-api:us-east-1:000000000000:abc123/*/*/users")).build();
        assertThat(StatementEvaluation.allows(s, AccessRequest.byService("apigateway.amazonaws.com", API))).isTrue();
        assertThat(StatementEvaluation.allows(s, AccessRequest.byService("apigateway.amazonaws.com",
                "arn:aws:execute-api:us-east-1:000000000000:other/*/GET/users"))).isFalse();
        assertThat(StatementEvaluation.allows(s, AccessRequest.byService("apigateway.amazonaws.com",
                "arn:aws:execute-api:us-east-1:111111111111:abc123/prod/GET/users"))).as("another account").isFalse();
        assertThat(ArnLike.matches("arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-a")).isTrue();
        assertThat(ArnLike.matches("arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-ab")).isFalse();
        assertThat(ArnLike.matches("arn:aws:events:*:*:rule/*", "arn:aws:events:us-east-1:000000000000:rule/r1"))
                .isTrue();
        assertThat(ArnLike.matches("arn:aws:events:*:*:rule/*", "arn:aws:events:us-east-1:000000000000:bus/r1"))
                .isFalse();
        assertThat(ArnLike.matches("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket")).as("case-sensitive").isFalse();
    }

    @Test
    void theSourceAccountComesFromTheSourceArnOrIsGivenForS3() {
        PolicyStatement s = grant("s3.amazonaws.com").sourceAccount(Optional.of("000000000000")).build();
        AccessRequest bucket = AccessRequest.byService("s3.amazonaws.com", "arn:aws:s3:::photos");
        assertThat(StatementEvaluation.allows(s, bucket)).as("an S3 ARN has no account").isFalse();
        assertThat(StatementEvaluation.allows(s, bucket.withSourceAccount("000000000000"))).isTrue();
        assertThat(StatementEvaluation.allows(s, bucket.withSourceAccount("111111111111"))).isFalse();
        PolicyStatement events = grant("events.amazonaws.com").sourceAccount(Optional.of("000000000000")).build();
        assertThat(StatementEvaluation.allows(events, AccessRequest.byService("events.amazonaws.com",
                "arn:aws:events:us-east-1:000000000000:rule/r"))).isTrue();
    }

    @Test
    void actionsMatchExactlyOrByWildcard() {
        AccessRequest url = AccessRequest.viaFunctionUrl(AccessRequest.INVOKE_FUNCTION_URL, "NONE", Optional.empty());
        assertThat(StatementEvaluation.allows(grant("*").build(), url)).isFalse();
        assertThat(StatementEvaluation.allows(grant("*").action("lambda:*").build(), url)).isTrue();
        assertThat(StatementEvaluation.allows(grant("*").action("*").build(), url)).isTrue();
        assertThat(StatementEvaluation.allows(grant("*").action("lambda:invokefunctionurl").build(), url)).isTrue();
    }

    @Test
    void aPublicUrlNeedsTheAuthTypeAndTheViaUrlConditions() {
        AccessRequest urlCall = AccessRequest.viaFunctionUrl(AccessRequest.INVOKE_FUNCTION_URL, "NONE",
                Optional.empty());
        AccessRequest invokeCall = urlCall.withAction(AccessRequest.INVOKE_FUNCTION);
        PolicyStatement urlGrant = grant("*").action("lambda:InvokeFunctionUrl")
                .functionUrlAuthType(Optional.of("NONE")).build();
        PolicyStatement viaUrlGrant = grant("*").invokedViaFunctionUrl(true).build();
        assertThat(StatementEvaluation.allows(urlGrant, urlCall)).isTrue();
        assertThat(StatementEvaluation.allows(urlGrant, AccessRequest.viaFunctionUrl(
                AccessRequest.INVOKE_FUNCTION_URL, "AWS_IAM", Optional.empty()))).isFalse();
        assertThat(StatementEvaluation.allows(viaUrlGrant, invokeCall)).isTrue();
        assertThat(StatementEvaluation.allows(viaUrlGrant, AccessRequest.byIdentity("arn:aws:iam::000000000000:user/u",
                AccessRequest.INVOKE_FUNCTION))).as("not through a URL").isFalse();
    }

    @Test
    void accountsAndArnsGrantIdentities() {
        AccessRequest user = AccessRequest.byIdentity("arn:aws:iam::000000000000:user/ann",
                AccessRequest.INVOKE_FUNCTION);
        AccessRequest session = AccessRequest.byIdentity("arn:aws:sts::000000000000:assumed-role/builder/s1",
                AccessRequest.INVOKE_FUNCTION);
        assertThat(StatementEvaluation.allows(grant("000000000000").build(), user)).isTrue();
        assertThat(StatementEvaluation.allows(grant("arn:aws:iam::000000000000:root").build(), session)).isTrue();
        assertThat(StatementEvaluation.allows(grant("111111111111").build(), user)).isFalse();
        assertThat(StatementEvaluation.allows(grant("arn:aws:iam::000000000000:user/ann").build(), user)).isTrue();
        assertThat(StatementEvaluation.allows(grant("arn:aws:iam::000000000000:user/bob").build(), user)).isFalse();
        assertThat(StatementEvaluation.allows(grant("arn:aws:iam::000000000000:role/builder").build(), session))
                .as("a role grants its sessions").isTrue();
        assertThat(StatementEvaluation.allows(grant("000000000000").build(),
                AccessRequest.byService("s3.amazonaws.com", "arn:aws:s3:::b"))).isFalse();
    }

    @Test
    void conditionsKindlingCannotSatisfyAllowNothing() {
        AccessRequest anyone = AccessRequest.byService("s3.amazonaws.com", "arn:aws:s3:::b");
        assertThat(StatementEvaluation.allows(grant("*").principalOrgId(Optional.of("o-1234567890")).build(), anyone))
                .isFalse();
        assertThat(StatementEvaluation.allows(grant("*").eventSourceToken(Optional.of("amzn1.ask.skill.x")).build(),
                anyone)).isFalse();
        assertThat(StatementEvaluation.allows(grant("*").build(), anyone)).isTrue();
    }
}
