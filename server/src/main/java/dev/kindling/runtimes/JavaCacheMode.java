package dev.kindling.runtimes;

/** Whether a Java environment's start trains an ahead-of-time cache (Kindling's SnapStart), uses one, or neither. */
public enum JavaCacheMode { NONE, TRAIN, USE }
