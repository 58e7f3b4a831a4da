package dev.kindling.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kindling's invoke path: C invokers POST /invoke (blocks in the server until answered);
 * C "runtimes" loop GET /next (long poll) then POST /reply/{id} on one keep-alive connection each.
 * Usage: PingPong port concurrency warmupSeconds measureSeconds
 */
public final class PingPong {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int conc = Integer.parseInt(args[1]);
        long warmNs = Long.parseLong(args[2]) * 1_000_000_000L;
        long measNs = Long.parseLong(args[3]) * 1_000_000_000L;
        byte[] payload = "{\"key1\":\"value1\",\"key2\":\"value2\",\"key3\":\"value3\",\"padding\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}".getBytes();
        AtomicBoolean stop = new AtomicBoolean();
        String fn = "pp" + System.nanoTime(); // own queue: long polls left over from an earlier run cannot steal work

        for (int i = 0; i < conc; i++) {
            Thread t = new Thread(() -> {
                try (RawHttp rt = new RawHttp(port)) {
                    while (!stop.get()) {
                        RawHttp.Resp next = rt.exchange("GET", "/next?fn=" + fn, null);
                        String id = next.headers().get("lambda-runtime-aws-request-id");
                        RawHttp.Resp r = rt.exchange("POST", "/reply/" + id, next.body());
                        if (r.status() != 202) throw new IllegalStateException("reply " + r.status());
                    }
                } catch (Exception e) {
                    if (!stop.get()) e.printStackTrace();
                }
            }, "runtime-" + i);
            t.setDaemon(true);
            t.start();
        }

        long start = System.nanoTime();
        long measureFrom = start + warmNs;
        long end = measureFrom + measNs;
        List<long[]> perThread = new ArrayList<>();
        List<Thread> invokers = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            long[][] slot = new long[1][];
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try (RawHttp c = new RawHttp(port)) {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) break;
                        RawHttp.Resp r = c.exchange("POST", "/invoke?fn=" + fn, payload);
                        long t1 = System.nanoTime();
                        if (r.status() != 200 || r.body().length != payload.length) throw new IllegalStateException("invoke " + r.status());
                        if (t0 >= measureFrom) {
                            if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                            lat[n++] = t1 - t0;
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
                slot[0] = Arrays.copyOf(lat, n);
                synchronized (perThread) { perThread.add(slot[0]); }
            }, "invoker-" + i);
            invokers.add(t);
            t.start();
        }
        for (Thread t : invokers) t.join();
        stop.set(true);
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
        System.out.printf("pingpong c=%d invokes/s=%.0f %s%n", conc, all.length / (measNs / 1e9), Stats.ms(all));
        System.exit(0);
    }
}
