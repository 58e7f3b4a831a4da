package dev.kindling.store;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * A CloudWatch Logs group as stored.
 *
 * @param retentionDays what PutRetentionPolicy set; empty: the server's default retention applies
 */
public record LogGroupRecord(String name, Instant created, OptionalInt retentionDays) {}
