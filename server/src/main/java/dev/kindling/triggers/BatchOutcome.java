package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which messages of an invoked batch are done (deleted from the queue) and which return to it after their
 * visibility timeout, as Lambda decides: a function error fails the whole batch; a success deletes the whole batch,
 * unless the mapping has ReportBatchItemFailures and the function's answer lists {@code batchItemFailures}: then
 * only those stay. An answer Lambda cannot read (not JSON, or a failure without a known {@code itemIdentifier})
 * fails the whole batch; an empty or absent list is a success.
 */
final class BatchOutcome {
    private BatchOutcome() {}

    /** The ids of the messages to delete. */
    static Set<String> done(List<String> messageIds, boolean functionFailed, boolean reportBatchItemFailures,
            byte[] answer) {
        if (functionFailed) {
            return Set.of();
        }
        if (!reportBatchItemFailures) {
            return Set.copyOf(messageIds);
        }
        Optional<Set<String>> failed = failedItems(answer, messageIds);
        if (failed.isEmpty()) {
            return Set.of();
        }
        Set<String> done = new HashSet<>(messageIds);
        done.removeAll(failed.get());
        return done;
    }

    /** The failures the answer reports; empty if the answer cannot be read, so the whole batch fails. */
    private static Optional<Set<String>> failedItems(byte[] answer, List<String> messageIds) {
        JsonNode root;
        try {
            root = SqsRecords.JSON.readTree(answer);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Optional.of(Set.of()); // a handler that returns nothing succeeded with every record
        }
        JsonNode failures = root.path("batchItemFailures");
        if (failures.isMissingNode() || failures.isNull()) {
            return Optional.of(Set.of());
        }
        if (!failures.isArray()) {
            return Optional.empty();
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.path("itemIdentifier");
            if (!id.isTextual() || !messageIds.contains(id.asText())) {
                return Optional.empty();
            }
            failed.add(id.asText());
        }
        return Optional.of(failed);
    }
}
