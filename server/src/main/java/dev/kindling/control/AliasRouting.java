package dev.kindling.control;

import dev.kindling.store.AliasRecord;
import java.util.Map;

/** How an alias with a RoutingConfig splits invocations between its two versions. */
final class AliasRouting {
    private AliasRouting() {}

    /**
     * The version one invocation runs: the additional version when {@code random} (uniform in [0, 1)) falls below its
     * weight, the alias's own version otherwise; so over many invocations the additional one gets its weight's share.
     */
    static String choose(AliasRecord alias, double random) {
        double below = 0;
        for (Map.Entry<String, Double> additional : alias.additionalVersionWeights().entrySet()) {
            below += additional.getValue();
            if (random < below) {
                return additional.getKey();
            }
        }
        return alias.functionVersion();
    }
}
