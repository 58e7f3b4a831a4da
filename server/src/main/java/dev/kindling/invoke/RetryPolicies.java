package dev.kindling.invoke;

import dev.kindling.control.EventInvokeConfigService;
import dev.kindling.control.FunctionRef;
import dev.kindling.store.EventInvokeConfigRecord;
import dev.kindling.store.FunctionRecord;
import java.time.Duration;
import java.util.Optional;

/** The retry policy of each event: its version's or alias's event invoke configuration, over AWS's defaults. */
final class RetryPolicies {
    private final EventInvokeConfigService configs;
    private final Duration retryDelay;

    /** @param retryDelay the wait before a first retry (AWS: about a minute), twice that before a second */
    RetryPolicies(EventInvokeConfigService configs, Duration retryDelay) {
        this.configs = configs;
        this.retryDelay = retryDelay;
    }

    /** @param invoked how the event named its function: an alias's configuration applies to its events */
    RetryPolicy of(FunctionRecord version, FunctionRef invoked) {
        Optional<EventInvokeConfigRecord> config = configs.forEvents(invoked);
        int retries = config.flatMap(EventInvokeConfigRecord::maximumRetryAttempts).orElse(RetryPolicy.DEFAULT_RETRIES);
        Duration maximumAge = config.flatMap(EventInvokeConfigRecord::maximumEventAgeSeconds).map(Duration::ofSeconds)
                .orElse(RetryPolicy.DEFAULT_MAXIMUM_AGE);
        return new RetryPolicy(retries, maximumAge, retryDelay);
    }
}
