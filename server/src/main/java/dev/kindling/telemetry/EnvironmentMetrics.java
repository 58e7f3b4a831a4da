package dev.kindling.telemetry;

import dev.kindling.telemetry.EnvironmentCensus.Phases;
import dev.kindling.telemetry.EnvironmentCensus.VersionEnvironments;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MultiGauge.Row;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * Gauges of the environments (docs/metrics.md): per server, how many are starting, busy and idle; per function
 * version, its concurrent executions and its provisioned concurrency in use (AWS's ConcurrentExecutions,
 * ProvisionedConcurrentExecutions, ProvisionedConcurrencyUtilization). Read from the pool's census when scraped, so
 * the invoke path pays nothing for them; a version whose environments are all gone drops out.
 */
public final class EnvironmentMetrics {
    private final EnvironmentCensus census;
    private final MultiGauge environments;
    private final MultiGauge concurrentExecutions;
    private final MultiGauge provisionedExecutions;
    private final MultiGauge provisionedUtilization;
    private final MultiGauge provisionedRequested;
    private final MultiGauge provisionedReady;

    public EnvironmentMetrics(MeterRegistry registry, EnvironmentCensus census) {
        this.census = census;
        environments = gauge(registry, "kindling.environments",
                "Execution environments on this server, by state: starting (in init), busy, idle (warm)");
        concurrentExecutions = gauge(registry, "kindling.concurrent.executions",
                "Invocations running now, a cold start's init included (AWS/Lambda ConcurrentExecutions)");
        provisionedExecutions = gauge(registry, "kindling.provisioned.concurrent.executions",
                "Invocations running now in provisioned environments (AWS/Lambda ProvisionedConcurrentExecutions)");
        provisionedUtilization = gauge(registry, "kindling.provisioned.concurrency.utilization",
                "Provisioned concurrent executions over the provisioned concurrency requested, 0 to 1"
                        + " (AWS/Lambda ProvisionedConcurrencyUtilization)");
        provisionedRequested = gauge(registry, "kindling.provisioned.concurrency.requested",
                "Provisioned concurrency configured (RequestedProvisionedConcurrentExecutions)");
        provisionedReady = gauge(registry, "kindling.provisioned.concurrency.ready",
                "Provisioned environments initialised (AllocatedProvisionedConcurrentExecutions)");
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    /** Sets every gauge from a new census; called before each scrape. */
    public synchronized void refresh() {
        List<VersionEnvironments> versions = census.count();
        Phases total = Phases.NONE;
        List<Row<?>> concurrent = new ArrayList<>();
        List<Row<?>> provisionedBusy = new ArrayList<>();
        List<Row<?>> utilization = new ArrayList<>();
        List<Row<?>> requested = new ArrayList<>();
        List<Row<?>> ready = new ArrayList<>();
        for (VersionEnvironments v : versions) {
            total = total.plus(v.phases());
            Tags tags = Tags.of("function", v.functionName(), "version", v.version());
            concurrent.add(Row.of(tags, v.concurrentExecutions()));
            int configured = v.provisioned().requested();
            if (configured > 0) {
                provisionedBusy.add(Row.of(tags, v.provisioned().busy()));
                utilization.add(Row.of(tags, (double) v.provisioned().busy() / configured));
                requested.add(Row.of(tags, configured));
                ready.add(Row.of(tags, v.provisioned().ready()));
            }
        }
        environments.register(List.of(Row.of(Tags.of("state", "starting"), total.starting()),
                Row.of(Tags.of("state", "busy"), total.busy()), Row.of(Tags.of("state", "idle"), total.idle())), true);
        concurrentExecutions.register(concurrent, true);
        provisionedExecutions.register(provisionedBusy, true);
        provisionedUtilization.register(utilization, true);
        provisionedRequested.register(requested, true);
        provisionedReady.register(ready, true);
    }
}
