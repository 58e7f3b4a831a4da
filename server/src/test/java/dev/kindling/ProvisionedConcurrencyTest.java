package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.PutProvisionedConcurrencyConfigResponse;

/**
 * Provisioned concurrency through the AWS SDK, on a server whose idle environments are reaped after 2 s: environments
 * initialised before the first invocation, serving without an Init Duration, outliving the idle timeout, back after a
 * restart; and AWS's errors.
 */
class ProvisionedConcurrencyTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(config -> config.withIdleTimeout(Duration.ofSeconds(2)));

    @TempDir
    Path restartDir;

    /**
     * A function whose init tells the rendezvous (port in PORT) it ran, and whose handler answers which environment
     * served and how it was initialised; published as version 1.
     */
    private static String publishedFunction(LambdaClient lambda, Rendezvous rendezvous) {
        String name = "pc-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Rendezvous.PYTHON + """
                        import os
                        INIT_TYPE = os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]
                        if "PORT" in os.environ:
                            announce(os.environ["PORT"])
                        def handler(event, context):
                            return ENVIRONMENT + " " + INIT_TYPE
                        """))).handler("lambda_function.handler").timeout(60)
                .environment(e -> e.variables(rendezvous == null ? Map.of()
                        : Map.of("PORT", Integer.toString(rendezvous.port()))))
                .publish(true).build());
        return name;
    }

    private static InvokeResponse invoke(LambdaClient lambda, String name, String qualifier) {
        return lambda.invoke(r -> r.functionName(name).qualifier(qualifier).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{}")));
    }

    /** "environment-id init-type", as the handler answers. */
    private static String[] answer(InvokeResponse response) {
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        String text = response.payload().asUtf8String();
        return text.substring(1, text.length() - 1).split(" ");
    }

    private static String reportLine(InvokeResponse response) {
        String tail = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        return tail.lines().filter(line -> line.startsWith("REPORT")).findFirst().orElseThrow();
    }

    private static GetProvisionedConcurrencyConfigResponse awaitStatus(LambdaClient lambda, String name,
            String qualifier, ProvisionedConcurrencyStatusEnum status) throws InterruptedException {
        long giveUp = System.nanoTime() + Rendezvous.DEADLINE.toNanos();
        GetProvisionedConcurrencyConfigResponse now;
        while ((now = lambda.getProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier(qualifier)))
                .status() != status) {
            assertThat(System.nanoTime()).as("still %s", now).isLessThan(giveUp);
            Thread.sleep(50);
        }
        return now;
    }

    @Test
    void provisionedEnvironmentsAreReadyBeforeTheFirstInvocationAndOutliveTheIdleTimeout() throws Exception {
        LambdaClient lambda = kindling.lambda();
        try (Rendezvous rendezvous = new Rendezvous()) {
            String name = publishedFunction(lambda, rendezvous);
            lambda.createAlias(r -> r.functionName(name).name("prod").functionVersion("1"));
            int unreservedBefore = lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions();

            PutProvisionedConcurrencyConfigResponse put = lambda.putProvisionedConcurrencyConfig(r -> r
                    .functionName(name).qualifier("prod").provisionedConcurrentExecutions(2));
            assertThat(put.sdkHttpResponse().statusCode()).isEqualTo(202);
            assertThat(put.requestedProvisionedConcurrentExecutions()).isEqualTo(2);
            assertThat(put.status()).isIn(ProvisionedConcurrencyStatusEnum.IN_PROGRESS,
                    ProvisionedConcurrencyStatusEnum.READY);
            assertThat(put.lastModified()).isNotBlank();
            List<String> provisioned = rendezvous.next(2, "two inits before any invocation").stream()
                    .map(Rendezvous.Caller::environment).toList();
            GetProvisionedConcurrencyConfigResponse ready = awaitStatus(lambda, name, "prod",
                    ProvisionedConcurrencyStatusEnum.READY);
            assertThat(ready.allocatedProvisionedConcurrentExecutions()).isEqualTo(2);
            assertThat(ready.availableProvisionedConcurrentExecutions()).isEqualTo(2);
            assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions())
                    .as("set aside from the unreserved pool").isEqualTo(unreservedBefore - 2);

            InvokeResponse warm = invoke(lambda, name, "prod");
            assertThat(warm.executedVersion()).isEqualTo("1");
            assertThat(answer(warm)[0]).isIn(provisioned);
            assertThat(answer(warm)[1]).isEqualTo("provisioned-concurrency");
            assertThat(reportLine(warm)).doesNotContain("Init Duration");

            InvokeResponse onDemand = invoke(lambda, name, "$LATEST");
            assertThat(answer(onDemand)[1]).isEqualTo("on-demand");
            assertThat(reportLine(onDemand)).contains("Init Duration");
            Rendezvous.Caller onDemandInit = rendezvous.next("the on-demand environment's init");
            onDemandInit.awaitEnd("the on-demand environment, reaped after the 2 s idle timeout");

            // The idle timeout has passed for the provisioned ones too: they still serve, and nothing started anew.
            assertThat(answer(invoke(lambda, name, "prod"))[0]).isIn(provisioned);
            assertThat(answer(invoke(lambda, name, "1"))[0]).isIn(provisioned);
            assertThat(awaitStatus(lambda, name, "prod", ProvisionedConcurrencyStatusEnum.READY)
                    .allocatedProvisionedConcurrentExecutions()).isEqualTo(2);

            var listed = lambda.listProvisionedConcurrencyConfigs(r -> r.functionName(name))
                    .provisionedConcurrencyConfigs();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).functionArn()).isEqualTo(ServerFixture.ARN_PREFIX + name + ":prod");
            assertThat(listed.get(0).status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);

            lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("prod"));
            assertThat(lambda.listProvisionedConcurrencyConfigs(r -> r.functionName(name))
                    .provisionedConcurrencyConfigs()).isEmpty();
            assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions())
                    .isEqualTo(unreservedBefore);
            lambda.deleteFunction(r -> r.functionName(name));
        }
    }

    @Test
    void aFailedInitIsReportedAsFailed() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String name = "pc-broken-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                "raise RuntimeError('init fails')\n"))).handler("lambda_function.handler").publish(true).build());
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("1")
                .provisionedConcurrentExecutions(1));
        GetProvisionedConcurrencyConfigResponse failed = awaitStatus(lambda, name, "1",
                ProvisionedConcurrencyStatusEnum.FAILED);
        assertThat(failed.statusReason()).isEqualTo("FUNCTION_ERROR_INIT_FAILURE");
        assertThat(failed.allocatedProvisionedConcurrentExecutions()).isZero();
        lambda.deleteFunction(r -> r.functionName(name));
    }

    @Test
    void badRequestsGetAwsErrorsAndChangeNothing() {
        LambdaClient lambda = kindling.lambda();
        String name = publishedFunction(lambda, null);
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        String arn = ServerFixture.ARN_PREFIX + name;

        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("$LATEST").provisionedConcurrentExecutions(1)), "InvalidParameterValueException", 400)))
                .isEqualTo("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        assertThat(message(assertLambdaError(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("$LATEST")), "InvalidParameterValueException", 400)))
                .isEqualTo("The function resource provided must be an alias or a published version.");
        assertLambdaError(() -> lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("$LATEST")), "InvalidParameterValueException", 400);
        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("1").provisionedConcurrentExecutions(0)), "ValidationException", 400)))
                .isEqualTo("1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to"
                        + " satisfy constraint: Member must have value greater than or equal to 1");
        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("nosuch").provisionedConcurrentExecutions(1)), "ResourceNotFoundException", 404)))
                .isEqualTo("Cannot find alias arn: " + arn + ":nosuch");
        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("10").provisionedConcurrentExecutions(1)), "ResourceNotFoundException", 404)))
                .isEqualTo("Function not found: " + arn + ":10");
        assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("nosuch").qualifier("1")
                .provisionedConcurrentExecutions(1)), "ResourceNotFoundException", 404);
        assertThat(message(assertLambdaError(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("1")), "ProvisionedConcurrencyConfigNotFoundException", 404)))
                .isEqualTo("No Provisioned Concurrency Config found for this function");
        assertLambdaError(() -> lambda.listProvisionedConcurrencyConfigs(r -> r.functionName("nosuch")),
                "ResourceNotFoundException", 404);
        lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("1")); // none: no error
        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("1").provisionedConcurrentExecutions(5000)), "InvalidParameterValueException", 400)))
                .isEqualTo("Specified ConcurrentExecutions for function is greater than account's unreserved"
                        + " concurrency [1000].");
        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("1").provisionedConcurrentExecutions(950)), "InvalidParameterValueException", 400)))
                .isEqualTo("Specified ConcurrentExecutions for function decreases account's"
                        + " UnreservedConcurrentExecution below its minimum value of [100].");

        // Within a reservation: provisioned concurrency counts against it, both ways.
        lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(1));
        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("1").provisionedConcurrentExecutions(2)), "InvalidParameterValueException", 400)))
                .isEqualTo("Requested Provisioned Concurrency should not be greater than the"
                        + " reservedConcurrentExecution for function");
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("1")
                .provisionedConcurrentExecutions(1));
        assertThat(message(assertLambdaError(() -> lambda.putFunctionConcurrency(r -> r.functionName(name)
                .reservedConcurrentExecutions(0)), "InvalidParameterValueException", 400)))
                .isEqualTo(" ReservedConcurrentExecutions  0 should not be lower than function's total provisioned"
                        + " concurrency [1].");
        // A version and an alias to it are not both provisioned.
        assertThat(message(assertLambdaError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name)
                .qualifier("live").provisionedConcurrentExecutions(1)), "ResourceConflictException", 409)))
                .isEqualTo("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned"
                        + " version");
        assertThat(lambda.listProvisionedConcurrencyConfigs(r -> r.functionName(name))
                .provisionedConcurrencyConfigs()).hasSize(1);
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName(name)).reservedConcurrentExecutions())
                .isEqualTo(1);
        lambda.deleteFunction(r -> r.functionName(name));
    }

    @Test
    void aRestartBringsProvisionedEnvironmentsBack() throws Exception {
        try (Rendezvous rendezvous = new Rendezvous()) {
            String name;
            try (KindlingServer server = ServerFixture.start(restartDir);
                    LambdaClient lambda = ServerFixture.client(server)) {
                name = publishedFunction(lambda, rendezvous);
                lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("1")
                        .provisionedConcurrentExecutions(1));
                rendezvous.next("the provisioned init").environment();
                awaitStatus(lambda, name, "1", ProvisionedConcurrencyStatusEnum.READY);
            }
            try (KindlingServer server = ServerFixture.start(restartDir);
                    LambdaClient lambda = ServerFixture.client(server)) {
                String again = rendezvous.next("the provisioned init after the restart, before any invocation")
                        .environment();
                GetProvisionedConcurrencyConfigResponse ready = awaitStatus(lambda, name, "1",
                        ProvisionedConcurrencyStatusEnum.READY);
                assertThat(ready.allocatedProvisionedConcurrentExecutions()).isEqualTo(1);
                InvokeResponse response = invoke(lambda, name, "1");
                assertThat(answer(response)).containsExactly(again, "provisioned-concurrency");
                assertThat(reportLine(response)).doesNotContain("Init Duration");
            }
        }
    }

    @Test
    void anAliasConfigurationMovesWithTheAliasAndGoesWithIt() throws Exception {
        LambdaClient lambda = kindling.lambda();
        String name = publishedFunction(lambda, null);
        lambda.updateFunctionConfiguration(r -> r.functionName(name).description("second"));
        lambda.publishVersion(r -> r.functionName(name));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        int unreservedBefore = lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions();
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live")
                .provisionedConcurrentExecutions(1));
        awaitStatus(lambda, name, "live", ProvisionedConcurrencyStatusEnum.READY);

        lambda.updateAlias(r -> r.functionName(name).name("live").functionVersion("2"));
        awaitStatus(lambda, name, "live", ProvisionedConcurrencyStatusEnum.READY);
        InvokeResponse moved = invoke(lambda, name, "live");
        assertThat(moved.executedVersion()).isEqualTo("2");
        assertThat(answer(moved)[1]).as("version 2 has the provisioned environment now")
                .isEqualTo("provisioned-concurrency");
        assertThat(answer(invoke(lambda, name, "1"))[1]).as("version 1 no longer").isEqualTo("on-demand");

        lambda.deleteAlias(r -> r.functionName(name).name("live"));
        assertThat(lambda.listProvisionedConcurrencyConfigs(r -> r.functionName(name))
                .provisionedConcurrencyConfigs()).isEmpty();
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions())
                .isEqualTo(unreservedBefore);
        assertThat(answer(invoke(lambda, name, "2"))[1]).isEqualTo("on-demand");
        lambda.deleteFunction(r -> r.functionName(name));
    }
}
