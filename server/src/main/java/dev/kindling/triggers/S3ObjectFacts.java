package dev.kindling.triggers;

/** What an event record says of a created object: its size and ETag (without quotes). */
public record S3ObjectFacts(long size, String eTag) {}
