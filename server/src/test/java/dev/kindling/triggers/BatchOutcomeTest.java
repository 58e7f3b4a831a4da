package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchOutcomeTest {
    private static final List<String> IDS = List.of("a", "b", "c");

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSuccessDeletesTheWholeBatch() {
        assertThat(BatchOutcome.done(IDS, false, false, json("{\"batchItemFailures\":[{\"itemIdentifier\":\"a\"}]}")))
                .containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void aFunctionErrorDeletesNothing() {
        assertThat(BatchOutcome.done(IDS, true, false, json("{}"))).isEmpty();
        assertThat(BatchOutcome.done(IDS, true, true, json("{\"batchItemFailures\":[]}"))).isEmpty();
    }

    @Test
    void reportedFailuresStayAndTheRestIsDeleted() {
        assertThat(BatchOutcome.done(IDS, false, true, json("{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"}]}")))
                .containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void noFailuresReportedIsASuccess() {
        assertThat(BatchOutcome.done(IDS, false, true, json("{\"batchItemFailures\":[]}"))).hasSize(3);
        assertThat(BatchOutcome.done(IDS, false, true, json("{}"))).hasSize(3);
        assertThat(BatchOutcome.done(IDS, false, true, json("null"))).hasSize(3);
        assertThat(BatchOutcome.done(IDS, false, true, new byte[0])).hasSize(3);
    }

    @Test
    void anAnswerLambdaCannotReadFailsTheWholeBatch() {
        assertThat(BatchOutcome.done(IDS, false, true, json("not json"))).isEmpty();
        assertThat(BatchOutcome.done(IDS, false, true, json("{\"batchItemFailures\":[{\"itemIdentifier\":\"zz\"}]}")))
                .isEmpty();
        assertThat(BatchOutcome.done(IDS, false, true, json("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}")))
                .isEmpty();
        assertThat(BatchOutcome.done(IDS, false, true, json("{\"batchItemFailures\":\"a\"}"))).isEmpty();
    }
}
