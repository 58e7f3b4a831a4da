import dev.kindling.store.Capacity;
import dev.kindling.store.Database;
import dev.kindling.store.SqlMetricRepository;
import dev.kindling.telemetry.InvocationMetrics;
import dev.kindling.telemetry.InvocationReport;
import dev.kindling.telemetry.LambdaMetrics;
import dev.kindling.telemetry.MetricStore;
import dev.kindling.telemetry.PrometheusMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * What counting one invocation costs on the invoke path: LambdaMetrics.invoked alone (the per-minute CloudWatch
 * store) and InvocationMetrics.invoked (the Prometheus meters and the store), from 1 and 8 threads at once (the
 * store takes one lock per metric). The store flushes to a real SQLite database every 10 s as in the server.
 * Prints CPU nanoseconds per invocation (median of 5 runs of 2 s after 2 s of warm-up), and how long one flush of
 * 100 functions' minute holds the database (the store's single connection) while it writes.
 */
public class RecordCost {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("record-cost");
        try (Database database = Database.openSqlite(dir.resolve("kindling.db"));
                MetricStore store = new MetricStore(new SqlMetricRepository(database), Duration.ofDays(15),
                        MetricStore.FLUSH_INTERVAL, Clock.systemUTC());
                PrometheusMetrics prometheus = new PrometheusMetrics()) {
            InvocationMetrics withStore = new InvocationMetrics(prometheus.registry(),
                    new LambdaMetrics(store, Clock.systemUTC()));
            LambdaMetrics storeOnly = new LambdaMetrics(store, Clock.systemUTC());
            store.flush();
            for (int pass = 1; pass <= 2; pass++) { // first a minute's inserts, then updates of the same minute
                for (int f = 0; f < 100; f++) {
                    storeOnly.invoked(new InvocationReport("flushed" + f, "1", "x86_64", 128, Instant.now(), 3, -1, 20,
                            false, Capacity.ON_DEMAND, Optional.of("live")));
                }
                long started = System.nanoTime();
                store.flush();
                System.out.printf("flush of 100 functions' minute (903 rows, 100 to a transaction), pass %d: %.1f ms%n", pass,
                        (System.nanoTime() - started) / 1e6);
            }
            for (int threads : new int[] {1, 8}) {
                System.out.printf("%d thread(s): CloudWatch store alone %.0f ns, Prometheus and the store %.0f ns"
                        + " per invocation%n", threads, measure(storeOnly::invoked, threads),
                        measure(withStore::invoked, threads));
            }
        }
    }

    private static double measure(java.util.function.Consumer<InvocationReport> metrics, int threads) throws Exception {
        run(metrics, threads, 2_000); // warm-up
        double[] runs = new double[5];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = run(metrics, threads, 2_000);
        }
        java.util.Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    /** Nanoseconds per recorded invocation, all threads together, over {@code millis}. */
    private static double run(java.util.function.Consumer<InvocationReport> metrics, int threads, long millis)
            throws Exception {
        long[] counts = new long[threads];
        CountDownLatch done = new CountDownLatch(threads);
        long end = System.nanoTime() + millis * 1_000_000;
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread.ofPlatform().start(() -> {
                String function = "f" + me;
                long n = 0;
                while (System.nanoTime() < end) {
                    metrics.accept(new InvocationReport(function, "1", "x86_64", 128, Instant.now(), 1.5 + n % 100,
                            -1, 20, n % 10 == 0, Capacity.ON_DEMAND, Optional.of("live")));
                    n++;
                }
                counts[me] = n;
                done.countDown();
            });
        }
        done.await();
        long total = java.util.Arrays.stream(counts).sum();
        return millis * 1e6 * Math.min(threads, Runtime.getRuntime().availableProcessors()) / total;
    }
}
