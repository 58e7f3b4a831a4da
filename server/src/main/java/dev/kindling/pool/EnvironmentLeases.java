package dev.kindling.pool;

import dev.kindling.store.FunctionRecord;

/**
 * What the invoke path asks of the pool: a slot to run one invocation in, given back afterwards. The caller never
 * sees how environments start or die.
 */
public interface EnvironmentLeases {
    /** An environment of {@code function}'s current revision, BUSY and the caller's alone: warm if one is idle. */
    Environment acquire(FunctionRecord function) throws Exception;

    /** Gives back a healthy environment, to serve again. */
    void release(Environment env);

    /** Gives back an environment that must not serve again (timed out, crashed); it is destroyed. */
    void discard(Environment env);
}
