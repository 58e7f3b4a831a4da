package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * IAM and STS through the AWS SDK's own clients: roles and policies with IAM's shapes and errors, a function's role
 * checked for trusting Lambda, and credentials of a role restricted to what its policies allow.
 */
class IamTest {
    static final String LAMBDA_TRUST = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""";
    static final String ACCOUNT_TRUST = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "sts:AssumeRole"}]}""";
    static final String BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    @RegisterExtension
    static final RunningServer strict = new RunningServer(c -> c.withStrictIam(true));

    static IamClient iam(KindlingServer server, AwsCredentials credentials) {
        return IamClient.builder().endpointOverride(URI.create(server.endpoint())).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(ApacheHttpClient.create()).build();
    }

    static StsClient sts(KindlingServer server, AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(ApacheHttpClient.create()).build();
    }

    private static final AwsCredentials OPERATOR = AwsBasicCredentials.create("test", "test");

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String decoded(String document) {
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    static IamException assertIamError(ThrowingCallable call, String code, int status) {
        IamException e = catchThrowableOfType(IamException.class, call);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as("code; message %s", e.getMessage()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(status);
        return e;
    }

    @Test
    void aRoleLivesAndDiesAsInIam() {
        try (IamClient iam = iam(kindling.server(), OPERATOR)) {
            String name = unique("role");
            Role created = iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(LAMBDA_TRUST)
                    .description("for tests").tags(t -> t.key("team").value("a"))).role();
            assertThat(created.arn()).isEqualTo("arn:aws:iam::000000000000:role/" + name);
            assertThat(created.roleId()).startsWith("AROA").hasSize(21);
            assertThat(created.maxSessionDuration()).isEqualTo(3600);
            Role read = iam.getRole(r -> r.roleName(name.toUpperCase())).role();
            assertThat(read.roleName()).isEqualTo(name);
            assertThat(decoded(read.assumeRolePolicyDocument())).isEqualTo(LAMBDA_TRUST);
            assertIamError(() -> iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(LAMBDA_TRUST)),
                    "EntityAlreadyExists", 409);

            iam.updateRole(r -> r.roleName(name).description("changed").maxSessionDuration(7200));
            iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(ACCOUNT_TRUST));
            iam.tagRole(r -> r.roleName(name).tags(t -> t.key("env").value("dev")));
            iam.untagRole(r -> r.roleName(name).tagKeys("team"));
            Role changed = iam.getRole(r -> r.roleName(name)).role();
            assertThat(changed.description()).isEqualTo("changed");
            assertThat(changed.maxSessionDuration()).isEqualTo(7200);
            assertThat(decoded(changed.assumeRolePolicyDocument())).isEqualTo(ACCOUNT_TRUST);
            assertThat(iam.listRoleTags(r -> r.roleName(name)).tags()).singleElement()
                    .satisfies(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("env=dev"));

            iam.attachRolePolicy(r -> r.roleName(name).policyArn(BASIC_EXECUTION));
            iam.putRolePolicy(r -> r.roleName(name).policyName("inline").policyDocument(
                    "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}"));
            assertThat(iam.listAttachedRolePolicies(r -> r.roleName(name)).attachedPolicies()).singleElement()
                    .satisfies(p -> assertThat(p.policyName()).isEqualTo("AWSLambdaBasicExecutionRole"));
            assertThat(iam.listRolePolicies(r -> r.roleName(name)).policyNames()).containsExactly("inline");
            assertThat(decoded(iam.getRolePolicy(r -> r.roleName(name).policyName("inline")).policyDocument()))
                    .contains("s3:GetObject");

            assertThat(assertIamError(() -> iam.deleteRole(r -> r.roleName(name)), "DeleteConflict", 409)
                    .awsErrorDetails().errorMessage()).isEqualTo("Cannot delete entity, must detach all policies first.");
            iam.detachRolePolicy(r -> r.roleName(name).policyArn(BASIC_EXECUTION));
            assertThat(assertIamError(() -> iam.deleteRole(r -> r.roleName(name)), "DeleteConflict", 409)
                    .awsErrorDetails().errorMessage()).isEqualTo("Cannot delete entity, must delete policies first.");
            iam.deleteRolePolicy(r -> r.roleName(name).policyName("inline"));
            iam.deleteRole(r -> r.roleName(name));
            assertThat(assertIamError(() -> iam.getRole(r -> r.roleName(name)), "NoSuchEntity", 404)
                    .awsErrorDetails().errorMessage()).isEqualTo("The role with name " + name + " cannot be found.");
        }
    }

    @Test
    void badInputGetsIamsErrors() {
        try (IamClient iam = iam(kindling.server(), OPERATOR)) {
            assertThat(assertIamError(() -> iam.createRole(r -> r.roleName(unique("bad"))
                    .assumeRolePolicyDocument("{not json")), "MalformedPolicyDocument", 400)
                    .awsErrorDetails().errorMessage()).isEqualTo("This policy contains invalid Json");
            assertIamError(() -> iam.createRole(r -> r.roleName("no/slashes").assumeRolePolicyDocument(LAMBDA_TRUST)),
                    "ValidationError", 400);
            String name = unique("role");
            iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(LAMBDA_TRUST));
            assertIamError(() -> iam.putRolePolicy(r -> r.roleName(name).policyName("p").policyDocument(
                    "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\"}}")), "MalformedPolicyDocument", 400);
            assertThat(assertIamError(() -> iam.attachRolePolicy(r -> r.roleName(name)
                    .policyArn("arn:aws:iam::aws:policy/NoSuchPolicy")), "NoSuchEntity", 404)
                    .awsErrorDetails().errorMessage())
                    .isEqualTo("Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.");
            assertIamError(() -> iam.getRolePolicy(r -> r.roleName(name).policyName("none")), "NoSuchEntity", 404);
            assertThat(iam.listRolePolicies(r -> r.roleName(name)).policyNames()).isEmpty(); // nothing half-stored
            iam.deleteRole(r -> r.roleName(name));
        }
    }

    @Test
    void listsArePagedAndManagedPoliciesAreAwssOwnOrTheAccounts() {
        try (IamClient iam = iam(kindling.server(), OPERATOR)) {
            String prefix = "/" + unique("paged") + "/";
            for (int i = 0; i < 3; i++) {
                String name = unique("paged" + i);
                iam.createRole(r -> r.roleName(name).path(prefix).assumeRolePolicyDocument(LAMBDA_TRUST));
            }
            ListRolesResponse first = iam.listRoles(r -> r.pathPrefix(prefix).maxItems(2));
            assertThat(first.roles()).hasSize(2);
            assertThat(first.isTruncated()).isTrue();
            ListRolesResponse second = iam.listRoles(r -> r.pathPrefix(prefix).marker(first.marker()));
            assertThat(second.roles()).hasSize(1);
            assertThat(second.isTruncated()).isFalse();
            assertThat(iam.listRolesPaginator(r -> r.pathPrefix(prefix).maxItems(1)).roles()).hasSize(3);

            var aws = iam.listPolicies(r -> r.scope(PolicyScopeType.AWS).maxItems(1000)).policies();
            assertThat(aws).extracting(p -> p.policyName()).contains("AWSLambdaBasicExecutionRole",
                    "AWSLambdaExecute", "AWSLambdaSQSQueueExecutionRole", "AmazonS3ReadOnlyAccess",
                    "AmazonS3FullAccess", "AdministratorAccess", "CloudWatchLogsFullAccess");
            var version = iam.getPolicyVersion(r -> r.policyArn(BASIC_EXECUTION).versionId("v1")).policyVersion();
            assertThat(decoded(version.document())).contains("logs:PutLogEvents");

            String created = iam.createPolicy(r -> r.policyName(unique("mine")).policyDocument(
                    "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"lambda:List*\","
                            + " \"Resource\": \"*\"}}")).policy().arn();
            assertThat(iam.listPolicies(r -> r.scope(PolicyScopeType.LOCAL)).policies())
                    .extracting(p -> p.arn()).contains(created).doesNotContain(BASIC_EXECUTION);
            assertThat(iam.getPolicy(r -> r.policyArn(created)).policy().defaultVersionId()).isEqualTo("v1");
            String role = unique("holder");
            iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(LAMBDA_TRUST));
            iam.attachRolePolicy(r -> r.roleName(role).policyArn(created));
            assertIamError(() -> iam.deletePolicy(r -> r.policyArn(created)), "DeleteConflict", 409);
            iam.detachRolePolicy(r -> r.roleName(role).policyArn(created));
            iam.deletePolicy(r -> r.policyArn(created));
            assertIamError(() -> iam.getPolicy(r -> r.policyArn(created)), "NoSuchEntity", 404);
        }
    }

    @Test
    void aFunctionsRoleMustTrustLambda() {
        try (IamClient iam = iam(kindling.server(), OPERATOR)) {
            String trusting = unique("lambda");
            String notTrusting = unique("ec2");
            String trustingArn = iam.createRole(r -> r.roleName(trusting).assumeRolePolicyDocument(LAMBDA_TRUST))
                    .role().arn();
            String notTrustingArn = iam.createRole(r -> r.roleName(notTrusting).assumeRolePolicyDocument(
                    LAMBDA_TRUST.replace("lambda.amazonaws.com", "ec2.amazonaws.com"))).role().arn();
            String name = unique("fn");
            LambdaException refused = ServerFixture.assertLambdaError(() -> kindling.lambda().createFunction(
                    ServerFixture.create(name, ServerFixture.zip("x")).role(notTrustingArn).build()),
                    "InvalidParameterValueException", 400);
            assertThat(ServerFixture.message(refused)).isEqualTo("The role defined for the function cannot be assumed by Lambda.");
            assertThat(kindling.lambda().listFunctions().functions()).noneMatch(f -> f.functionName().equals(name));

            kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("x")).role(trustingArn).build());
            ServerFixture.assertLambdaError(() -> kindling.lambda().updateFunctionConfiguration(r -> r
                    .functionName(name).role(notTrustingArn)), "InvalidParameterValueException", 400);
            assertThat(kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)).role()).isEqualTo(trustingArn);
            // A role Kindling's IAM does not have is accepted by default...
            kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).role(ServerFixture.ROLE));
        }
        // ...and refused with --strict-iam.
        try (LambdaClient lambda = ServerFixture.client(strict.server())) {
            LambdaException e = ServerFixture.assertLambdaError(() -> lambda.createFunction(
                    ServerFixture.create(unique("strict"), ServerFixture.zip("x")).build()),
                    "InvalidParameterValueException", 400);
            assertThat(ServerFixture.message(e)).startsWith("The role defined for the function cannot be assumed by Lambda.")
                    .contains("--strict-iam");
        }
    }

    @Test
    void aRolesCredentialsMayDoOnlyWhatItsPoliciesAllow() {
        String role = unique("assumed");
        String roleArn;
        try (IamClient iam = iam(kindling.server(), OPERATOR)) {
            roleArn = iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(ACCOUNT_TRUST)).role().arn();
            iam.attachRolePolicy(r -> r.roleName(role).policyArn(BASIC_EXECUTION));
        }
        Credentials issued;
        try (StsClient sts = sts(kindling.server(), OPERATOR)) {
            issued = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("tester")).credentials();
        }
        AwsSessionCredentials session = AwsSessionCredentials.create(issued.accessKeyId(), issued.secretAccessKey(),
                issued.sessionToken());
        try (StsClient sts = sts(kindling.server(), session)) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/" + role
                    + "/tester");
        }
        String deniedMessage = "User: arn:aws:sts::000000000000:assumed-role/" + role + "/tester is not authorized to"
                + " perform: lambda:ListFunctions on resource: * because no identity-based policy allows the"
                + " lambda:ListFunctions action";
        try (LambdaClient asRole = LambdaClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(session))
                        .httpClient(ApacheHttpClient.create()).build();
                CloudWatchLogsClient logs = CloudWatchLogsClient.builder()
                        .endpointOverride(URI.create(kindling.server().endpoint())).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(session))
                        .httpClient(ApacheHttpClient.create()).build();
                IamClient iamAsRole = iam(kindling.server(), session)) {
            LambdaException denied = ServerFixture.assertLambdaError(asRole::listFunctions, "AccessDeniedException", 403);
            assertThat(ServerFixture.message(denied)).isEqualTo(deniedMessage);
            logs.createLogGroup(r -> r.logGroupName("/" + role)); // AWSLambdaBasicExecutionRole allows it
            CloudWatchLogsException logsDenied = catchThrowableOfType(CloudWatchLogsException.class,
                    () -> logs.deleteLogGroup(r -> r.logGroupName("/" + role)));
            assertThat(logsDenied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(logsDenied.statusCode()).isEqualTo(403);
            assertIamError(iamAsRole::listRoles, "AccessDenied", 403);

            try (IamClient iam = iam(kindling.server(), OPERATOR)) { // a broader policy takes effect at once
                iam.putRolePolicy(r -> r.roleName(role).policyName("read-lambda").policyDocument("""
                        {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": ["lambda:List*", "lambda:Get*"], "Resource": "*"},
                          {"Effect": "Deny", "Action": "lambda:GetFunction",
                           "Resource": "arn:aws:lambda:*:*:function:secret*"}]}"""));
            }
            asRole.listFunctions();
            LambdaException explicit = ServerFixture.assertLambdaError(
                    () -> asRole.getFunction(r -> r.functionName("secret-fn")), "AccessDeniedException", 403);
            assertThat(ServerFixture.message(explicit)).endsWith("with an explicit deny in an identity-based policy");

            try (IamClient iam = iam(kindling.server(), OPERATOR)) { // the role deleted while its credentials live on
                iam.deleteRolePolicy(r -> r.roleName(role).policyName("read-lambda"));
                iam.detachRolePolicy(r -> r.roleName(role).policyArn(BASIC_EXECUTION));
                iam.deleteRole(r -> r.roleName(role));
            }
            ServerFixture.assertLambdaError(asRole::listFunctions, "AccessDeniedException", 403);
        }
    }

    @Test
    void rolesAndPoliciesSurviveARestart() throws Exception {
        Path data = Files.createTempDirectory("kindling-iam-restart");
        String role = unique("durable");
        try (KindlingServer first = ServerFixture.start(data); IamClient iam = iam(first, OPERATOR)) {
            iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(LAMBDA_TRUST));
            iam.attachRolePolicy(r -> r.roleName(role).policyArn(BASIC_EXECUTION));
            iam.putRolePolicy(r -> r.roleName(role).policyName("p").policyDocument(
                    "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}"));
        }
        try (KindlingServer second = ServerFixture.start(data); IamClient iam = iam(second, OPERATOR)) {
            assertThat(decoded(iam.getRole(r -> r.roleName(role)).role().assumeRolePolicyDocument()))
                    .isEqualTo(LAMBDA_TRUST);
            assertThat(iam.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies()).hasSize(1);
            assertThat(iam.listRolePolicies(r -> r.roleName(role)).policyNames()).containsExactly("p");
        }
    }
}
