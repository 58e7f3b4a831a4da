package dev.kindling.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's metrics in Prometheus's text format, for GET /metrics: what {@link InvocationMetrics} and
 * {@link EnvironmentMetrics} record, and the JVM's and the process's own figures (memory, GC, threads, classes, CPU,
 * open files, uptime) from Micrometer's binders. docs/metrics.md lists them all.
 */
public final class PrometheusMetrics implements AutoCloseable {
    /** Prometheus's text exposition format, version 0.0.4: what every scraper reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public PrometheusMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Where meters are registered. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Runs {@code refresh} before every scrape: for gauges read from a snapshot ({@link EnvironmentMetrics}). */
    public void refreshBeforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** Every metric now, in Prometheus's text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close(); // it listens to the JVM's GC notifications
        registry.close();
    }
}
