package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.TracingMode;

/**
 * X-Ray trace ids through the AWS SDK: every invocation's handler finds one in {@code _X_AMZN_TRACE_ID} (set by the
 * Python bootstrap from Lambda-Runtime-Trace-Id), a caller's X-Amzn-Trace-Id is continued, and REPORT carries AWS's
 * XRAY line when the function's TracingConfig is Active, not when it is PassThrough.
 */
class TracingTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static final Pattern HEADER = Pattern.compile(
            "Root=(1-([0-9a-f]{8})-[0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=([01])");
    private static final String UPSTREAM = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    /** A Python function that answers the trace header its handler sees. */
    private static String function(TracingMode mode) {
        String name = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                import os
                def handler(event, context):
                    return os.environ.get("_X_AMZN_TRACE_ID", "unset")
                """))).handler("lambda_function.handler").timeout(60)
                .tracingConfig(c -> c.mode(mode)).build());
        return name;
    }

    private static InvokeResponse invoke(String name, String upstream) {
        return kindling.lambda().invoke(r -> {
            r.functionName(name).logType(LogType.TAIL).payload(SdkBytes.fromUtf8String("{}"));
            if (upstream != null) {
                r.overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id", upstream));
            }
        });
    }

    /** The trace header the handler saw, checked against AWS's format. */
    private static Matcher traceOf(InvokeResponse response) {
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        String seen = response.payload().asUtf8String().replace("\"", "");
        Matcher m = HEADER.matcher(seen);
        assertThat(m.matches()).as("AWS's trace header format: %s", seen).isTrue();
        return m;
    }

    private static String tail(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    @Test
    void everyInvocationGetsATraceOfItsOwnUnsampledWithPassThrough() {
        String name = function(TracingMode.PASS_THROUGH);
        InvokeResponse first = invoke(name, null);
        Matcher one = traceOf(first);
        Matcher two = traceOf(invoke(name, null));
        assertThat(one.group(1)).isNotEqualTo(two.group(1));
        assertThat(one.group(4)).as("PassThrough samples nothing of its own").isEqualTo("0");
        long began = Long.parseLong(one.group(2), 16);
        assertThat(began).as("the root's time is now, in epoch seconds")
                .isBetween(System.currentTimeMillis() / 1000 - 300, System.currentTimeMillis() / 1000 + 5);
        assertThat(tail(first)).contains("REPORT RequestId: ").doesNotContain("XRAY");
    }

    @Test
    void aCallersTraceIsContinued() {
        String name = function(TracingMode.PASS_THROUGH);
        Matcher continued = traceOf(invoke(name, UPSTREAM));
        assertThat(continued.group(1)).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(continued.group(3)).as("the invocation's own segment is the function's parent")
                .isNotEqualTo("53995c3f42cd8ad8");
        assertThat(continued.group(4)).as("the caller's sampling decision").isEqualTo("1");

        Matcher fresh = traceOf(invoke(name, "not a trace header"));
        assertThat(fresh.group(1)).as("an unusable header starts a new trace").isNotEqualTo(continued.group(1));
    }

    @Test
    void activeTracingAddsTheXrayLineToReport() {
        String name = function(TracingMode.ACTIVE);
        InvokeResponse response = invoke(name, null);
        Matcher trace = traceOf(response);
        assertThat(trace.group(4)).as("Active samples every invocation here").isEqualTo("1");
        String tail = tail(response);
        assertThat(tail).contains("\t\nXRAY TraceId: " + trace.group(1) + "\tSegmentId: " + trace.group(3)
                + "\tSampled: true\t\n");
        assertThat(tail.lines().filter(line -> line.startsWith("REPORT RequestId: ")).findFirst().orElseThrow())
                .endsWith("\t");

        InvokeResponse notSampled = invoke(name, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
        assertThat(traceOf(notSampled).group(4)).isEqualTo("0");
        assertThat(tail(notSampled)).as("an upstream decision not to sample holds").doesNotContain("XRAY");

        kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name)
                .tracingConfig(c -> c.mode(TracingMode.PASS_THROUGH)));
        assertThat(tail(invoke(name, null))).doesNotContain("XRAY");
    }
}
