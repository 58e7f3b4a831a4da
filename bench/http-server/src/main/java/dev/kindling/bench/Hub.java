package dev.kindling.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The blocking hand-off behind /invoke, /next and /reply: a toy version of Kindling's invoke path. */
final class Hub {
    record Msg(String id, byte[] body, CompletableFuture<byte[]> reply) {}

    /** One queue per function name (?fn=...), so that separate benchmark runs do not share long polls. */
    private final ConcurrentHashMap<String, LinkedBlockingQueue<Msg>> queues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Msg> pending = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();

    /** Called by POST /invoke: queue the event and block (on a virtual thread) until the runtime replies. */
    private LinkedBlockingQueue<Msg> queue(String fn) {
        return queues.computeIfAbsent(fn, k -> new LinkedBlockingQueue<>());
    }

    /** The fn parameter of a raw query string, or "default". */
    static String fn(String query) {
        if (query != null) {
            for (String p : query.split("&")) {
                if (p.startsWith("fn=")) return p.substring(3);
            }
        }
        return "default";
    }

    byte[] invoke(String fn, byte[] body) throws Exception {
        Msg m = new Msg(Long.toString(seq.incrementAndGet()), body, new CompletableFuture<>());
        pending.put(m.id(), m);
        queue(fn).put(m);
        return m.reply().get(120, TimeUnit.SECONDS);
    }

    /** Called by GET /next: long poll, blocks until there is work. */
    Msg next(String fn) throws InterruptedException {
        return queue(fn).take();
    }

    /** Called by POST /reply/{id}. */
    boolean reply(String id, byte[] body) {
        Msg m = pending.remove(id);
        if (m == null) return false;
        m.reply().complete(body);
        return true;
    }
}
