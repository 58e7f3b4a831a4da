package dev.kindling.telemetry;

/** One dimension of a CloudWatch metric: {@code FunctionName=my-function}. */
public record MetricDimension(String name, String value) {}
