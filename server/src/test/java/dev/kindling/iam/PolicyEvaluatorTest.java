package dev.kindling.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kindling.iam.PolicyEvaluator.AccessRequest;
import dev.kindling.iam.PolicyEvaluator.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM's evaluation rules and policy checks, without a server: documents in, decisions and errors out. */
class PolicyEvaluatorTest {
    private static final Map<String, String> CONTEXT = Map.of("aws:RequestedRegion", "us-east-1",
            "aws:PrincipalArn", "arn:aws:iam::000000000000:role/r");

    private static PolicyDocument policy(String json) {
        return PolicyDocument.parse(json, PolicyDocument.Kind.PERMISSIONS);
    }

    private static Decision decide(List<PolicyDocument> policies, String action, String resource) {
        return PolicyEvaluator.decide(policies, new AccessRequest(action, resource, CONTEXT));
    }

    private static final PolicyDocument BASIC_EXECUTION = policy("""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}""");

    @Test
    void theBasicExecutionRoleMayWriteLogsAndNothingElse() {
        assertThat(decide(List.of(BASIC_EXECUTION), "logs:PutLogEvents",
                "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:log-stream:s")).isEqualTo(Decision.ALLOWED);
        assertThat(decide(List.of(BASIC_EXECUTION), "lambda:ListFunctions", "*"))
                .isEqualTo(Decision.IMPLICITLY_DENIED);
        assertThat(decide(List.of(BASIC_EXECUTION), "s3:GetObject", "arn:aws:s3:::bucket/key"))
                .isEqualTo(Decision.IMPLICITLY_DENIED);
        assertThat(decide(List.of(), "logs:PutLogEvents", "*")).isEqualTo(Decision.IMPLICITLY_DENIED);
    }

    @Test
    void anExplicitDenyWinsOverAnyAllow() {
        PolicyDocument everything = policy("""
                {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}""");
        PolicyDocument noDeletes = policy("""
                {"Statement": [{"Effect": "Deny", "Action": "lambda:Delete*",
                  "Resource": "arn:aws:lambda:*:*:function:prod-*"}]}""");
        List<PolicyDocument> both = List.of(everything, noDeletes);
        assertThat(decide(both, "lambda:DeleteFunction", "arn:aws:lambda:us-east-1:000000000000:function:prod-api"))
                .isEqualTo(Decision.EXPLICITLY_DENIED);
        assertThat(decide(both, "lambda:DeleteFunction", "arn:aws:lambda:us-east-1:000000000000:function:dev-api"))
                .isEqualTo(Decision.ALLOWED);
        assertThat(decide(both, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:prod-api"))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void actionsMatchWithoutCaseAndResourcesWithCase() {
        PolicyDocument p = policy("""
                {"Statement": [{"Effect": "Allow", "Action": "LAMBDA:invoke?unction",
                  "Resource": "arn:aws:lambda:us-east-1:000000000000:function:My*"}]}""");
        assertThat(decide(List.of(p), "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:MyFn"))
                .isEqualTo(Decision.ALLOWED);
        assertThat(decide(List.of(p), "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:myfn"))
                .isEqualTo(Decision.IMPLICITLY_DENIED);
    }

    @Test
    void notActionAndNotResourceAllowEverythingElse() {
        PolicyDocument p = policy("""
                {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}]}""");
        assertThat(decide(List.of(p), "s3:GetObject", "arn:aws:s3:::public/a")).isEqualTo(Decision.ALLOWED);
        assertThat(decide(List.of(p), "s3:GetObject", "arn:aws:s3:::secret/a")).isEqualTo(Decision.IMPLICITLY_DENIED);
        assertThat(decide(List.of(p), "iam:CreateRole", "*")).isEqualTo(Decision.IMPLICITLY_DENIED);
    }

    @Test
    void conditionsMustHold() {
        PolicyDocument p = policy("""
                {"Statement": [{"Effect": "Allow", "Action": "lambda:*", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]},
                                "StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/r"},
                                "Null": {"aws:SourceArn": "true"}}}]}""");
        assertThat(decide(List.of(p), "lambda:ListFunctions", "*")).isEqualTo(Decision.ALLOWED);
        PolicyDocument otherRegion = policy("""
                {"Statement": [{"Effect": "Allow", "Action": "lambda:*", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}""");
        assertThat(decide(List.of(otherRegion), "lambda:ListFunctions", "*")).isEqualTo(Decision.IMPLICITLY_DENIED);
        PolicyDocument missingKey = policy("""
                {"Statement": [{"Effect": "Allow", "Action": "lambda:*", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}}]}""");
        assertThat(decide(List.of(missingKey), "lambda:ListFunctions", "*")).isEqualTo(Decision.IMPLICITLY_DENIED);
        PolicyDocument ifExists = policy("""
                {"Statement": [{"Effect": "Allow", "Action": "lambda:*", "Resource": "*",
                  "Condition": {"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}}]}""");
        assertThat(decide(List.of(ifExists), "lambda:ListFunctions", "*")).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void aRequestOnNoParticularResourceIsMatchedOnlyByAStar() {
        PolicyDocument logsOnly = policy("""
                {"Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:*:*:*"}]}""");
        assertThat(decide(List.of(logsOnly), "logs:DescribeLogGroups", "*")).isEqualTo(Decision.IMPLICITLY_DENIED);
        assertThat(decide(List.of(logsOnly), "logs:DescribeLogGroups", "arn:aws:logs:us-east-1:000000000000:log-group:*"))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void malformedPoliciesAreRefusedWithIamsWords() {
        assertMalformed("{not json", PolicyDocument.Kind.PERMISSIONS, "This policy contains invalid Json");
        assertMalformed("{\"Version\": \"2012-10-17\"}", PolicyDocument.Kind.PERMISSIONS, "Syntax errors in policy.");
        assertMalformed("{\"Version\": \"2020-01-01\", \"Statement\": []}", PolicyDocument.Kind.PERMISSIONS,
                "The policy must contain a valid version string");
        assertMalformed("{\"Statement\": {\"Action\": \"s3:*\", \"Resource\": \"*\"}}", PolicyDocument.Kind.PERMISSIONS,
                "Missing required field Effect");
        assertMalformed("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\"}}", PolicyDocument.Kind.PERMISSIONS,
                "Policy statement must contain resources.");
        assertMalformed("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"GetObject\", \"Resource\": \"*\"}}",
                PolicyDocument.Kind.PERMISSIONS,
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
        assertMalformed("{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\","
                + " \"Resource\": \"*\"}}", PolicyDocument.Kind.PERMISSIONS,
                "Policy document should not specify a principal.");
        assertMalformed("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\"}}",
                PolicyDocument.Kind.TRUST, "Missing required field Principal");
    }

    @Test
    void aTrustPolicyTrustsTheServicesItNames() {
        PolicyDocument lambda = PolicyDocument.parse("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
                  "Action": "sts:AssumeRole"}]}""", PolicyDocument.Kind.TRUST);
        PolicyDocument ec2 = PolicyDocument.parse("""
                {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                  "Action": "sts:AssumeRole"}]}""", PolicyDocument.Kind.TRUST);
        TrustPolicies.Principal lambdaService = new TrustPolicies.Principal("Service", List.of("lambda.amazonaws.com"));
        assertThat(TrustPolicies.allows(lambda, lambdaService, Map.of())).isTrue();
        assertThat(TrustPolicies.allows(ec2, lambdaService, Map.of())).isFalse();
    }

    private static void assertMalformed(String document, PolicyDocument.Kind kind, String message) {
        IamException e = catchThrowableOfType(IamException.class, () -> PolicyDocument.parse(document, kind));
        assertThat(e).as(document).isNotNull();
        assertThat(e.code()).isEqualTo("MalformedPolicyDocument");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo(message);
    }
}
