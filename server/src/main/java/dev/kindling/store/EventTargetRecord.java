package dev.kindling.store;

/**
 * One target of an EventBridge rule.
 *
 * @param definition the target as PutTargets gave it (JSON): Input, InputPath, InputTransformer, RetryPolicy, ...
 */
public record EventTargetRecord(String id, String arn, String definition) {}
