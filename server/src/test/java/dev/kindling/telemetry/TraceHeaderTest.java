package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceHeaderTest {
    private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";

    @Test
    void parsesAwsHeadersInAnyFieldOrder() {
        assertThat(TraceHeader.parse("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1"))
                .contains(new TraceHeader(ROOT, Optional.of("53995c3f42cd8ad8"), true));
        assertThat(TraceHeader.parse("Sampled=0; Root=" + ROOT + ";Lineage=a87bd80c:1|68fd508a:5"))
                .contains(new TraceHeader(ROOT, Optional.empty(), false));
        assertThat(TraceHeader.parse("Root=" + ROOT)).contains(new TraceHeader(ROOT, Optional.empty(), false));
    }

    @Test
    void ignoresWhatIsNotATrace() {
        assertThat(TraceHeader.parse("")).isEmpty();
        assertThat(TraceHeader.parse("Parent=53995c3f42cd8ad8;Sampled=1")).isEmpty();
        assertThat(TraceHeader.parse("Root=1-5759e988-short;Sampled=1")).isEmpty();
        assertThat(TraceHeader.parse("Root=2-5759e988-bd862e3fe1be46a994272793")).isEmpty();
        assertThat(TraceHeader.parse("Root=" + ROOT + ";Parent=nothex")).contains(
                new TraceHeader(ROOT, Optional.empty(), false));
    }

    @Test
    void anInvocationContinuesItsCallersTraceUnderASegmentOfItsOwn() {
        TraceHeader upstream = new TraceHeader(ROOT, Optional.of("53995c3f42cd8ad8"), true);
        TraceHeader continued = TraceHeader.forInvocation(Optional.of(upstream), false);
        assertThat(continued.root()).isEqualTo(ROOT);
        assertThat(continued.sampled()).isTrue();
        assertThat(continued.parent()).isPresent().get().asString().matches("[0-9a-f]{16}")
                .isNotEqualTo("53995c3f42cd8ad8");
        assertThat(TraceHeader.forInvocation(Optional.of(new TraceHeader(ROOT, Optional.empty(), false)), true)
                .sampled()).as("an upstream decision not to sample holds for Active too").isFalse();
    }

    @Test
    void anInvocationWithoutACallerTraceStartsOne() {
        long now = System.currentTimeMillis() / 1000;
        TraceHeader active = TraceHeader.forInvocation(Optional.empty(), true);
        TraceHeader passThrough = TraceHeader.forInvocation(Optional.empty(), false);
        assertThat(active.root()).matches("1-[0-9a-f]{8}-[0-9a-f]{24}").isNotEqualTo(passThrough.root());
        assertThat(Long.parseLong(active.root().substring(2, 10), 16)).isBetween(now - 1, now + 1);
        assertThat(active.sampled()).isTrue();
        assertThat(passThrough.sampled()).isFalse();
    }

    @Test
    void writesAwsFormats() {
        TraceHeader trace = new TraceHeader(ROOT, Optional.of("53995c3f42cd8ad8"), true);
        assertThat(trace.value()).isEqualTo("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1");
        assertThat(trace.reportLine()).isEqualTo("XRAY TraceId: " + ROOT + "\tSegmentId: 53995c3f42cd8ad8\tSampled: true\t");
        assertThat(TraceHeader.newRoot(0x5759e988L)).startsWith("1-5759e988-").hasSize(35);
    }
}
