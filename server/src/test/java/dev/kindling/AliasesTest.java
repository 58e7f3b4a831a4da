package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateAliasResponse;

/** Aliases through the AWS SDK: their life, their errors, weighted routing, and a restart. */
class AliasesTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static AliasRoutingConfiguration weights(Map<String, Double> weights) {
        return AliasRoutingConfiguration.builder().additionalVersionWeights(weights).build();
    }

    /** A function with versions 1 ("one") and 2 ("two"), and "three" in $LATEST. */
    private static void functionWithTwoVersions(LambdaClient lambda, String name) {
        lambda.createFunction(ServerFixture.create(name, VersionsTest.code("one")).publish(true).build());
        lambda.updateFunctionCode(r -> r.functionName(name).zipFile(SdkBytes.fromByteArray(VersionsTest.code("two")))
                .publish(true));
        lambda.updateFunctionCode(r -> r.functionName(name).zipFile(SdkBytes.fromByteArray(VersionsTest.code("three"))));
    }

    @Test
    void anAliasPointsAtAVersionUntilMoved() {
        LambdaClient lambda = kindling.lambda();
        functionWithTwoVersions(lambda, "aliased");
        CreateAliasResponse created = lambda.createAlias(r -> r.functionName("aliased").name("prod")
                .functionVersion("1").description("production"));
        assertThat(created.aliasArn()).isEqualTo(ARN_PREFIX + "aliased:prod");
        assertThat(created.functionVersion()).isEqualTo("1");
        assertThat(created.description()).isEqualTo("production");
        assertThat(created.routingConfig()).isNull();
        assertThat(created.revisionId()).isNotBlank();
        assertThat(lambda.getAlias(r -> r.functionName("aliased").name("prod")).revisionId())
                .isEqualTo(created.revisionId());

        JsonNode ran = VersionsTest.invoke(lambda, "aliased", "prod");
        assertThat(ran.path("marker").asText()).isEqualTo("one");
        assertThat(ran.path("arn").asText()).isEqualTo(ARN_PREFIX + "aliased:prod");
        assertThat(VersionsTest.invoke(lambda, ARN_PREFIX + "aliased:prod", null).path("version").asText())
                .isEqualTo("1");
        var read = lambda.getFunction(r -> r.functionName("aliased").qualifier("prod")).configuration();
        assertThat(read.functionArn()).isEqualTo(ARN_PREFIX + "aliased:prod");
        assertThat(read.version()).isEqualTo("1");

        var e = assertLambdaError(() -> lambda.updateAlias(r -> r.functionName("aliased").name("prod")
                .functionVersion("2").revisionId("stale")), "PreconditionFailedException", 412);
        assertThat(message(e)).startsWith("The Revision Id provided does not match the latest Revision Id.");
        var moved = lambda.updateAlias(r -> r.functionName("aliased").name("prod").functionVersion("2")
                .revisionId(created.revisionId()));
        assertThat(moved.functionVersion()).isEqualTo("2");
        assertThat(moved.description()).as("unchanged when not sent").isEqualTo("production");
        assertThat(moved.revisionId()).isNotEqualTo(created.revisionId());
        assertThat(VersionsTest.invoke(lambda, "aliased", "prod").path("marker").asText()).isEqualTo("two");

        lambda.createAlias(r -> r.functionName("aliased").name("dev").functionVersion("$LATEST"));
        assertThat(VersionsTest.invoke(lambda, "aliased", "dev").path("marker").asText()).isEqualTo("three");
        lambda.createAlias(r -> r.functionName("aliased").name("canary").functionVersion("1")
                .routingConfig(weights(Map.of("2", 0.5))));
        assertThat(lambda.listAliases(r -> r.functionName("aliased")).aliases())
                .extracting(AliasConfiguration::name).containsExactly("canary", "dev", "prod");
        assertThat(lambda.listAliases(r -> r.functionName("aliased").functionVersion("2")).aliases())
                .extracting(AliasConfiguration::name).containsExactly("canary", "prod");
        var page = lambda.listAliases(r -> r.functionName("aliased").maxItems(2));
        assertThat(page.aliases()).extracting(AliasConfiguration::name).containsExactly("canary", "dev");
        assertThat(lambda.listAliases(r -> r.functionName("aliased").marker(page.nextMarker())).aliases())
                .extracting(AliasConfiguration::name).containsExactly("prod");

        e = assertLambdaError(() -> lambda.deleteFunction(r -> r.functionName("aliased").qualifier("2")),
                "ResourceConflictException", 409);
        assertThat(message(e)).isEqualTo("Unable to delete version because the following aliases reference it:"
                + " [canary, prod]");
        lambda.deleteAlias(r -> r.functionName("aliased").name("canary"));
        lambda.deleteAlias(r -> r.functionName("aliased").name("canary")); // gone already: still succeeds
        lambda.updateAlias(r -> r.functionName("aliased").name("prod").functionVersion("1"));
        lambda.deleteFunction(r -> r.functionName("aliased").qualifier("2"));
        e = assertLambdaError(() -> lambda.getAlias(r -> r.functionName("aliased").name("canary")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Cannot find alias arn: " + ARN_PREFIX + "aliased:canary");
        e = assertLambdaError(() -> lambda.invoke(r -> r.functionName("aliased").qualifier("canary")),
                "ResourceNotFoundException", 404);

        lambda.deleteFunction(r -> r.functionName("aliased"));
        lambda.createFunction(ServerFixture.create("aliased", VersionsTest.code("again")).build());
        assertThat(lambda.listAliases(r -> r.functionName("aliased")).aliases()).as("went with the function").isEmpty();
    }

    @Test
    void weightedRoutingSplitsInvocationsByWeight() {
        LambdaClient lambda = kindling.lambda();
        functionWithTwoVersions(lambda, "split");
        lambda.createAlias(r -> r.functionName("split").name("live").functionVersion("1")
                .routingConfig(weights(Map.of("2", 0.3))));
        int invocations = 300;
        int onTwo = 0;
        for (int i = 0; i < invocations; i++) {
            JsonNode ran = VersionsTest.invoke(lambda, "split", "live");
            String version = ran.path("version").asText();
            assertThat(version).isIn("1", "2");
            assertThat(ran.path("marker").asText()).isEqualTo(version.equals("1") ? "one" : "two");
            onTwo += version.equals("2") ? 1 : 0;
        }
        // Binomial(300, 0.3): mean 90, standard deviation 7.9; outside 55..125 (4.4 deviations) is a broken split.
        assertThat(onTwo).as("invocations on version 2 of %d", invocations).isBetween(55, 125);

        lambda.updateAlias(r -> r.functionName("split").name("live").routingConfig(weights(Map.of())));
        assertThat(lambda.getAlias(r -> r.functionName("split").name("live")).routingConfig()).isNull();
        for (int i = 0; i < 20; i++) {
            assertThat(VersionsTest.invoke(lambda, "split", "live").path("version").asText()).isEqualTo("1");
        }
        lambda.updateAlias(r -> r.functionName("split").name("live").routingConfig(weights(Map.of("2", 1.0))));
        for (int i = 0; i < 20; i++) {
            assertThat(VersionsTest.invoke(lambda, "split", "live").path("version").asText()).isEqualTo("2");
        }
    }

    @Test
    void badAliasesAreRefusedAndChangeNothing() {
        LambdaClient lambda = kindling.lambda();
        functionWithTwoVersions(lambda, "strict");
        lambda.createAlias(r -> r.functionName("strict").name("custom").functionVersion("1"));

        var e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("2024")
                .functionVersion("1")), "ValidationException", 400);
        assertThat(message(e)).isEqualTo("1 validation error detected: Value '2024' at 'name' failed to satisfy"
                + " constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("custom")
                .functionVersion("1")), "ResourceConflictException", 409);
        assertThat(message(e)).isEqualTo("Alias already exists: " + ARN_PREFIX + "strict:custom");
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("ten")
                .functionVersion("10")), "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Function not found: " + ARN_PREFIX + "strict:10");
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict-unknown").name("x")
                .functionVersion("1")), "ResourceNotFoundException", 404);
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                .routingConfig(weights(Map.of("2", 2.0)))), "ValidationException", 400);
        assertThat(message(e)).isEqualTo("1 validation error detected: Value '{2=2.0}' at"
                + " 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy"
                + " constraint: [Member must have value less than or equal to 1.0, Member must have value greater"
                + " than or equal to 0.0, Member must not be null]");
        assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                .routingConfig(weights(Map.of("2", -1.0)))), "ValidationException", 400);
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                .routingConfig(weights(Map.of("$LATEST", 0.5)))), "ValidationException", 400);
        assertThat(message(e)).contains("Map keys must satisfy constraint");
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("x")
                .functionVersion("$LATEST").routingConfig(weights(Map.of("2", 0.5)))),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("$LATEST is not supported for an alias pointing to more than 1 version");
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                .routingConfig(weights(Map.of("1", 0.5)))), "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("Invalid function version 1. Function version 1 is already included in"
                + " routing configuration.");
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                .routingConfig(weights(Map.of("2", 0.5, "3", 0.2)))), "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("Number of items in AdditionalVersionWeights cannot be greater than 1");
        e = assertLambdaError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                .routingConfig(weights(Map.of("9", 0.5)))), "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Function not found: " + ARN_PREFIX + "strict:9");
        e = assertLambdaError(() -> lambda.updateAlias(r -> r.functionName("strict").name("non-existent")
                .functionVersion("1")), "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Alias not found: " + ARN_PREFIX + "strict:non-existent");
        assertLambdaError(() -> lambda.updateAlias(r -> r.functionName("strict").name("custom")
                .functionVersion("$LATEST").routingConfig(weights(Map.of("2", 0.5)))),
                "InvalidParameterValueException", 400);

        assertThat(lambda.listAliases(r -> r.functionName("strict")).aliases()).singleElement().satisfies(alias -> {
            assertThat(alias.name()).isEqualTo("custom");
            assertThat(alias.functionVersion()).isEqualTo("1");
            assertThat(alias.routingConfig()).isNull();
        });
    }

    @Test
    void versionsAndAliasesSurviveARestart(@TempDir Path dataDir) throws Exception {
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            functionWithTwoVersions(lambda, "kept");
            lambda.createAlias(r -> r.functionName("kept").name("live").functionVersion("1")
                    .routingConfig(weights(Map.of("2", 0.25))).description("kept alias"));
        }
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            assertThat(lambda.listVersionsByFunction(r -> r.functionName("kept")).versions()).hasSize(3);
            var alias = lambda.getAlias(r -> r.functionName("kept").name("live"));
            assertThat(alias.functionVersion()).isEqualTo("1");
            assertThat(alias.description()).isEqualTo("kept alias");
            assertThat(alias.routingConfig().additionalVersionWeights()).isEqualTo(Map.of("2", 0.25));
            assertThat(VersionsTest.invoke(lambda, "kept", "1").path("marker").asText()).isEqualTo("one");
            assertThat(VersionsTest.invoke(lambda, "kept", "2").path("marker").asText()).isEqualTo("two");
            assertThat(VersionsTest.invoke(lambda, "kept", "live").path("version").asText()).isIn("1", "2");
            lambda.updateFunctionCode(r -> r.functionName("kept")
                    .zipFile(SdkBytes.fromByteArray(VersionsTest.code("four"))));
            assertThat(lambda.publishVersion(r -> r.functionName("kept")).version()).isEqualTo("3");
        }
    }
}
