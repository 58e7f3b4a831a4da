package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;

/**
 * Usage of a known sequence of real invocations (x86_64 and arm64, a success and a failure alike billed), read back
 * through GET /kindling/usage and {@code kindling usage}, before and after a restart.
 */
class UsageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BILLED = Pattern.compile("REPORT RequestId: \\S+\\tDuration: [0-9.]+ ms\\t"
            + "Billed Duration: (\\d+) ms\\tMemory Size: (\\d+) MB");
    private static final String HANDLER = """
            import time
            def handler(event, context):
                time.sleep(0.02)
                if event.get("fail"):
                    raise Exception("asked to fail")
                return "ok"
            """;

    @TempDir
    Path dataDir;

    /** A known sequence's usage: billed milliseconds times memory, as REPORT gave them, per architecture. */
    private record Expected(long requests, long billedMbMs) {
        Expected plus(long billedMs, int memoryMb) {
            return new Expected(requests + 1, billedMbMs + billedMs * memoryMb);
        }

        BigDecimal gbSeconds() {
            return new BigDecimal(billedMbMs).divide(new BigDecimal(1_024_000));
        }
    }

    @Test
    void usageOfRealInvocationsIsServedAsJsonAndByTheCliAndSurvivesARestart() throws Exception {
        Expected x86 = new Expected(0, 0);
        Expected arm = new Expected(0, 0);
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            create(lambda, "usage-x86", Architecture.X86_64, 128);
            create(lambda, "usage-arm", Architecture.ARM64, 256);
            for (String payload : List.of("{}", "{\"fail\": true}", "{}")) {
                x86 = x86.plus(billedMillis(lambda, "usage-x86", payload), 128);
            }
            for (int i = 0; i < 2; i++) {
                arm = arm.plus(billedMillis(lambda, "usage-arm", "{}"), 256);
            }
            // Served at once, though the meter writes to the database only every 10 s.
            assertUsage(usageJson(server, "?since=1d"), x86, arm);
        }

        String table = cli("usage", "--data-dir", dataDir.toString(), "--since", "1d").out();
        assertThat(row(table, "usage-x86")).containsExactly("usage-x86", "x86_64", "3",
                x86.gbSeconds().setScale(6, java.math.RoundingMode.HALF_UP).toPlainString());
        assertThat(row(table, "usage-arm")).containsExactly("usage-arm", "arm64", "2",
                arm.gbSeconds().setScale(6, java.math.RoundingMode.HALF_UP).toPlainString());
        assertThat(table).contains("before the free tier, $0.00 after it");

        try (KindlingServer server = ServerFixture.start(dataDir)) {
            assertUsage(usageJson(server, ""), x86, arm); // the current month, read back from the database
        }
    }

    @Test
    void invocationsInProvisionedEnvironmentsAndTheProvisionedConcurrencyArePricedAsAwsPricesThem() throws Exception {
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            create(lambda, "usage-pc", Architecture.X86_64, 512);
            lambda.publishVersion(r -> r.functionName("usage-pc"));
            lambda.putProvisionedConcurrencyConfig(r -> r.functionName("usage-pc").qualifier("1")
                    .provisionedConcurrentExecutions(1));
            long giveUp = System.nanoTime() + Rendezvous.DEADLINE.toNanos();
            while (lambda.getProvisionedConcurrencyConfig(r -> r.functionName("usage-pc").qualifier("1")).status()
                    != ProvisionedConcurrencyStatusEnum.READY) {
                assertThat(System.nanoTime()).as("provisioned environment ready in time").isLessThan(giveUp);
                Thread.sleep(50);
            }
            Expected served = new Expected(0, 0).plus(billedMillis(lambda, "usage-pc", "1", "{}"), 512);

            JsonNode line;
            do { // provisioned concurrency is sampled every second
                assertThat(System.nanoTime()).as("provisioned concurrency metered in time").isLessThan(giveUp);
                Thread.sleep(50);
                line = usageJson(server, "?since=1h").get("Functions").get(0);
            } while (line.get("ProvisionedGBSeconds").decimalValue().signum() == 0);
            assertThat(line.get("Requests").asLong()).isEqualTo(1);
            assertThat(line.get("GBSeconds").decimalValue()).isEqualByComparingTo(served.gbSeconds());
            assertThat(line.at("/Cost/Duration").decimalValue()).as("the provisioned duration price").isEqualByComparingTo(
                    served.gbSeconds().multiply(new BigDecimal("0.0000097222")).setScale(9, RoundingMode.HALF_UP));
            assertThat(line.at("/Cost/ProvisionedConcurrency").decimalValue()).isEqualByComparingTo(
                    line.get("ProvisionedGBSeconds").decimalValue().multiply(new BigDecimal("0.0000041667"))
                            .setScale(9, RoundingMode.HALF_UP));
            assertThat(line.at("/Cost/FreeTier").decimalValue()).as("no free tier for provisioned capacity").isZero();
        }
    }

    @Test
    void badPeriodsGetClearErrors() {
        try (KindlingServer server = ServerFixture.start(dataDir)) {
            HttpResponse<String> badMonth = ServerFixture.signed(server, "GET", "/kindling/usage?month=2026-13", null,
                    "test", "test");
            assertThat(badMonth.statusCode()).isEqualTo(400);
            assertThat(badMonth.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidParameterValueException");
            assertThat(badMonth.body())
                    .contains("month must be a calendar month as YYYY-MM (such as 2026-12), not '2026-13'");
            HttpResponse<String> badSince = ServerFixture.signed(server, "GET", "/kindling/usage?since=soon", null,
                    "test", "test");
            assertThat(badSince.statusCode()).isEqualTo(400);
            assertThat(badSince.body()).contains("since must be a duration", "not 'soon'");
            HttpResponse<String> both = ServerFixture.signed(server, "GET", "/kindling/usage?since=1d&month=2026-12",
                    null, "test", "test");
            assertThat(both.body()).contains("give since or month, not both");
            HttpResponse<String> unsigned = ServerFixture.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.endpoint() + "/kindling/usage")).build());
            assertThat(unsigned.statusCode()).isEqualTo(403);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        Cli month = cli("usage", "--data-dir", dataDir.toString(), "--month", "2026-13");
        assertThat(month.exitCode()).isEqualTo(2);
        assertThat(month.err()).contains("kindling usage: month must be a calendar month as YYYY-MM");
        Cli since = cli("usage", "--data-dir", dataDir.toString(), "--since", "tomorrow");
        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err()).contains("kindling usage: since must be a duration", "not 'tomorrow'");
        Cli noData = cli("usage", "--data-dir", dataDir.resolve("nothing-here").toString());
        assertThat(noData.exitCode()).isEqualTo(1);
        assertThat(noData.err()).contains("there is no Kindling database at");
    }

    private static void create(LambdaClient lambda, String name, Architecture architecture, int memoryMb) {
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", HANDLER)))
                .handler("lambda_function.handler").architectures(architecture).memorySize(memoryMb).build());
    }

    /** Invokes the function and returns the Billed Duration of its REPORT line. */
    private static long billedMillis(LambdaClient lambda, String name, String payload) {
        return billedMillis(lambda, name, "$LATEST", payload);
    }

    private static long billedMillis(LambdaClient lambda, String name, String qualifier, String payload) {
        InvokeResponse response = lambda.invoke(r -> r.functionName(name).qualifier(qualifier).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(payload)));
        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        Matcher report = BILLED.matcher(log);
        assertThat(report.find()).as("REPORT line in %s", log).isTrue();
        return Long.parseLong(report.group(1));
    }

    private static JsonNode usageJson(KindlingServer server, String query) throws Exception {
        HttpResponse<String> response = ServerFixture.signed(server, "GET", "/kindling/usage" + query, null, "test",
                "test");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void assertUsage(JsonNode usage, Expected x86, Expected arm) {
        JsonNode functions = usage.get("Functions");
        assertThat(functions).hasSize(2);
        JsonNode armLine = functions.get(0);
        JsonNode x86Line = functions.get(1);
        assertThat(armLine.get("FunctionName").asText()).isEqualTo("usage-arm");
        assertThat(armLine.get("Architecture").asText()).isEqualTo("arm64");
        assertThat(armLine.get("Requests").asLong()).isEqualTo(arm.requests());
        assertThat(armLine.get("GBSeconds").decimalValue()).isEqualByComparingTo(arm.gbSeconds());
        assertThat(x86Line.get("FunctionName").asText()).isEqualTo("usage-x86");
        assertThat(x86Line.get("Architecture").asText()).isEqualTo("x86_64");
        assertThat(x86Line.get("Requests").asLong()).isEqualTo(x86.requests());
        assertThat(x86Line.get("GBSeconds").decimalValue()).isEqualByComparingTo(x86.gbSeconds());
        // Priced apart: each architecture's GB-second price, and $0.20 per million requests.
        assertThat(armLine.at("/Cost/Duration").decimalValue()).isEqualByComparingTo(
                arm.gbSeconds().multiply(new BigDecimal("0.0000133334")).setScale(9, java.math.RoundingMode.HALF_UP));
        assertThat(x86Line.at("/Cost/Duration").decimalValue()).isEqualByComparingTo(
                x86.gbSeconds().multiply(new BigDecimal("0.0000166667")).setScale(9, java.math.RoundingMode.HALF_UP));
        assertThat(x86Line.at("/Cost/Requests").decimalValue()).isEqualByComparingTo("0.0000006");
        assertThat(x86Line.at("/Cost/AfterFreeTier").decimalValue()).as("within the free tier").isZero();
        assertThat(usage.at("/Total/Requests").asLong()).isEqualTo(5);
        assertThat(usage.at("/Bill/AfterFreeTier").decimalValue()).isZero();
    }

    private record Cli(int exitCode, String out, String err) {}

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** The first four columns of the table's row for {@code function}. */
    private static List<String> row(String table, String function) {
        return table.lines().filter(line -> line.startsWith(function + " ")).findFirst()
                .map(line -> Arrays.asList(line.trim().split("\\s+")).subList(0, 4))
                .orElseThrow(() -> new AssertionError("no row for " + function + " in\n" + table));
    }
}
