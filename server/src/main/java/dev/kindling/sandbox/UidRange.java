package dev.kindling.sandbox;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The unprivileged user ids environments run as, one per living environment and none shared: far above any user a
 * host creates, so an environment owns nothing on the host and can signal no one else's process. Each server takes
 * a random block of them, so two servers on one host (tests do that) are unlikely to hand out the same id.
 */
final class UidRange {
    private static final int BASE = 1_100_000;
    private static final int BLOCK = 10_000;
    private static final int BLOCKS = 800;
    private final int first = BASE + ThreadLocalRandom.current().nextInt(BLOCKS) * BLOCK;
    private final BitSet taken = new BitSet();

    synchronized int take() {
        int free = taken.nextClearBit(0);
        if (free >= BLOCK) {
            throw new IllegalStateException("all " + BLOCK + " sandbox user ids are in use");
        }
        taken.set(free);
        return first + free;
    }

    synchronized void release(int uid) {
        taken.clear(uid - first);
    }
}
