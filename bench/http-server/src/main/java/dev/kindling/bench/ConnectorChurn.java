package dev.kindling.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Cost of one listening port per execution environment, added to / removed from a running process.
 * Jetty: a new ServerConnector on the running Server. Helidon: it has no API to add a listener to a
 * running WebServer, so the nearest equivalent is one extra WebServer per environment.
 * Usage: ConnectorChurn jetty|jetty-vtp|helidon reps [acceptors (jetty only, default 0)]
 */
public final class ConnectorChurn {
    interface Listener { int port(); void close() throws Exception; }

    interface Factory { String describe(); Listener open() throws Exception; }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int reps = Integer.parseInt(args[1]);
        int acceptors = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        // Loaded by name so that each server runs with only its own jars on the class path.
        Factory f = kind.equals("helidon")
                ? (Factory) Class.forName("dev.kindling.bench.HelidonListeners").getDeclaredConstructor().newInstance()
                : (Factory) Class.forName("dev.kindling.bench.JettyListeners")
                        .getDeclaredConstructor(boolean.class, int.class).newInstance(kind.equals("jetty-vtp"), acceptors);
        String variant = f.describe();

        // Footprint first, in a fresh JVM: platform threads used by 50 simultaneous listeners.
        var mx = ManagementFactory.getThreadMXBean();
        int before = mx.getThreadCount();
        List<Listener> live = new ArrayList<>();
        for (int i = 0; i < 50; i++) live.add(f.open());
        for (Listener l : live) try (RawHttp c = new RawHttp(l.port())) { c.exchange("GET", "/hello", null); }
        int after = mx.getThreadCount();
        for (Listener l : live) l.close();
        System.out.printf("churn %s [%s] platform threads: %d before, %d with 50 extra listeners (%.1f per listener)%n",
                kind, variant, before, after, (after - before) / 50.0);

        long[] open = new long[reps], first = new long[reps], close = new long[reps];
        for (int i = -20; i < reps; i++) { // 20 warm-up rounds
            long t0 = System.nanoTime();
            Listener l = f.open();
            long t1 = System.nanoTime();
            try (RawHttp c = new RawHttp(l.port())) {
                if (c.exchange("GET", "/hello", null).status() != 200) throw new IllegalStateException();
            }
            long t2 = System.nanoTime();
            l.close();
            long t3 = System.nanoTime();
            if (i >= 0) { open[i] = t1 - t0; first[i] = t2 - t1; close[i] = t3 - t2; }
        }
        System.out.printf("churn %s [%s] add+start: %s%n", kind, variant, Stats.ms(open));
        System.out.printf("churn %s [%s] first request on it: %s%n", kind, variant, Stats.ms(first));
        System.out.printf("churn %s [%s] stop+remove: %s%n", kind, variant, Stats.ms(close));
        System.exit(0);
    }
}
