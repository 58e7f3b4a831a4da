package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * With --cpu-quota, a function gets CPU in proportion to its memory even on an idle host, as on AWS (1,769 MB is
 * one vCPU): a 128 MB function spinning for a second of wall time gets about 72 ms of CPU.
 */
class CpuQuotaTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer(c -> c.withHardCpuQuota(true));

    @Test
    void aSmallFunctionGetsItsShareOfOneCpuAndNoMore() {
        kindling.lambda().createFunction(ServerFixture.create("spinner", ServerFixture.zipOf(Map.of(
                "lambda_function.py", """
                        import time
                        def lambda_handler(event, context):
                            start_wall, start_cpu = time.monotonic(), time.process_time()
                            while time.monotonic() - start_wall < 2:
                                pass
                            return time.process_time() - start_cpu
                        """))).memorySize(128).timeout(30).build());
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName("spinner"));
        assertThat(response.functionError()).isNull();
        double cpuSeconds = Double.parseDouble(response.payload().asUtf8String());
        // The behaviour is about time: 2 s of wall time at 128/1769 of a CPU is 0.14 s; a wide margin either way.
        assertThat(cpuSeconds).as("CPU seconds used in 2 s of spinning").isGreaterThan(0.02).isLessThan(0.6);
    }
}
